"""The cockpit's roll-up: what happened to each conversation, as one ``Outcome`` row.

Why a roll-up and not queries over the timeline at each page view: a 90-day period of a
busy desk is tens of thousands of conversations and hundreds of thousands of timeline
rows; a first-response time needs the first customer message, the clock's due time and
the pauses of each one. Computed once per change by the worker (``refresh_changed``, on
every tick: the timeline rows written since the last refresh name the conversations to
redo), the cockpit's page is then one indexed range over ``Outcome.opened_at``.

The roll-up reads the flow's rows and writes only its own table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.cockpit.models import Outcome, Refresh
from handoff.db import bulk
from handoff.mailout.models import Outgoing
from handoff.routing.models import Clock
from handoff.routing.pauses import pauses_of, spans
from handoff.tickets.models import Conversation, Event, Message
from handoff.tickets.timeline import HISTORY
from handoff.triage.models import ConversationLane

CHUNK = 1000
FIELDS = [f.name for f in Outcome._meta.concrete_fields if not f.primary_key]


def refresh_all(now: datetime | None = None) -> int:
    """Every conversation again (after a bulk load, or to repair): how many rows written."""
    done, last = catch_up(now, everything=True)
    mark(last, now)
    return done


def refresh_changed(now: datetime | None = None) -> int:
    """The conversations whose timeline moved since the last refresh (the worker's tick).
    The refresh's time moves on even when nothing did: the cockpit's periods end there."""
    done, last = catch_up(now)
    mark(last, now)
    return done


def catch_up(now: datetime | None = None, *, everything: bool = False) -> tuple[int, int]:
    """The roll-up brought up to date, the readers not told yet (``mark`` does): how many
    rows written, and the last timeline row they account for."""
    state = Refresh.objects.order_by("pk").first() or Refresh(last_event=0)
    last = Event.objects.aggregate(last=Max("id"))["last"] or 0
    if everything:
        ids: Iterable[int] = (
            Conversation.objects.order_by("pk").values_list("pk", flat=True).iterator(CHUNK)
        )
    elif last <= state.last_event:
        return 0, state.last_event
    else:
        ids = sorted(
            Event.objects.filter(id__gt=state.last_event, id__lte=last)
            .order_by()
            .values_list("conversation_id", flat=True)
            .distinct()
        )
    return refresh(ids, now), last


def mark(last: int, now: datetime | None) -> None:
    """The roll-up's state as the readers see it: its last timeline row, its time."""
    state = Refresh.objects.order_by("pk").first() or Refresh()
    state.last_event, state.at = last, now or timezone.now()
    state.save()


def refresh(conversation_ids: Iterable[int], now: datetime | None = None) -> int:
    now = now or timezone.now()
    founders = _founders()
    done = 0
    for chunk in _chunks(iter(conversation_ids)):
        with transaction.atomic():
            rows = outcomes(chunk, now, founders)
            Outcome.objects.filter(pk__in=chunk).exclude(pk__in=[r.pk for r in rows]).delete()
            bulk.insert(rows, update=FIELDS, unique=["conversation"])
        done += len(rows)
    return done


def _chunks(ids: Iterator[int]) -> Iterator[list[int]]:
    while chunk := list(islice(ids, CHUNK)):
        yield chunk


class Founders:
    """The founder's people and addresses: what tells that the founder stepped in."""

    def __init__(self, users: Sequence[tuple[int, str]]) -> None:
        self.ids = frozenset(pk for pk, _ in users)
        self.addresses = frozenset(email.lower() for _, email in users)


def _founders() -> Founders:
    return Founders(list(User.objects.filter(role=Role.FOUNDER).values_list("pk", "email")))


def outcomes(ids: Sequence[int], now: datetime, founders: Founders) -> list[Outcome]:
    """The outcome of each conversation of ``ids`` that stands on its own (merged ones are
    counted in the one they went into), in a fixed number of queries."""
    conversations = dict(
        Conversation.objects.filter(pk__in=ids, merged_into=None).values_list("pk", "created_at")
    )
    keep = list(conversations)
    lanes = {
        row[0]: row[1:]
        for row in ConversationLane.objects.filter(pk__in=keep).values_list(
            "pk", "lane", "category", "language", "moved_to"
        )
    }
    clocks = {
        row["conversation_id"]: row
        for row in Clock.objects.filter(pk__in=keep).values(
            "conversation_id",
            "assignee_id",
            "is_open",
            "first_responded_at",
            "first_response_due",
            "resolved_at",
            "resolution_due",
            "breached_at",
            "policy__first_response",
            "policy__resolution",
        )
    }
    opened = dict(
        Message.objects.filter(conversation_id__in=keep, direction=Message.Direction.IN, noise="")
        .order_by()
        .values("conversation_id")
        .annotate(first=Min("received_at"))
        .values_list("conversation_id", "first")
    )
    for pk, at in _since_history(keep).items():  # imported as history: none of the desk's work
        opened.pop(pk, None)
        if at is not None:  # until the customer wrote again
            opened[pk] = at
    jumped = set(
        Message.objects.filter(
            conversation_id__in=keep,
            direction=Message.Direction.OUT,
            from_address__in=founders.addresses,
        ).values_list("conversation_id", flat=True)
    )
    # The desk's reply button sends from the desk's address: its author tells who wrote.
    jumped |= set(
        Outgoing.objects.filter(
            conversation_id__in=keep, kind=Outgoing.Kind.REPLY, author_id__in=founders.ids
        ).values_list("conversation_id", flat=True)
    )
    jumped |= set(
        Event.objects.filter(
            conversation_id__in=keep, kind=Event.Kind.ASSIGNED, person_id__in=founders.ids
        ).values_list("conversation_id", flat=True)
    )
    escalated = {
        pk
        for pk, data in Event.objects.filter(
            conversation_id__in=keep, kind=Event.Kind.MOVED
        ).values_list("conversation_id", "data")
        if (data or {}).get("to") == "founder"
    }
    paused = pauses_of(keep)
    found = []
    for pk, created_at in conversations.items():
        lane, category, language, _moved = lanes.get(pk, ("team", "support", "en", ""))
        clock: dict[str, Any] = dict(clocks.get(pk, {}))
        start = opened.get(pk)
        if lane == "founder":
            founder = Outcome.Founder.ESCALATED if pk in escalated else Outcome.Founder.LANE
        elif pk in escalated:
            # Handed back: the team asked first (routing then gave it to the founder).
            founder = Outcome.Founder.ESCALATED
        elif pk in jumped:
            founder = Outcome.Founder.JUMPED_IN
        else:
            founder = Outcome.Founder.TEAM
        outcome = Outcome(
            conversation_id=pk,
            opened_at=start or created_at,
            lane=lane,
            category=category,
            language=(language or "en").lower(),
            needs_answer=lane != "noise" and start is not None,
            founder=founder if lane != "noise" else Outcome.Founder.TEAM,
            assignee_id=clock.get("assignee_id"),
            is_open=clock.get("is_open", False),
            breached_at=clock.get("breached_at"),
            refreshed_at=now,
        )
        if start is not None:
            _times(outcome, start, clock, spans(paused.get(pk, [])), now)
        found.append(outcome)
    return found


def _since_history(ids: Sequence[int]) -> dict[int, datetime | None]:
    """The conversations an import solved as history (``tickets.changes.archive``), each with
    the first message its customer wrote after that (None: none yet)."""
    archived = dict(
        Event.objects.filter(conversation_id__in=ids, kind=Event.Kind.STATUS, data__reason=HISTORY)
        .order_by()
        .values("conversation_id")
        .annotate(last=Max("at"))
        .values_list("conversation_id", "last")
    )
    found: dict[int, datetime | None] = dict.fromkeys(archived)
    if not archived:
        return found
    for pk, received_at in Message.objects.filter(
        conversation_id__in=list(archived), direction=Message.Direction.IN, noise="", thanks=False
    ).values_list("conversation_id", "received_at"):
        first = found[pk]
        if received_at > archived[pk] and (first is None or received_at < first):
            found[pk] = received_at
    return found


def _minutes(value: int | None) -> float | None:
    return None if value is None else value * 60.0


def _met(done: datetime | None, due: datetime | None, now: datetime) -> bool | None:
    """Kept (done by the due time), missed (done late, or not done and past due), or not
    known yet (not done, not due yet, or no such clock)."""
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if now > due else None


def _times(
    outcome: Outcome,
    start: datetime,
    clock: dict[str, Any],
    pauses: list[tuple[datetime, datetime | None]],
    now: datetime,
) -> None:
    responded, resolved = clock.get("first_responded_at"), clock.get("resolved_at")
    first_due, resolution_due = clock.get("first_response_due"), clock.get("resolution_due")
    if responded is not None and responded >= start:
        outcome.first_response = (responded - start).total_seconds()
    outcome.first_response_target = _minutes(clock.get("policy__first_response"))
    outcome.first_response_met = _met(responded, first_due, now)
    if resolved is not None and resolved >= start:
        outcome.resolution = (resolved - start).total_seconds() - _paused(pauses, start, resolved)
    outcome.resolution_target = _minutes(clock.get("policy__resolution"))
    outcome.resolution_met = _met(resolved, resolution_due, now)


def _paused(
    pauses: list[tuple[datetime, datetime | None]], start: datetime, end: datetime
) -> float:
    """Seconds of ``start``–``end`` the clocks were paused (waiting on the customer,
    snoozed), overlapping pauses counted once; the pause that solving opens starts at
    ``end`` and counts for nothing."""
    total, reached = 0.0, start
    for begin, finish in sorted(pauses, key=lambda p: p[0]):
        low, high = max(begin, reached), min(finish or end, end)
        if low < high:
            total += (high - low).total_seconds()
            reached = high
    return total
