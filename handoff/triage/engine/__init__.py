"""The triage engine: pure Python (no Django), called by handoff.triage with plain data."""
