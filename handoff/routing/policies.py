"""Which SLA policy and which routing rule apply to a conversation, and their targets.

The founder's standard is the default (``DEFAULT_POLICIES``, installed by a
migration and by ``handoff config apply``): pre-sales first response in 1 hour,
24/7; support first response in 4 hours and resolution in 24; billing first
response in 4 hours. A target the admin set negative is reported and replaced by
the standard one, so no conversation is left without a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from handoff.routing.clocks import Targets
from handoff.routing.inputs import Facts, matches
from handoff.routing.models import Calendar as CalendarRow
from handoff.routing.models import Policy, Rule
from handoff.routing.roster import _schedule
from handoff.routing.time.calendar import ALWAYS, Calendar, parse_duration

FALLBACK = {"first_response": 240, "next_response": 240, "resolution": 1440}

DEFAULT_POLICIES: list[dict[str, Any]] = [
    {
        "name": "presales",
        "when": {"category": ["presales"]},
        "first_response": "1h",
        "next_response": "1h",
    },
    {
        "name": "billing",
        "when": {"category": ["billing"]},
        "first_response": "4h",
        "next_response": "4h",
    },
    {
        "name": "support",
        "when": {"lane": ["team"]},
        "first_response": "4h",
        "next_response": "4h",
        "resolution": "24h",
    },
]


def calendar_of(row: CalendarRow | None) -> Calendar:
    """Raises ValueError when the calendar cannot be used (reported by ``health``)."""
    if row is None:
        return ALWAYS
    return _business_hours(
        row.name,
        row.time_zone,
        tuple(row.hours),
        row.holiday_country,
        row.holiday_region,
        tuple(sorted(str(date.fromisoformat(str(d))) for d in row.holidays or ())),
    )


@lru_cache(maxsize=128)
def _business_hours(
    name: str, zone: str, hours: tuple[str, ...], country: str, region: str, days: tuple[str, ...]
) -> Calendar:
    if not zone:
        raise ValueError(f"calendar {name} has no time zone")
    return _schedule(zone, hours, country, region, days)


def standard_target(policy_name: str, clock: str) -> timedelta:
    """The founder's standard for a clock: of the default policy of that name, else support's."""
    for default in DEFAULT_POLICIES:
        if default["name"] == policy_name and clock in default:
            return parse_duration(default[clock])
    return timedelta(minutes=FALLBACK[clock])


def targets_of(policy: Policy) -> Targets:
    def minutes(name: str) -> timedelta | None:
        value = getattr(policy, name)
        if value is None:
            return None
        return timedelta(minutes=value) if value > 0 else standard_target(policy.name, name)

    try:
        calendar = calendar_of(policy.calendar)
    except ValueError:
        calendar = ALWAYS  # better early than never; health() names the calendar
    return Targets(
        first_response=minutes("first_response"),
        next_response=minutes("next_response"),
        resolution=minutes("resolution"),
        remind_at=policy.remind_at if 0 < policy.remind_at < 1 else 0.75,
        calendar=calendar,
    )


@dataclass
class Book:
    """Policies and rules, read once per batch."""

    policies: list[Policy] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    targets: dict[int, Targets] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Book:
        book = cls(
            policies=list(Policy.objects.select_related("calendar")),
            rules=list(Rule.objects.select_related("assignee")),
        )
        book.targets = {p.pk: targets_of(p) for p in book.policies}
        return book

    def policy_for(self, facts: Facts) -> Policy | None:
        return next((p for p in self.policies if matches(p.conditions, facts)), None)

    def rule_for(self, facts: Facts) -> Rule | None:
        return next((r for r in self.rules if matches(r.conditions, facts)), None)
