"""``handoff config dump``: the configuration as the TOML file that ``apply`` reads."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from handoff.routing.config.mailboxes import MailboxPlan
from handoff.routing.config.schema import ALWAYS_NAME, Plan
from handoff.routing.config.store import load
from handoff.routing.time.calendar import format_duration
from handoff.triage.config import dump_founder_rules, dump_tags

HEADER = """\
# Handoff configuration: mailboxes, team, calendars, SLA policies, routing rules.
# `handoff config apply FILE` makes the desk match it; `handoff config dump` prints it.
# A section that is present replaces what it configures; an absent one is left alone.
# No secrets here: a mailbox names the environment variable (or file) that holds its own.
"""


def value(item: Any) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return repr(item)
    if isinstance(item, date):
        return json.dumps(item.isoformat())
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(x) for x in item) + "]"
    if isinstance(item, dict):
        inner = ", ".join(f"{_key(k)} = {value(v)}" for k, v in item.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {type(item).__name__} as TOML")


def _key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() else json.dumps(name)


def _table(name: str, fields: dict[str, Any]) -> str:
    lines = [f"[[{name}]]"]
    lines += [f"{_key(k)} = {value(v)}" for k, v in fields.items() if v is not None]
    return "\n".join(lines)


def _target(minutes: int | None) -> str | int | None:
    if minutes is None:
        return None
    return format_duration(timedelta(minutes=minutes)) if minutes > 0 else minutes


def _holidays(country: str, region: str, dates: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if country:
        found["country"] = country
    if region:
        found["region"] = region
    found["dates"] = dates
    return found


def mailbox_section(mailboxes: list[MailboxPlan]) -> str:
    """Just the ``[[mailbox]]`` tables: applied alone, they change the mailboxes only."""
    return "\n\n".join(_mailbox(m) for m in mailboxes) + "\n"


def _mailbox(m: MailboxPlan) -> str:
    table = _table("mailbox", {
        "address": m.address, "name": m.name or None,
        "purpose": m.purpose if m.purpose != "desk" else None,
        "active": False if not m.active else None, "acknowledge": m.acknowledge,
    })  # fmt: skip
    if m.imap is None:
        return table
    imap = m.imap
    fields = {
        "host": imap.host, "port": imap.port, "security": imap.security, "user": imap.user,
        "auth": imap.auth, "folders": imap.folders or None, "move_to": imap.move_to or None,
        "secret_env": imap.secret_env or None, "secret_file": imap.secret_file or None,
        "token_command": imap.token_command or None,
    }  # fmt: skip
    lines = [f"{k} = {value(v)}" for k, v in fields.items() if v is not None]
    return "\n".join([table, "[mailbox.imap]", *lines])


def render(
    plan: Plan,
    founder_rules: list[dict[str, Any]] | None = None,
    tags: list[dict[str, Any]] | None = None,
) -> str:
    sections: dict[str, list[str]] = {
        "mailbox": [_mailbox(m) for m in plan.mailboxes or []],
        "team": [],
        "person": [],
        "calendar": [],
        "policy": [],
        "rule": [],
    }
    for t in plan.teams or []:
        sections["team"].append(
            _table("team", {
                "name": t.name, "strategy": t.strategy, "sticky": t.sticky, "handover": t.handover,
                "holidays": t.holidays, "answers_per_hour": t.answers_per_hour,
            })
        )  # fmt: skip
    for p in plan.people or []:
        away = [
            {"from": a.starts, "until": a.ends, **({"backup": a.backup} if a.backup else {})}
            for a in p.away
        ]
        sections["person"].append(
            _table("person", {
                "email": p.email, "name": p.name, "role": p.role, "team": p.team or None,
                "time_zone": p.time_zone or None, "shifts": p.shifts,
                "holidays": _holidays(p.holiday_country, p.holiday_region, p.holidays),
                "languages": p.languages, "categories": p.categories, "capacity": p.capacity,
                "away": away or None,
            })
        )  # fmt: skip
    for c in plan.calendars or []:
        sections["calendar"].append(
            _table("calendar", {
                "name": c.name, "time_zone": c.time_zone, "hours": c.hours,
                "holidays": _holidays(c.holiday_country, c.holiday_region, c.holidays),
            })
        )  # fmt: skip
    for policy in plan.policies or []:
        sections["policy"].append(
            _table("policy", {
                "name": policy.name, "when": policy.when,
                "calendar": policy.calendar or ALWAYS_NAME,
                "first_response": _target(policy.first_response),
                "next_response": _target(policy.next_response),
                "resolution": _target(policy.resolution), "remind_at": policy.remind_at,
            })
        )  # fmt: skip
    for r in plan.rules or []:
        sections["rule"].append(
            _table("rule", {
                "name": r.name, "when": r.when, "team": r.team or None,
                "assign": r.assign or None, "skip": r.skip or None,
            })
        )  # fmt: skip
    empty = [f"{name} = []" for name, tables in sections.items() if not tables]
    parts = [HEADER + ("\n" + "\n".join(empty) + "\n" if empty else "")]
    parts += [table + "\n" for tables in sections.values() for table in tables]
    if founder_rules:
        parts.append("# Founder rules belong to triage.\n")
        parts += [_table("founder_rule", rule) + "\n" for rule in founder_rules]
    if tags:
        parts.append("# The tags people put on conversations (the head keeps the list).\n")
        parts += [_table("tag", tag) + "\n" for tag in tags]
    return "\n".join(parts)


def dump() -> str:
    return render(load(), dump_founder_rules(), dump_tags())
