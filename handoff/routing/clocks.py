"""SLA clocks from a conversation's history: plain functions over plain data.

First response: from the first customer message to the first reply.
Next response: from the first customer message after a reply to the next reply.
Resolution: from the first customer message until solved.
Each counts on the policy's calendar with the pauses cut out (waiting on the
customer, solved, snoozed); a clock that is paused now has no due time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handoff.routing.time.calendar import ALWAYS, Calendar, Without, add

Pause = tuple[datetime, datetime | None]


@dataclass(frozen=True, slots=True)
class Targets:
    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None
    remind_at: float = 0.75
    calendar: Calendar = ALWAYS


@dataclass(slots=True)
class History:
    inbound: Sequence[datetime]  # human customer messages, in order
    outbound: Sequence[datetime]  # human replies, in order
    solved_at: datetime | None = None
    pauses: Sequence[Pause] = ()


@dataclass(slots=True)
class Dues:
    first_response_due: datetime | None = None
    first_response_warn: datetime | None = None
    first_responded_at: datetime | None = None
    next_response_started: datetime | None = None
    next_response_due: datetime | None = None
    next_response_warn: datetime | None = None
    resolution_due: datetime | None = None
    resolution_warn: datetime | None = None
    resolved_at: datetime | None = None
    running: dict[str, tuple[datetime | None, datetime]] = field(default_factory=dict)

    @property
    def respond_by(self) -> datetime | None:
        dues = [self.running[k][1] for k in self.running if not k.startswith("resolution")]
        return min(dues, default=None)

    @property
    def earliest_due(self) -> datetime | None:
        return min((due for _, due in self.running.values()), default=None)


def _timer(
    calendar: Calendar, start: datetime, target: timedelta, share: float, frozen_at: datetime | None
) -> tuple[datetime | None, datetime | None]:
    """(warn, due) of a clock started at ``start``; (None, None) while frozen by an open pause."""
    horizon = {"horizon": frozen_at - start} if frozen_at else {}
    if frozen_at is not None and frozen_at <= start:
        return None, None
    due = add(calendar, start, target, **horizon)
    warn = add(calendar, start, target * share, **horizon) if due else None
    return warn, due


def compute(history: History, targets: Targets) -> Dues:
    dues = Dues()
    if not history.inbound:
        return dues  # we wrote first: nothing to answer yet
    closed = [(a, b) for a, b in history.pauses if b is not None]
    frozen = next((a for a, b in history.pauses if b is None), None)
    calendar: Calendar = Without(targets.calendar, closed) if closed else targets.calendar
    share = min(max(targets.remind_at, 0.0), 1.0)
    first_in = history.inbound[0]
    first_out = next((t for t in history.outbound if t >= first_in), None)
    dues.first_responded_at = first_out
    if targets.first_response is not None:
        # Kept after the reply: attainment compares the reply with it.
        warn, due = _timer(
            calendar, first_in, targets.first_response, share, None if first_out else frozen
        )
        dues.first_response_warn, dues.first_response_due = warn, due
        if first_out is None and due:
            dues.running["first_response"] = (warn, due)
    last_out = history.outbound[-1] if history.outbound else None
    if first_out is not None and last_out is not None and targets.next_response is not None:
        waiting = [t for t in history.inbound if t > last_out]
        if waiting:
            dues.next_response_started = waiting[0]
            warn, due = _timer(calendar, waiting[0], targets.next_response, share, frozen)
            dues.next_response_warn, dues.next_response_due = warn, due
            if due:
                dues.running[f"next_response@{waiting[0].isoformat()}"] = (warn, due)
    dues.resolved_at = history.solved_at
    if targets.resolution is not None:
        solved = history.solved_at is not None
        # Solved: the due time it had, kept for attainment; otherwise running unless paused.
        warn, due = _timer(
            calendar, first_in, targets.resolution, share, None if solved else frozen
        )
        dues.resolution_warn, dues.resolution_due = warn, due
        if due and not solved:
            dues.running["resolution"] = (warn, due)
    return dues


def next_check(
    running: dict[str, tuple[datetime | None, datetime]], ladder: dict[str, str]
) -> datetime | None:
    """When the sweep must next look: the next reminder or breach not yet handled."""
    found = []
    for key, (warn, due) in running.items():
        stage = ladder.get(key)
        if stage is None:
            found.append(warn or due)
        elif stage == "reminded":
            found.append(due)
    return min(found, default=None)
