"""Plans to rows and back: ``save`` (only what differs is written) and ``load``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model

from handoff.accounts.models import Role, User
from handoff.routing.config.mailboxes import load_mailboxes, save_mailboxes
from handoff.routing.config.schema import (
    AwayPlan,
    CalendarPlan,
    PersonPlan,
    Plan,
    PolicyPlan,
    RulePlan,
    TeamPlan,
)
from handoff.routing.models import Absence, Calendar, Clock, Person, Policy, Rule, Team
from handoff.tickets import timeline


def _upsert[M: Model](
    model: type[M], lookup: dict[str, Any], values: dict[str, Any], label: str, changes: list[str]
) -> M:
    row = model._default_manager.filter(**lookup).first()
    if row is None:
        row = model._default_manager.create(**lookup, **values)
        changes.append(f"created {label}")
        return row
    differ = [k for k, v in values.items() if getattr(row, k) != v]
    if differ:
        for key in differ:
            setattr(row, key, values[key])
        row.save(update_fields=differ)
        changes.append(f"updated {label}: {', '.join(differ)}")
    return row


def _remove(model: type[Model], keep: set[Any], key: str, kind: str, changes: list[str]) -> None:
    for row in model._default_manager.exclude(**{f"{key}__in": keep}):
        changes.append(f"removed {kind} {getattr(row, key)}")
        row.delete()


def save(plan: Plan, now: datetime) -> list[str]:
    changes: list[str] = []
    if plan.mailboxes is not None:
        save_mailboxes(plan.mailboxes, changes)
    for c in plan.calendars or []:
        _upsert(Calendar, {"name": c.name}, _calendar_values(c), f"calendar {c.name}", changes)
    for t in plan.teams or []:
        _upsert(Team, {"name": t.name}, _team_values(t), f"team {t.name}", changes)
    if plan.people is not None:
        _save_people(plan.people, now, changes)
    if plan.policies is not None:
        calendars = {c.name: c for c in Calendar.objects.all()}
        for position, p in enumerate(plan.policies):
            values = {
                "position": position,
                "conditions": p.when,
                "calendar": calendars[p.calendar] if p.calendar else None,
                "first_response": p.first_response,
                "next_response": p.next_response,
                "resolution": p.resolution,
                "remind_at": p.remind_at,
            }
            _upsert(Policy, {"name": p.name}, values, f"policy {p.name}", changes)
        _remove(Policy, {p.name for p in plan.policies}, "name", "policy", changes)
    if plan.rules is not None:
        teams = {t.name: t for t in Team.objects.all()}
        users = {u.email: u for u in User.objects.filter(email__in=[r.assign for r in plan.rules])}
        for position, r in enumerate(plan.rules):
            values = {
                "position": position,
                "conditions": r.when,
                "team": teams.get(r.team),
                "assignee": users.get(r.assign),
                "skip": r.skip,
            }
            _upsert(Rule, {"name": r.name}, values, f"rule {r.name}", changes)
        _remove(Rule, {r.name for r in plan.rules}, "name", "rule", changes)
    if plan.calendars is not None:
        _remove(Calendar, {c.name for c in plan.calendars}, "name", "calendar", changes)
    if plan.teams is not None:
        _remove(Team, {t.name for t in plan.teams}, "name", "team", changes)
    return changes


def _calendar_values(c: CalendarPlan) -> dict[str, Any]:
    return {
        "time_zone": c.time_zone,
        "hours": c.hours,
        "holiday_country": c.holiday_country,
        "holiday_region": c.holiday_region,
        "holidays": c.holidays,
    }


def _team_values(t: TeamPlan) -> dict[str, Any]:
    return {
        "strategy": t.strategy,
        "sticky": t.sticky,
        "handover": t.handover,
        "holidays": t.holidays,
        "answers_per_hour": t.answers_per_hour,
    }


def _save_people(people: list[PersonPlan], now: datetime, changes: list[str]) -> None:
    teams = {t.name: t for t in Team.objects.all()}
    for p in people:
        user = User.objects.filter(email=p.email).first()
        if user is None:
            user = User.objects.create_user(
                p.email, None, name=p.name or "", role=p.role or Role.AGENT
            )
            changes.append(f"created login {p.email} (no password: set one with the admin)")
        account: dict[str, Any] = {}
        if p.name is not None:
            account["name"] = p.name
        if p.role is not None:
            account |= {
                "role": p.role,
                "is_staff": p.role == Role.ADMIN,
                "is_superuser": p.role == Role.ADMIN,
            }
        _upsert(User, {"pk": user.pk}, account, f"login {p.email}", changes)
        values = {
            "team": teams.get(p.team),
            "time_zone": p.time_zone,
            "shifts": p.shifts,
            "holiday_country": p.holiday_country,
            "holiday_region": p.holiday_region,
            "holidays": p.holidays,
            "languages": p.languages,
            "categories": p.categories,
            "capacity": p.capacity,
        }
        _upsert(Person, {"user": user}, values, f"person {p.email}", changes)
    persons = {person.user.email: person for person in Person.objects.select_related("user")}
    for p in people:
        person = persons[p.email]
        wanted = {(a.starts, a.ends, persons[a.backup].pk if a.backup else None) for a in p.away}
        current = set(person.absences.values_list("starts", "ends", "backup_id"))
        if wanted != current:
            person.absences.all().delete()
            Absence.objects.bulk_create(
                Absence(person=person, starts=s, ends=e, backup_id=b)
                for s, e, b in sorted(wanted, key=str)
            )
            changes.append(f"updated person {p.email}: away")
    listed = {p.email for p in people}
    for email, person in persons.items():
        if email not in listed:
            _requeue(person.user_id, now)
            person.delete()
            changes.append(
                f"removed person {email} (the login stays; their conversations wait in the queue)"
            )


def _requeue(user_id: int, now: datetime) -> None:
    rows = list(
        Clock.objects.filter(assignee_id=user_id, is_open=True).values_list("pk", flat=True)
    )
    Clock.objects.filter(pk__in=rows).update(assignee=None, assigned_at=None)
    left = {"from": user_id}
    timeline.append_all(
        timeline.entry(pk, timeline.Kind.QUEUED, at=now, reason="left the team", **left)
        for pk in rows
    )


def load() -> Plan:
    """The configuration in the database, as a plan (what ``config dump`` prints)."""
    plan = Plan()
    plan.mailboxes = load_mailboxes()
    plan.teams = [
        TeamPlan(t.name, t.strategy, t.sticky, t.handover, list(t.holidays), t.answers_per_hour)
        for t in Team.objects.order_by("name")
    ]
    plan.people = []
    for person in Person.objects.select_related("user", "team").order_by("user__email"):
        away = [
            AwayPlan(a.starts, a.ends, a.backup.user.email if a.backup else "")
            for a in person.absences.select_related("backup__user").order_by("starts")
        ]
        plan.people.append(
            PersonPlan(
                email=person.user.email,
                name=person.user.name,
                role=person.user.role,
                team=person.team.name if person.team else "",
                time_zone=person.time_zone,
                shifts=list(person.shifts),
                holiday_country=person.holiday_country,
                holiday_region=person.holiday_region,
                holidays=list(person.holidays),
                languages=list(person.languages),
                categories=list(person.categories),
                capacity=person.capacity,
                away=away,
            )
        )
    plan.calendars = [
        CalendarPlan(
            c.name,
            c.time_zone,
            list(c.hours),
            c.holiday_country,
            c.holiday_region,
            list(c.holidays),
        )
        for c in Calendar.objects.order_by("name")
    ]
    plan.policies = [
        PolicyPlan(
            p.name, dict(p.conditions), p.calendar.name if p.calendar else None,
            p.first_response, p.next_response, p.resolution, p.remind_at,
        )
        for p in Policy.objects.select_related("calendar")
    ]  # fmt: skip
    plan.rules = [
        RulePlan(
            r.name, dict(r.conditions), r.team.name if r.team else "",
            r.assignee.email if r.assignee else "", r.skip,
        )
        for r in Rule.objects.select_related("team", "assignee")
    ]  # fmt: skip
    return plan
