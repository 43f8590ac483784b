"""The cockpit's figures about people: the team's load, the customers' ratings, the
founder's peeks and what waits for her. Definitions as in ``handoff.cockpit.figures``."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Count, Q

from handoff.accounts.models import Role, User
from handoff.cockpit.figures import (
    ASSIGNEE,
    FIRST,
    FIRST_MET,
    NEEDS,
    SCORES,
    Period,
    Row,
    median,
    share,
    sheet,
)
from handoff.desk.models import Peek, Rating
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation

# -- the team ----------------------------------------------------------------------------


@dataclass
class Load:
    user_id: int
    name: str
    open_now: int = 0
    handled: int = 0
    first: list[float] = field(default_factory=list)
    kept: int = 0
    missed: int = 0
    settled: tuple[float | None] | None = field(default=None, repr=False)

    def settle(self) -> None:
        self.settled = (median(self.first),)
        self.first = []

    @property
    def first_median(self) -> float | None:
        return self.settled[0] if self.settled else median(self.first)

    @property
    def attainment(self) -> float | None:
        return share(self.kept, self.kept + self.missed)


def team(period: Period, rows: list[Row] | None = None) -> list[Load]:
    """Per person: open conversations held now, conversations of the period they held,
    their first-response median and attainment."""
    people = {
        pk: Load(pk, str(user))
        for pk, user in (
            (u.pk, u) for u in User.objects.filter(is_active=True).exclude(role=Role.FOUNDER)
        )
    }
    for assignee, n in (
        Clock.objects.filter(is_open=True, assignee__isnull=False)
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
    ):
        if assignee in people:
            people[assignee].open_now = n
    for row in sheet(period) if rows is None else rows:
        load = people.get(row[ASSIGNEE]) if row[NEEDS] else None
        if load is None:
            continue
        load.handled += 1
        if row[FIRST] is not None:
            load.first.append(row[FIRST])
        met = row[FIRST_MET]
        if met is not None:
            load.kept += bool(met)
            load.missed += not met
    return sorted((p for p in people.values() if p.handled or p.open_now), key=lambda p: -p.handled)


def whole(loads: Sequence[Load]) -> Load:
    """The team as one: what the founder sees unless she opens the per-person view."""
    found = Load(0, "")
    for load in loads:
        found.handled += load.handled
        found.open_now += load.open_now
        found.first += load.first
        found.kept += load.kept
        found.missed += load.missed
    return found


# -- satisfaction and peeks --------------------------------------------------------------


@dataclass
class Satisfaction:
    counts: Counter[str]
    weeks: list[tuple[date, Counter[str]]]
    comments: list[tuple[int, str, str, datetime]]  # (conversation, score, comment, at)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good(self) -> float | None:
        return share(self.counts["good"], self.total)


def satisfaction(period: Period, *, listed: int = 20) -> Satisfaction:
    """Ratings of the period by score and by local week (counted by the database, one
    pass), and the latest comments."""
    mondays = period.weeks()
    edges = [period.start]
    edges += [max(datetime.combine(m, time(), period.zone), period.start) for m in mondays[1:]]
    edges.append(period.end)
    found = Rating.objects.filter(at__gte=period.start, at__lt=period.end).aggregate(
        **{
            f"{score}{i}": Count("pk", filter=Q(score=score, at__gte=low, at__lt=high))
            for i, (low, high) in enumerate(itertools.pairwise(edges))
            for score in SCORES
        }
    )
    weeks = []
    counts: Counter[str] = Counter()
    for i, monday in enumerate(mondays):
        week = Counter({score: found[f"{score}{i}"] for score in SCORES if found[f"{score}{i}"]})
        counts.update(week)
        weeks.append((monday, week))
    if not listed:
        return Satisfaction(counts, weeks, [])
    comments = (
        Rating.objects.filter(at__gte=period.start, at__lt=period.end)
        .exclude(comment="")
        .order_by("-at")
        .values_list("conversation_id", "score", "comment", "at")
    )
    return Satisfaction(counts, weeks, list(comments[:listed]))


def peeks(period: Period) -> list[tuple[date, int]]:
    """The founder's peeks per local week of the period."""
    weeks: Counter[date] = Counter({w: 0 for w in period.weeks()})
    for at in Peek.objects.filter(at__gte=period.start, at__lt=period.end).values_list(
        "at", flat=True
    ):
        weeks[period.week_of(at)] += 1
    return sorted(weeks.items())


def peek_count(period: Period) -> int:
    return Peek.objects.filter(at__gte=period.start, at__lt=period.end).count()


def waiting_for_founder() -> list[tuple[int, str, datetime]]:
    """Founder-lane conversations still open, oldest first: not those she answered and that
    wait on the other side (the demo's digest listed investors' threads answered in September)."""
    return list(
        Conversation.objects.filter(Q(lane__lane="founder"), merged_into=None, clock__is_open=True)
        .exclude(status=Conversation.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", "subject", "created_at")
    )
