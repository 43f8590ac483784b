"""Routing's actions, called by every door (pipeline, desk, worker).

``route(ids, now)`` after triage, and again on every event of a conversation
(message in, reply out, status change): it reads the facts, applies the routing
rules and the SLA policy, recomputes every clock from the history, and assigns
an unassigned conversation to someone on shift, or leaves it in the team queue.
It is idempotent. ``assign`` and ``snooze`` are the desk's manual actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.db import bulk, locks
from handoff.routing.assign import Writes, account, counted, decide, give
from handoff.routing.clocks import Dues, History, compute, next_check
from handoff.routing.inputs import Facts, Trail, facts_for, trails_for
from handoff.routing.models import Clock
from handoff.routing.pauses import WOKEN, apply, pauses_of, spans
from handoff.routing.policies import Book
from handoff.routing.roster import Roster
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event
from handoff.tickets.timeline import Kind

PAUSING: dict[str, str] = {
    Conversation.Status.PENDING.value: "pending",
    Conversation.Status.SOLVED.value: "solved",
}


@dataclass
class RouteResult:
    routed: int = 0
    assigned: int = 0
    queued: int = 0  # unassigned, waiting for someone suitable on shift
    skipped: int = 0  # not routed (noise, rules)


@dataclass
class Context:
    now: datetime
    roster: Roster
    book: Book
    default_team: int | None

    @classmethod
    def load(cls, now: datetime) -> Context:
        roster = Roster.load(now)
        return cls(now, roster, Book.load(), min(roster.teams, default=None))

    @cached_property
    def founder(self) -> int | None:
        return (
            User.objects.filter(role=Role.FOUNDER, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )

    @cached_property
    def founder_readers(self) -> frozenset[int]:
        """Who may hold a founder-lane conversation (the desk hides it from the others)."""
        readers = User.objects.filter(role__in=FOUNDER_READERS, is_active=True)
        return frozenset(readers.values_list("pk", flat=True))


FOUNDER_READERS = (Role.FOUNDER, Role.HEAD, Role.ADMIN)


def route(conversation_ids: Sequence[int], now: datetime | None = None) -> RouteResult:
    now = now or timezone.now()
    ids = sorted(set(conversation_ids))
    result = RouteResult()
    if not ids:
        return result
    # One transaction and one read of the clocks for the whole batch: routing an
    # imported mailbox conversation by conversation cost a query and a commit each.
    with transaction.atomic():
        # Before reading: a worker routing one of these conversations commits first. Two
        # routing a new conversation at once would both create its clock; with a clock
        # there, the last to commit would write clocks made without the other's message.
        locks.wait(ROUTING_LOCK, ids)
        context = Context.load(now)
        trails, first_in = trails_for(ids)
        for pk, pauses in pauses_of(ids).items():
            trails[pk].pauses = pauses
        facts = facts_for(ids, first_in)
        conversations = Conversation.objects.filter(pk__in=ids).annotate(
            status_at=Max("events__at", filter=Q(events__kind=Event.Kind.STATUS))
        )
        clocks = {
            clock.pk: clock
            for clock in Clock.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        saves = Saves(Writes(), {clock.customer for clock in clocks.values()})
        for conversation in conversations:
            trails[conversation.pk].status_at = conversation.status_at
            outcome = _route_one(
                context,
                conversation,
                facts[conversation.pk],
                trails[conversation.pk],
                clocks.get(conversation.pk),
                saves,
            )
            setattr(result, outcome, getattr(result, outcome) + 1)
        saves.flush()
    return result


ROUTING_LOCK = 0x524F5554  # any constant shared by every worker


# The answer-by times whose start goes on the timeline, and their names there.
STARTS = {"first_response_due": "first_response", "next_response_due": "next_response"}
CLOCK_FIELDS = [f.name for f in Clock._meta.concrete_fields if not f.primary_key]


@dataclass
class Saves:
    """The clocks and writes of a batch, saved together at the end (or when a decision
    must read earlier clocks of the same batch: the customer's previous assignee)."""

    writes: Writes
    customers: set[str]  # of the clocks not saved yet, before and after
    created: list[Clock] = field(default_factory=list)
    changed: list[Clock] = field(default_factory=list)

    def add(self, clock: Clock, created: bool, previous_customer: str) -> None:
        (self.created if created else self.changed).append(clock)
        self.customers |= {clock.customer, previous_customer}

    def before_decide(self, customer: str) -> None:
        if customer and customer in self.customers:
            self.flush()

    def flush(self) -> None:
        bulk.insert(self.created)
        # Rows that exist (locked above): an upsert is one cheap statement where
        # bulk_update builds a CASE per row and field.
        bulk.insert(self.changed, unique=["conversation"], update=CLOCK_FIELDS)
        self.writes.flush()
        self.created, self.changed, self.customers = [], [], set()


def assign(
    conversation_id: int,
    user_id: int | None,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Manual (re)assignment from the desk: no shift check, recorded on the timeline."""
    now = now or timezone.now()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().filter(pk=conversation_id).first()
        if clock is None:
            route([conversation_id], now)
            clock = Clock.objects.select_for_update().get(pk=conversation_id)
        kind = Kind.ASSIGNED if user_id else Kind.QUEUED
        writes = Writes()
        give(writes, None, clock, user_id, kind, now, actor_id=actor_id, data={"manual": True})
        writes.flush()
        clock.updated_at = now
        clock.save(update_fields=["assignee", "assigned_at", "updated_at"])


def snooze(
    conversation_id: int,
    until: datetime,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """The clocks stop until ``until`` (a pause with an end), then run again by themselves."""
    now = now or timezone.now()
    with transaction.atomic():
        clock = Clock.objects.select_for_update().filter(pk=conversation_id).first()
        if clock is None:
            route([conversation_id], now)
            clock = Clock.objects.select_for_update().get(pk=conversation_id)
        clock.snoozed_until = until
        timeline.append(
            conversation_id,
            Kind.PAUSED,
            at=now,
            actor_id=actor_id,
            start=now.isoformat(),
            until=until.isoformat(),
            reason="snoozed",
        )
        clock.save(update_fields=["snoozed_until"])
    route([conversation_id], now)


def _route_one(
    context: Context,
    conversation: Conversation,
    facts: Facts,
    trail: Trail,
    clock: Clock | None,
    saves: Saves,
) -> str:
    now, roster = context.now, context.roster
    writes = saves.writes
    created = clock is None
    if clock is None:
        clock = Clock(conversation=conversation)
    before = (clock.assignee_id, counted(clock) if not created else False)
    previous_customer, previous_lane = clock.customer, clock.lane
    clock.lane, clock.category, clock.language = facts.lane, facts.category, facts.language
    clock.customer = facts.customer
    fixed = _apply_rules(context, clock, facts)
    clock.is_open = (
        conversation.merged_into_id is None and conversation.status != Conversation.Status.SOLVED
    )
    _wake(writes, clock, now, trail)
    solved_at = _track_pauses(writes, clock, conversation, now, trail)
    policy = context.book.policy_for(facts) if clock.routed else None
    clock.policy = policy
    if policy is not None:
        history = History(trail.inbound, trail.outbound, solved_at, spans(trail.pauses))
        dues = compute(history, context.book.targets[policy.pk])
    else:
        dues = Dues()
    started = {name: getattr(clock, name) for name in STARTS}
    _store(clock, dues)
    for name, was in started.items():
        due = getattr(clock, name)
        if policy is not None and due is not None and was is None and clock.is_open:
            writes.step(clock.pk, Kind.CLOCK, now, clock=STARTS[name], due=due.isoformat(),
                        policy=policy.name)  # fmt: skip
    account(writes, roster, before, clock)
    outcome = "routed" if clock.routed else "skipped"
    _follow_the_lane(context, writes, clock, previous_lane)
    if fixed is not None and clock.assignee_id is None:
        give(writes, roster, clock, fixed, Kind.ASSIGNED, now, data={"rule": True})
        outcome = "assigned"
    elif clock.routed and clock.is_open and clock.assignee_id is None:
        member = decide(roster, clock, settle=saves.before_decide)
        if member is not None:
            give(writes, roster, clock, member.user_id, Kind.ASSIGNED, now)
            outcome = "assigned"
        else:
            if created:
                writes.step(clock.pk, Kind.QUEUED, now)
            outcome = "queued"
    clock.updated_at = now
    saves.add(clock, created, previous_customer)
    return outcome


def _follow_the_lane(context: Context, writes: Writes, clock: Clock, previous: str) -> None:
    """Founder mail is never left with someone who may not read it; a conversation handed
    back to the team leaves the founder for someone on shift."""
    held = clock.assignee_id
    if held is None:
        return
    if clock.lane == "founder" and held not in context.founder_readers:
        give(writes, context.roster, clock, None, Kind.QUEUED, context.now,
             data={"reason": "founder lane"})  # fmt: skip
    elif previous == "founder" and clock.lane != "founder" and held == context.founder:
        give(writes, context.roster, clock, None, Kind.QUEUED, context.now,
             data={"reason": "handed to the team"})  # fmt: skip


def _apply_rules(context: Context, clock: Clock, facts: Facts) -> int | None:
    """Set ``routed`` and ``team``; return a fixed assignee named by a rule."""
    rule = context.book.rule_for(facts)
    if rule is not None:
        clock.routed = not rule.skip
        clock.team_id = rule.team_id or (None if rule.assignee_id else context.default_team)
        return rule.assignee_id
    if facts.lane == "noise":
        clock.routed, clock.team_id = False, None
        return None
    if facts.lane == "founder":
        clock.routed, clock.team_id = True, None
        return context.founder
    named = next((t.pk for t in context.roster.teams.values() if t.name == facts.team), None)
    clock.routed, clock.team_id = True, named or context.default_team
    return None


def _wake(writes: Writes, clock: Clock, now: datetime, trail: Trail) -> None:
    """A customer who writes while the conversation is snoozed wakes it: the snooze ends
    when they wrote, and it is back in the queues."""
    if clock.snoozed_until is None or clock.snoozed_until <= now or not trail.inbound:
        return
    for pause in trail.pauses:
        if pause[2] != "snoozed" or not pause[1]:
            continue
        start = datetime.fromisoformat(str(pause[0]))
        if datetime.fromisoformat(pause[1]) > now and trail.inbound[-1] > start:
            end = min(now, trail.inbound[-1]).isoformat()
            clock.snoozed_until = None
            writes.step(clock.pk, Kind.RESUMED, now, reason=WOKEN, end=end)
            apply(trail.pauses, Kind.RESUMED, now, {"reason": WOKEN, "end": end})


def _track_pauses(
    writes: Writes, clock: Clock, conversation: Conversation, now: datetime, trail: Trail
) -> datetime | None:
    """Open or close the pause the status calls for; return when it was solved, if it is.

    A customer who writes while the conversation waits on them ends the wait, whatever
    the status still says."""
    reason = "merged" if conversation.merged_into_id else PAUSING.get(conversation.status, "")
    pauses = trail.pauses
    current = next((p for p in pauses if p[1] is None), None)
    ended = now
    if reason == "pending" and trail.inbound:
        waits = [p for p in pauses if len(p) > 2 and p[2] == "pending"]
        since = trail.status_at or (datetime.fromisoformat(str(waits[-1][0])) if waits else now)
        if trail.inbound[-1] > since:
            reason, ended = "", min(now, max(trail.inbound[-1], since))
    if current is not None and current[2] != reason:
        current[1] = ended.isoformat()
        writes.step(clock.pk, Kind.RESUMED, now, end=current[1])
        current = None
    if current is None and reason:
        start = min(now, trail.status_at) if trail.status_at and reason != "merged" else now
        ends = [datetime.fromisoformat(str(p[1])) for p in pauses if p[1]]
        start = max([start, *(e for e in ends if e <= now)])  # never over a time it ran
        current = [start.isoformat(), None, reason]
        pauses.append(current)
        writes.step(clock.pk, Kind.PAUSED, now, reason=reason, start=current[0])
    if current is not None and current[2] == "solved":
        return datetime.fromisoformat(str(current[0]))
    return None


def _store(clock: Clock, dues: Dues) -> None:
    for name in (
        "first_response_due",
        "first_response_warn",
        "first_responded_at",
        "next_response_started",
        "next_response_due",
        "next_response_warn",
        "resolution_due",
        "resolution_warn",
        "resolved_at",
    ):
        setattr(clock, name, getattr(dues, name))
    running = dues.running if clock.is_open else {}
    clock.respond_by = dues.respond_by if clock.is_open else None
    clock.earliest_due = dues.earliest_due if clock.is_open else None
    clock.ladder = {k: v for k, v in clock.ladder.items() if k in running}
    clock.next_check_at = next_check(running, clock.ladder)
    if clock.respond_by is None:
        clock.at_risk = False
