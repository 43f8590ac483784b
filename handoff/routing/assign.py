"""Choosing a person, and recording the choice (assignee, load, timeline).

Writes that many decisions share (timeline rows, notifications, load counters)
are gathered in ``Writes`` and flushed once, inside the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import F

from handoff.routing.models import Clock, Notification, Person
from handoff.routing.notify import Text, grouped, in_their_language
from handoff.routing.roster import Member, Roster
from handoff.routing.strategies import strategy
from handoff.tickets import timeline
from handoff.tickets.models import Event


@dataclass
class Writes:
    steps: list[Event] = field(default_factory=list)  # the conversations' timeline rows
    # (kind, user ids, text, at, conversation): written in each reader's language at flush.
    notifications: list[tuple[str, list[int], Text, datetime, int | None]] = field(
        default_factory=list
    )
    loads: Counter[int] = field(default_factory=Counter)  # user id -> change of load
    turns: dict[int, datetime] = field(default_factory=dict)  # user id -> last assigned

    def step(self, clock_id: int, kind: str, at: datetime, **fields: Any) -> None:
        """A row of the conversation's timeline (``fields``: actor_id, person_id, payload)."""
        self.steps.append(timeline.entry(clock_id, kind, at=at, **fields))

    def notify(
        self, kind: str, users: Iterable[int], text: Text, at: datetime, clock_id: int | None = None
    ) -> None:
        self.notifications.append((kind, list(dict.fromkeys(users)), text, at, clock_id))

    def flush(self) -> None:
        timeline.append_all(self.steps)
        pending = grouped(
            [
                (kind, u, text, at, pk)
                for kind, users, text, at, pk in self.notifications
                for u in users
            ]
        )
        say = in_their_language({u for _, u, *_ in pending})
        Notification.objects.bulk_create(
            (
                Notification(
                    kind=kind, user_id=u, conversation_id=pk, text=say(u, text), created_at=at
                )
                for kind, u, text, at, pk in pending
            ),
            batch_size=1000,
        )
        for user_id in {*self.loads, *self.turns}:
            changes: dict[str, Any] = {}
            if self.loads[user_id]:
                changes["load"] = F("load") + self.loads[user_id]
            if user_id in self.turns:
                changes["last_assigned_at"] = self.turns[user_id]
            if changes:
                Person.objects.filter(user_id=user_id).update(**changes)
        self.steps, self.notifications = [], []
        self.loads, self.turns = Counter(), {}


def counted(clock: Clock) -> bool:
    """Whether the conversation weighs on its assignee's load."""
    return clock.routed and clock.is_open


def previous_assignee(clock: Clock) -> int | None:
    """The person who last had a conversation with the same customer (sticky assignment)."""
    if not clock.customer:
        return None
    return (
        Clock.objects.filter(customer=clock.customer, assignee__isnull=False)
        .exclude(pk=clock.pk)
        .order_by("-assigned_at")
        .values_list("assignee_id", flat=True)
        .first()
    )


def decide(
    roster: Roster,
    clock: Clock,
    *,
    exclude: Iterable[int] = (),
    settle: Callable[[str], None] | None = None,
) -> Member | None:
    """The person on shift who should take ``clock``'s conversation now, or ``None``.

    ``settle(customer)``: called before the customer's earlier clocks are read, for a
    caller that holds some of them unsaved."""
    candidates = roster.eligible(
        clock.team_id, clock.language, clock.category, due=clock.earliest_due, exclude=exclude
    )
    if not candidates:
        return None
    team = roster.teams.get(clock.team_id) if clock.team_id else None
    if team is None or team.sticky:
        if settle is not None:
            settle(clock.customer)
        previous = previous_assignee(clock)
        if previous is not None:
            backup = roster.backup_for(previous)
            for member in candidates:
                if member.user_id == previous or (backup and member.user_id == backup.user_id):
                    return member
    return strategy(team.strategy if team else "least_loaded")(candidates)


def account(
    writes: Writes, roster: Roster | None, before: tuple[int | None, bool], clock: Clock
) -> None:
    """Move the conversation's weight from the old assignee to the new one."""
    old, old_counted = before
    new, new_counted = clock.assignee_id, counted(clock)
    changes: Counter[int] = Counter()
    if old is not None and old_counted:
        changes[old] -= 1
    if new is not None and new_counted:
        changes[new] += 1
    for user_id, delta in changes.items():
        writes.loads[user_id] += delta
        member = roster.members.get(user_id) if roster else None
        if member:
            member.load += delta


def give(
    writes: Writes,
    roster: Roster | None,
    clock: Clock,
    user_id: int | None,
    kind: str,
    now: datetime,
    *,
    actor_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Assign (or unassign, with ``None``) and record it; the caller saves ``clock``."""
    if user_id == clock.assignee_id:
        return
    before = (clock.assignee_id, counted(clock))
    data = dict(data or {})
    if clock.assignee_id is not None:
        data.setdefault("from", clock.assignee_id)
    clock.assignee_id = user_id
    clock.assigned_at = now if user_id else None
    account(writes, roster, before, clock)
    if user_id is not None:
        writes.turns[user_id] = now
        member = roster.members.get(user_id) if roster else None
        if member:
            member.last_assigned_at = now
        automatic = actor_id is None and not data.keys() & {"rule", "manual"}
        if automatic and roster and roster.unread(user_id, clock.team_id, clock.language):
            data["unread"] = clock.language  # due before anyone who reads it is on shift
    writes.step(clock.pk, kind, now, actor_id=actor_id, person_id=user_id, **data)
