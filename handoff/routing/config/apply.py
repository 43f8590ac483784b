"""``handoff config apply``: a file checked as a whole, then applied in one transaction.

Nothing changes when anything is wrong; applying the same file twice changes
nothing the second time. Founder rules and tags belong to triage: they are checked and
applied by ``handoff.triage.config`` in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction

from handoff.routing.config import store
from handoff.routing.config.lines import Path, dotted, key_lines, line_of
from handoff.routing.config.mailboxes import mailbox_warnings
from handoff.routing.config.reader import Problem
from handoff.routing.config.schema import Plan, parse
from handoff.routing.models import Calendar, Person, Team
from handoff.routing.roster import _schedule
from handoff.routing.time.calendar import next_open
from handoff.triage.config import (
    apply_founder_rules,
    apply_tags,
    validate_founder_rules,
    validate_tags,
)


@dataclass
class Outcome:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def apply_text(text: str, now: datetime, *, dry_run: bool = False) -> Outcome:
    plan, problems = parse(text)
    if plan != Plan() or not problems:  # names that must exist, even in a file with errors
        problems += cross_check(plan)
    outcome = Outcome()
    lines = key_lines(text)

    def where(path: Path) -> str:
        line = line_of(lines, path)
        return f"line {line}: {dotted(path)}" if line else (dotted(path) or "file")

    outcome.errors = [
        f"{where(path)}: {message}" for path, message in sorted(problems, key=_order(lines))
    ]
    if outcome.errors:
        return outcome
    outcome.warnings = [f"{where(path)}: {message}" for path, message in warnings(plan, now)]
    with transaction.atomic():
        outcome.changes = store.save(plan, now)
        if plan.founder_rules is not None:
            outcome.changes += apply_founder_rules(plan.founder_rules)
        if plan.tags is not None:
            outcome.changes += apply_tags(plan.tags)
        if dry_run:
            transaction.set_rollback(True)
    return outcome


def _order(lines: dict[Path, int]) -> Callable[[Problem], tuple[int, str]]:
    return lambda problem: (line_of(lines, problem[0]) or 0, dotted(problem[0]))


def cross_check(plan: Plan) -> list[Problem]:
    """Names that must exist: in the file when its section is there, else in the database."""
    errors: list[Problem] = []
    teams = (
        {t.name for t in plan.teams}
        if plan.teams is not None
        else set(Team.objects.values_list("name", flat=True))
    )
    calendars = (
        {c.name for c in plan.calendars}
        if plan.calendars is not None
        else set(Calendar.objects.values_list("name", flat=True))
    )
    people = (
        {p.email for p in plan.people}
        if plan.people is not None
        else set(Person.objects.values_list("user__email", flat=True))
    )
    from handoff.accounts.models import User

    users = people | set(User.objects.values_list("email", flat=True))
    for section, names in (
        ("team", [t.name for t in plan.teams or []]),
        ("person", [p.email for p in plan.people or []]),
        ("calendar", [c.name for c in plan.calendars or []]),
        ("policy", [p.name for p in plan.policies or []]),
        ("rule", [r.name for r in plan.rules or []]),
    ):
        counts = Counter(names)
        for position, name in enumerate(names):
            if name and counts[name] > 1:
                errors.append(
                    (
                        (section, position, "name" if section != "person" else "email"),
                        f"{name!r} appears twice",
                    )
                )
    for i, person in enumerate(plan.people or []):
        if person.team and person.team not in teams:
            errors.append((("person", i, "team"), f"no team named {person.team!r}"))
        for j, away in enumerate(person.away):
            if away.backup and away.backup not in people:
                errors.append(
                    (
                        ("person", i, "away", j, "backup"),
                        f"{away.backup!r} is not a person of the team",
                    )
                )
            if away.backup == person.email:
                errors.append((("person", i, "away", j, "backup"), "cannot back themselves up"))
    for i, policy in enumerate(plan.policies or []):
        if policy.calendar and policy.calendar not in calendars:
            errors.append(
                (("policy", i, "calendar"), f"no calendar named {policy.calendar!r} (or 24/7)")
            )
    for i, rule in enumerate(plan.rules or []):
        if rule.team and rule.team not in teams:
            errors.append((("rule", i, "team"), f"no team named {rule.team!r}"))
        if rule.assign and rule.assign not in users:
            errors.append(
                (("rule", i, "assign"), f"{rule.assign!r} has no login and is not in the team")
            )
    if plan.founder_rules is not None:
        for path, message in validate_founder_rules(plan.founder_rules):
            errors.append((("founder_rule", *path), message))
    if plan.tags is not None:
        for path, message in validate_tags(plan.tags):
            errors.append((("tag", *path), message))
    return errors


def warnings(plan: Plan, now: datetime) -> list[Problem]:
    """Valid but worrying: applied, and said out loud."""
    found: list[Problem] = mailbox_warnings(plan.mailboxes or [])
    if plan.people is None:
        return found
    week = timedelta(days=7)
    team_names = (
        [t.name for t in plan.teams]
        if plan.teams is not None
        else sorted({p.team for p in plan.people if p.team})
    )
    team_holidays = {t.name: t.holidays for t in plan.teams or []}
    for name in team_names:
        members = [(i, p) for i, p in enumerate(plan.people) if p.team == name]
        covered = False
        for _, person in members:
            days = tuple(sorted({*person.holidays, *team_holidays.get(name, [])}))
            schedule = _schedule(
                person.time_zone or "UTC",
                tuple(person.shifts),
                person.holiday_country,
                person.holiday_region,
                days,
            )
            if next_open(schedule, now, horizon=week) is not None:
                covered = True
                break
        index = next((i for i, t in enumerate(plan.teams or []) if t.name == name), None)
        path: Path = ("team", index) if index is not None else ("person",)
        if not members:
            found.append(
                (path, f"team {name} has nobody in it: its conversations will wait unassigned")
            )
        elif not covered:
            found.append((path, f"nobody in team {name} is on shift in the coming week"))
    return found
