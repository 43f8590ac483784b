"""Configuration as code: the team, calendars, SLA policies and routing rules as TOML."""
