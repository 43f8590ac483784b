"""The configuration file: TOML read into typed plans, every error collected.

Sections (each optional; a section present replaces what it configures,
``policy = []`` empties one, an absent section leaves it as it is):
``[[mailbox]]`` (``mailboxes.py``), ``[[team]]``, ``[[person]]``, ``[[calendar]]``,
``[[policy]]``, ``[[rule]]``, and ``[[founder_rule]]`` and ``[[tag]]``, which belong to
triage and are passed to it as they are.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from handoff.accounts.models import Role
from handoff.routing.config.mailboxes import MailboxPlan, parse_mailboxes
from handoff.routing.config.reader import Problem, Reader, as_date
from handoff.routing.models import Team
from handoff.routing.strategies import STRATEGIES
from handoff.routing.time.shifts import holiday_dates, parse_slots, time_zone

SECTIONS = ("mailbox", "team", "person", "calendar", "policy", "rule", "founder_rule", "tag")
ALWAYS_NAME = "24/7"


@dataclass
class TeamPlan:
    name: str
    strategy: str = "least_loaded"
    sticky: bool = True
    handover: str = Team.Handover.DUE_BEFORE_NEXT_SHIFT.value
    holidays: list[str] = field(default_factory=list)
    answers_per_hour: int = 6


@dataclass
class AwayPlan:
    starts: date
    ends: date
    backup: str = ""


@dataclass
class PersonPlan:
    email: str
    name: str | None = None
    role: str | None = None
    team: str = ""
    time_zone: str = ""
    shifts: list[str] = field(default_factory=list)
    holiday_country: str = ""
    holiday_region: str = ""
    holidays: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    capacity: int = 30
    away: list[AwayPlan] = field(default_factory=list)


@dataclass
class CalendarPlan:
    name: str
    time_zone: str
    hours: list[str]
    holiday_country: str = ""
    holiday_region: str = ""
    holidays: list[str] = field(default_factory=list)


@dataclass
class PolicyPlan:
    name: str
    when: dict[str, list[str]]
    calendar: str | None  # None: 24/7
    first_response: int | None
    next_response: int | None
    resolution: int | None
    remind_at: float = 0.75


@dataclass
class RulePlan:
    name: str
    when: dict[str, list[str]]
    team: str = ""
    assign: str = ""
    skip: bool = False


@dataclass
class Plan:
    mailboxes: list[MailboxPlan] | None = None
    teams: list[TeamPlan] | None = None
    people: list[PersonPlan] | None = None
    calendars: list[CalendarPlan] | None = None
    policies: list[PolicyPlan] | None = None
    rules: list[RulePlan] | None = None
    founder_rules: list[dict[str, Any]] | None = None
    tags: list[dict[str, Any]] | None = None


def _holidays(read: Reader) -> tuple[str, str, list[str]]:
    table = read.get("holidays", (dict, list), {})
    if isinstance(table, list):  # just dates
        return "", "", read.dates("holidays")
    inner = Reader(table, (*read.path, "holidays"), read.errors, {"country", "region", "dates"})
    country, region = inner.text("country").upper(), inner.text("region").upper()
    try:
        holiday_dates(country, region)
    except ValueError as error:
        inner.fail("region" if "region" in str(error) else "country", str(error))
    return country, region, inner.dates("dates")


def _zone(read: Reader, key: str, *, needed: bool, why: str) -> str:
    zone = read.text(key)
    if not zone:
        if needed:
            read.fail(key, f"is required: {why}")
        return ""
    try:
        time_zone(zone)
    except ValueError as error:
        read.fail(key, str(error))
    return zone


def _hours(read: Reader, key: str) -> list[str]:
    specs = read.texts(key)
    for position, spec in enumerate(specs):
        try:
            parse_slots([spec])
        except ValueError as error:
            read.errors.append(((*read.path, key, position), str(error)))
    return specs


def parse(text: str) -> tuple[Plan, list[Problem]]:
    """The plan and every problem found; a plan with problems must not be applied."""
    errors: list[Problem] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Plan(), [((), f"not valid TOML: {error}")]
    for key in data.keys() - set(SECTIONS):
        errors.append(((key,), f"unknown section (expected: {', '.join(SECTIONS)})"))
    plan = Plan()
    for section in SECTIONS:
        if section in data and not isinstance(data[section], list):
            errors.append(((section,), f"write it as [[{section}]] tables"))
    items = {s: data[s] for s in SECTIONS if isinstance(data.get(s), list)}
    if "mailbox" in items:
        plan.mailboxes = parse_mailboxes(items["mailbox"], errors)
    if "team" in items:
        plan.teams = [
            _team(Reader(t, ("team", i), errors, TEAM_KEYS)) for i, t in enumerate(items["team"])
        ]
    if "person" in items:
        plan.people = [
            _person(Reader(p, ("person", i), errors, PERSON_KEYS))
            for i, p in enumerate(items["person"])
        ]
    if "calendar" in items:
        plan.calendars = [
            _calendar(Reader(c, ("calendar", i), errors, CALENDAR_KEYS))
            for i, c in enumerate(items["calendar"])
        ]
    if "policy" in items:
        plan.policies = [
            _policy(Reader(p, ("policy", i), errors, POLICY_KEYS))
            for i, p in enumerate(items["policy"])
        ]
    if "rule" in items:
        plan.rules = [
            _rule(Reader(r, ("rule", i), errors, RULE_KEYS)) for i, r in enumerate(items["rule"])
        ]
    if "founder_rule" in items:
        plan.founder_rules = [r if isinstance(r, dict) else {} for r in items["founder_rule"]]
    if "tag" in items:
        plan.tags = [t if isinstance(t, dict) else {} for t in items["tag"]]
    return plan, errors


TEAM_KEYS = {"name", "strategy", "sticky", "handover", "holidays", "answers_per_hour"}
PERSON_KEYS = {
    "email", "name", "role", "team", "time_zone", "shifts", "holidays", "languages",
    "categories", "capacity", "away",
}  # fmt: skip
CALENDAR_KEYS = {"name", "time_zone", "hours", "holidays"}
POLICY_KEYS = {
    "name",
    "when",
    "calendar",
    "first_response",
    "next_response",
    "resolution",
    "remind_at",
}
RULE_KEYS = {"name", "when", "team", "assign", "skip"}


def _team(read: Reader) -> TeamPlan:
    plan = TeamPlan(read.text("name", required=True))
    plan.strategy = read.text("strategy", "least_loaded")
    if plan.strategy not in STRATEGIES:
        read.fail("strategy", f"unknown strategy (one of: {', '.join(sorted(STRATEGIES))})")
    plan.sticky = bool(read.get("sticky", bool, True))
    plan.handover = read.text("handover", plan.handover)
    if plan.handover not in Team.Handover.values:
        read.fail("handover", f"one of: {', '.join(Team.Handover.values)}")
    plan.holidays = read.dates("holidays")
    plan.answers_per_hour = int(read.get("answers_per_hour", int, 6))
    if plan.answers_per_hour <= 0:
        read.fail("answers_per_hour", "must be at least 1")
    return plan


def _person(read: Reader) -> PersonPlan:
    plan = PersonPlan(read.text("email", required=True).lower())
    if plan.email and "@" not in plan.email:
        read.fail("email", f"{plan.email!r} is not an email address")
    plan.name = read.get("name", str, None)
    plan.role = read.get("role", str, None)
    if plan.role is not None and plan.role not in Role.values:
        read.fail("role", f"one of: {', '.join(Role.values)}")
    plan.team = read.text("team")
    plan.shifts = _hours(read, "shifts")
    plan.time_zone = _zone(
        read, "time_zone", needed=bool(plan.shifts), why="shifts are local times"
    )
    plan.holiday_country, plan.holiday_region, plan.holidays = _holidays(read)
    plan.languages = [v.lower() for v in read.texts("languages")]
    plan.categories = [v.lower() for v in read.texts("categories")]
    if plan.team and not plan.languages:
        read.fail(
            "languages", "a team member needs at least one language (no skills: no conversations)"
        )
    plan.capacity = int(read.get("capacity", int, 30))
    if plan.capacity < 1:
        read.fail("capacity", "must be at least 1")
    for position, entry in enumerate(read.get("away", list, [])):
        inner = Reader(
            entry, (*read.path, "away", position), read.errors, {"from", "until", "backup"}
        )
        try:
            starts, ends = as_date(inner.table.get("from")), as_date(inner.table.get("until"))
        except ValueError as error:
            inner.fail("from" if "from" not in inner.table else "until", str(error))
            continue
        if ends < starts:
            inner.fail("until", "is before from")
        plan.away.append(AwayPlan(starts, ends, inner.text("backup").lower()))
    return plan


def _calendar(read: Reader) -> CalendarPlan:
    name = read.text("name", required=True)
    if name == ALWAYS_NAME:
        read.fail("name", f"{ALWAYS_NAME} is built in")
    zone = _zone(read, "time_zone", needed=True, why="business hours are local times")
    plan = CalendarPlan(name, zone, _hours(read, "hours"))
    if not plan.hours:
        read.fail("hours", "a calendar needs hours, e.g. ['mon-fri 09:00-17:00']")
    plan.holiday_country, plan.holiday_region, plan.holidays = _holidays(read)
    return plan


def _policy(read: Reader) -> PolicyPlan:
    calendar = read.text("calendar", ALWAYS_NAME)
    plan = PolicyPlan(
        name=read.text("name", required=True),
        when=read.conditions("when"),
        calendar=None if calendar == ALWAYS_NAME else calendar,
        first_response=read.minutes("first_response"),
        next_response=read.minutes("next_response"),
        resolution=read.minutes("resolution"),
        remind_at=float(read.get("remind_at", (int, float), 0.75)),
    )
    if not 0 < plan.remind_at < 1:
        read.fail("remind_at", "a share of the target between 0 and 1, e.g. 0.75")
    return plan


def _rule(read: Reader) -> RulePlan:
    plan = RulePlan(
        name=read.text("name", required=True),
        when=read.conditions("when"),
        team=read.text("team"),
        assign=read.text("assign").lower(),
        skip=bool(read.get("skip", bool, False)),
    )
    if sum(map(bool, (plan.team, plan.assign, plan.skip))) != 1:
        read.fail("", "give exactly one of team, assign or skip = true")
    return plan
