"""The periodic sweep (every minute, from the tick): the escalation ladder, handovers at
shift end, the queue at shift start, breach prediction, and the health of the setup.

Everything it reads is a stored, indexed due time; a batch limit keeps one sweep
short, and whatever is left is taken by the next one (``SweepResult.more``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import F, Field, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from handoff.routing import health
from handoff.routing.actions import Context
from handoff.routing.assign import Writes, decide, give
from handoff.routing.clocks import next_check
from handoff.routing.models import Clock, Notification, Person, Team
from handoff.routing.notify import heads, notify_once
from handoff.routing.predict import predict
from handoff.routing.roster import Member
from handoff.tickets.timeline import Kind

log = logging.getLogger(__name__)
LADDER_BATCH = 500
ACTIONS = 150  # assignments per sweep (handovers, queue, reassignment at breach)
RESYNC = 5  # people whose load is recounted per sweep, in turn
CLOCK_NAMES = {
    "first_response": "first response",
    "next_response": "next response",
    "resolution": "resolution",
}
# The same, as a notification says them to its reader.
SAID_NAMES = {
    "first response": gettext_lazy("first response"),
    "next response": gettext_lazy("next response"),
    "resolution": gettext_lazy("resolution"),
}


@dataclass
class SweepResult:
    reminded: int = 0
    breached: int = 0
    reassigned: int = 0  # after a breach
    handed_over: int = 0  # shift end or absence
    requeued: int = 0  # shift end with nobody to take over: back to the team queue
    assigned: int = 0  # from the queue, someone's shift having started
    at_risk: int = 0
    newly_at_risk: int = 0
    problems: list[str] = field(default_factory=list)
    more: bool = False  # a batch limit was hit: the next sweep goes on
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sweep(now: datetime | None = None) -> SweepResult:
    started = time.perf_counter()
    now = now or timezone.now()
    result = SweepResult()
    context = Context.load(now)
    budget = Budget(ACTIONS)
    head_ids = heads()
    for phase in (_ladder, _handover, _queue):
        writes = Writes()
        with transaction.atomic():
            phase(context, result, writes, budget, head_ids)
            writes.flush()
    with transaction.atomic():
        predict(context, result, head_ids)
        _resync_loads(context)
    result.more = result.more or budget.left <= 0
    result.problems = health.problems(context)
    for problem in result.problems:
        notify_once(Notification.Kind.CONFIG, head_ids, problem, now, every=timedelta(days=1))
    if result.problems:
        log.warning("routing configuration: %s", "; ".join(result.problems))
    result.seconds = round(time.perf_counter() - started, 4)
    return result


@dataclass
class Budget:
    """How many assignments one sweep may make (each costs a few queries); the rest waits a
    minute. Reminders and breach records are not counted: they are cheap and due."""

    left: int

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def running_of(clock: Clock) -> dict[str, tuple[datetime | None, datetime]]:
    """The clocks of a row that still run, as the ladder keys them."""
    running: dict[str, tuple[datetime | None, datetime]] = {}
    if not clock.is_open:
        return running
    if clock.first_response_due and clock.first_responded_at is None:
        running["first_response"] = (clock.first_response_warn, clock.first_response_due)
    if clock.next_response_due and clock.next_response_started:
        key = f"next_response@{clock.next_response_started.isoformat()}"
        running[key] = (clock.next_response_warn, clock.next_response_due)
    if clock.resolution_due and clock.resolved_at is None:
        running["resolution"] = (clock.resolution_warn, clock.resolution_due)
    return running


LADDER_FIELDS = ["ladder", "next_check_at", "breached_at", "assignee", "assigned_at"]


def _ladder(
    context: Context, result: SweepResult, writes: Writes, budget: Budget, head_ids: list[int]
) -> None:
    now = context.now
    rows = list(
        Clock.objects.select_for_update(skip_locked=True)
        .filter(next_check_at__lte=now)
        .order_by("next_check_at")[: LADDER_BATCH + 1]
    )
    result.more = len(rows) > LADDER_BATCH
    rows = rows[:LADDER_BATCH]
    for clock in rows:
        running = running_of(clock)
        ladder = dict(clock.ladder)
        for key, (warn, due) in running.items():
            name = CLOCK_NAMES[key.partition("@")[0]]
            stage = ladder.get(key)
            if now >= due and stage != "breached":
                ladder[key] = "breached"
                _breach(context, clock, name, due, result, writes, budget, head_ids)
            elif warn is not None and now >= warn and stage is None:
                ladder[key] = "reminded"
                _remind(context, clock, name, due, result, writes, head_ids)
        clock.ladder = ladder
        clock.next_check_at = next_check(running, ladder)
    save_fields(rows, LADDER_FIELDS)


def _remind(
    context: Context,
    clock: Clock,
    name: str,
    due: datetime,
    result: SweepResult,
    writes: Writes,
    head_ids: list[int],
) -> None:
    result.reminded += 1
    who = [clock.assignee_id] if clock.assignee_id else head_ids
    words = {"number": clock.pk, "due": f"{due:%Y-%m-%d %H:%M}"}
    held = clock.assignee_id is not None

    def text() -> str:
        said = words | {"clock": SAID_NAMES.get(name, name)}
        if held:
            return _("Conversation #%(number)s: %(clock)s due at %(due)s UTC") % said
        return _("Conversation #%(number)s: %(clock)s due at %(due)s UTC and nobody has it yet") % (
            said
        )

    writes.notify(Notification.Kind.REMINDER, who, text, context.now, clock.pk)
    data = {"clock": name, "due": due.isoformat()}
    writes.step(clock.pk, Kind.REMINDED, context.now, person_id=clock.assignee_id, **data)


def _breach(
    context: Context,
    clock: Clock,
    name: str,
    due: datetime,
    result: SweepResult,
    writes: Writes,
    budget: Budget,
    head_ids: list[int],
) -> None:
    result.breached += 1
    clock.breached_at = clock.breached_at or due
    data = {"clock": name, "due": due.isoformat()}
    writes.step(clock.pk, Kind.BREACHED, context.now, person_id=clock.assignee_id, **data)
    previous = clock.assignee_id
    member = None
    if clock.team_id and budget.take():
        member = decide(context.roster, clock, exclude=[previous] if previous else [])
    words = {"number": clock.pk, "due": f"{due:%Y-%m-%d %H:%M}"}
    to = member.email if member is not None else ""

    def text() -> str:
        said = words | {"clock": SAID_NAMES.get(name, name), "person": to}
        if to:
            return (
                _(
                    "Conversation #%(number)s: %(clock)s target missed (due %(due)s UTC); "
                    "reassigned to %(person)s"
                )
                % said
            )
        return (
            _(
                "Conversation #%(number)s: %(clock)s target missed (due %(due)s UTC); nobody else "
                "suitable is on shift"
            )
            % said
        )

    if member is not None:
        reassigned = Kind.REASSIGNED
        give(writes, context.roster, clock, member.user_id, reassigned, context.now, data=data)
        result.reassigned += 1
        writes.notify(Notification.Kind.BREACH, [member.user_id], text, context.now, clock.pk)
    writes.notify(Notification.Kind.BREACH, head_ids, text, context.now, clock.pk)


def _handover(
    context: Context, result: SweepResult, writes: Writes, budget: Budget, head_ids: list[int]
) -> None:
    roster = context.roster
    moved: list[Clock] = []
    for member in list(roster.members.values()):
        if member.on_shift or budget.left <= 0:
            continue
        team = roster.teams.get(member.team_id) if member.team_id else None
        mode = team.handover if team else Team.Handover.DUE_BEFORE_NEXT_SHIFT
        if mode == Team.Handover.NONE and not member.away:
            continue
        rows = Clock.objects.filter(assignee_id=member.user_id, is_open=True, routed=True)
        back = roster.next_shift(member.user_id)
        if mode == Team.Handover.DUE_BEFORE_NEXT_SHIFT and not member.away:
            rows = rows.filter(earliest_due__lt=back) if back else rows.exclude(earliest_due=None)
        for clock in rows.select_for_update(skip_locked=True).order_by("earliest_due")[
            : max(budget.left, 0) + 1
        ]:
            if not budget.take():
                break
            _hand_over(context, clock, member, back, result, writes)
            moved.append(clock)
    save_fields(moved, ["assignee", "assigned_at"])


def _hand_over(
    context: Context,
    clock: Clock,
    member: Member,
    back: datetime | None,
    result: SweepResult,
    writes: Writes,
) -> None:
    roster = context.roster
    reason = "away" if member.away else "shift ended"
    backup = roster.backup_for(member.user_id)
    eligible = roster.eligible(
        clock.team_id, clock.language, clock.category, due=clock.earliest_due
    )
    if backup and any(m is backup for m in eligible):
        target: Member | None = backup
    else:
        target = decide(roster, clock, exclude=[member.user_id])
    data = {"reason": reason, "back": back.isoformat() if back else None}
    if target is None:
        give(writes, roster, clock, None, Kind.QUEUED, context.now, data=data)
        result.requeued += 1
        return
    give(writes, roster, clock, target.user_id, Kind.HANDOVER, context.now, data=data)
    result.handed_over += 1
    words = {"number": clock.pk, "person": member.email}

    def text() -> str:
        if reason == "away":
            return _("Conversation #%(number)s handed over to you from %(person)s (away)") % words
        return (
            _("Conversation #%(number)s handed over to you from %(person)s (shift ended)") % words
        )

    writes.notify(Notification.Kind.HANDOVER, [target.user_id], text, context.now, clock.pk)


def _queue(
    context: Context, result: SweepResult, writes: Writes, budget: Budget, head_ids: list[int]
) -> None:
    """Unassigned conversations go to whoever came on shift: follow the sun. One in a
    language nobody on shift reads goes to them all the same when its answer is due before
    anyone who reads it comes on shift."""
    roster = context.roster
    wanted = Q(pk__in=[])
    for team_id in roster.teams:
        team = roster.of_team(team_id)
        on_shift = [m for m in team if m.on_shift and m.load < m.capacity]
        if not on_shift:
            continue
        spoken = {lang for m in team if m.availability is not None for lang in m.languages}
        ready = {lang for m in on_shift for lang in m.languages}
        wanted |= Q(team_id=team_id) & (Q(language__in=ready) | ~Q(language__in=spoken))
        present = {lang for m in team if m.on_shift for lang in m.languages}
        for language in sorted(spoken - present):
            back = roster.readers_back(team_id, language)
            due = Q(earliest_due__lt=back) if back else Q(earliest_due__isnull=False)
            wanted |= Q(team_id=team_id, language=language) & due
    if budget.left <= 0:
        return
    rows = list(
        Clock.objects.select_for_update(skip_locked=True)
        .filter(wanted, assignee=None, is_open=True, routed=True)
        .order_by(F("earliest_due").asc(nulls_last=True), "pk")[: budget.left]
    )
    given = []
    for clock in rows:
        if not budget.take():
            break
        member = decide(roster, clock)
        if member is not None:
            data = {"from_queue": True}
            give(writes, roster, clock, member.user_id, Kind.ASSIGNED, context.now, data=data)
            given.append(clock)
            result.assigned += 1
    save_fields(given, ["assignee", "assigned_at"])


def _resync_loads(context: Context) -> None:
    """The load counters follow every assignment; a crash or an edit could still skew them.
    A few people are recounted per sweep, in turn (an indexed count each)."""
    members = sorted(context.roster.members.values(), key=lambda m: m.person_id)
    if not members:
        return
    start = (int(context.now.timestamp()) // 60 * RESYNC) % len(members)
    for member in (members + members)[start : start + min(RESYNC, len(members))]:
        actual = Clock.objects.filter(assignee_id=member.user_id, is_open=True, routed=True).count()
        if member.load != actual:
            Person.objects.filter(pk=member.person_id).update(load=actual)
            member.load = actual


def save_fields(rows: Sequence[Clock], names: Sequence[str]) -> None:
    """One UPDATE statement run for many rows: what ``bulk_update`` does, without building a
    CASE expression per field (slow to compile for hundreds of rows)."""
    if not rows:
        return
    fields = [cast("Field[Any, Any]", Clock._meta.get_field(name)) for name in names]
    table, key = Clock._meta.db_table, Clock._meta.pk.column
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    # Table and column names come from the model, values go as parameters.
    statement = f"UPDATE {quote(table)} SET {assignments} WHERE {quote(str(key))} = %s"  # noqa: S608
    values = [
        [*(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields), row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, values)
