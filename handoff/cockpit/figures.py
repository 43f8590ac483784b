"""The cockpit's figures for a period, read from the roll-up (``Outcome``), the clocks (what
is open and at risk now), the ratings and the peeks. Plain values out: the page, the CSV
downloads and the digest all render the same numbers.

Definitions, so that a test can compute them by hand:
- a period is ``[start, end)`` in UTC; its days and weeks are the viewer's local ones;
- a conversation belongs to the period in which its first customer message arrived;
- median: the middle value (the mean of the two middle ones); 90th percentile: the
  nearest rank, the ``ceil(0.9 n)``-th smallest value;
- attainment: kept / (kept + missed); a clock not due yet counts in neither;
- hands-off rate: of the conversations that needed an answer (not noise), the share with
  no founder reason (founder lane, escalated to the founder, the founder jumped in).
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from handoff.accounts.models import Role, User
from handoff.cockpit.models import Outcome
from handoff.desk.models import Peek, Rating
from handoff.routing.models import Clock
from handoff.routing.roster import Roster
from handoff.tickets.models import Conversation
from handoff.triage.engine.labels import TEAM_CATEGORIES

GOAL = 0.99  # hands-off rate the founder aims at
# The founder's own promise first: pre-sales answered within the hour.
CATEGORY_ORDER = ("presales", *(c for c in TEAM_CATEGORIES if c != "presales"), "founder")
AGES = (
    ("<1h", timedelta(hours=1)),
    ("1–4h", timedelta(hours=4)),
    ("4–24h", timedelta(days=1)),
    ("1–3d", timedelta(days=3)),
    ("3–7d", timedelta(days=7)),
    (">7d", None),
)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    zone: ZoneInfo

    @classmethod
    def last(cls, days: int, now: datetime, zone: ZoneInfo) -> Period:
        return cls(now - timedelta(days=days), now, zone)

    @classmethod
    def dates(cls, first: date, last: date, zone: ZoneInfo) -> Period:
        """From the start of ``first`` to the end of ``last``, local days (DST included)."""
        start = datetime.combine(first, time(), zone).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
        return cls(start, end, zone)

    @property
    def length(self) -> timedelta:
        return self.end - self.start

    def previous(self) -> Period:
        """Just before, as long: in local days when the period is whole local days (the
        week before a week that crosses a DST change is an hour shorter or longer)."""
        first, last = self.start.astimezone(self.zone), self.end.astimezone(self.zone)
        if first.time() == last.time() == time():
            days = timedelta(days=(last.date() - first.date()).days)
            return Period.dates(first.date() - days, first.date() - timedelta(days=1), self.zone)
        return Period(self.start - self.length, self.start, self.zone)

    def weeks(self) -> list[date]:
        """The local Mondays of the weeks the period touches."""
        first = self.start.astimezone(self.zone).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(self.zone).date()
        monday = first - timedelta(days=first.weekday())
        found = []
        while monday <= last:
            found.append(monday)
            monday += timedelta(days=7)
        return found

    def week_of(self, at: datetime) -> date:
        local = at.astimezone(self.zone).date()
        return local - timedelta(days=local.weekday())


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def p90(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)), 1) - 1]


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _outcomes(period: Period) -> QuerySet[Outcome]:
    return Outcome.objects.filter(opened_at__gte=period.start, opened_at__lt=period.end)


# -- hands-off ---------------------------------------------------------------------------


@dataclass
class HandsOff:
    needed: int = 0
    by_team: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    # What the founder still handled: (conversation id, subject, reason, opened at).
    handled: list[tuple[int, str, str, datetime]] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return share(self.by_team, self.needed)


def hands_off(period: Period, *, listed: int = 50) -> HandsOff:
    found = HandsOff()
    rows = (
        _outcomes(period).filter(needs_answer=True).values_list("founder").annotate(n=Count("pk"))
    )
    for founder, n in rows:
        found.needed += n
        if founder:
            found.reasons[founder] += n
        else:
            found.by_team += n
    handled = (
        _outcomes(period)
        .filter(needs_answer=True)
        .exclude(founder="")
        .order_by("-opened_at")
        .values_list("conversation_id", "conversation__subject", "founder", "opened_at")
    )
    found.handled = list(handled[:listed])
    return found


# -- promise kept ------------------------------------------------------------------------


@dataclass
class Promise:
    key: str  # the category or the language
    count: int = 0
    first: list[float] = field(default_factory=list)
    first_target: float | None = None
    first_kept: int = 0
    first_missed: int = 0
    resolution: list[float] = field(default_factory=list)
    resolution_target: float | None = None
    resolution_kept: int = 0
    resolution_missed: int = 0

    @property
    def first_median(self) -> float | None:
        return median(self.first)

    @property
    def first_p90(self) -> float | None:
        return p90(self.first)

    @property
    def first_attainment(self) -> float | None:
        return share(self.first_kept, self.first_kept + self.first_missed)

    @property
    def resolution_median(self) -> float | None:
        return median(self.resolution)

    @property
    def resolution_p90(self) -> float | None:
        return p90(self.resolution)

    @property
    def resolution_attainment(self) -> float | None:
        return share(self.resolution_kept, self.resolution_kept + self.resolution_missed)

    def add(self, row: tuple[object, ...]) -> None:
        first, first_target, first_met, resolution, resolution_target, resolution_met = row
        self.count += 1
        if isinstance(first, float):
            self.first.append(first)
        if isinstance(resolution, float):
            self.resolution.append(resolution)
        if isinstance(first_target, float):
            self.first_target = first_target
        if isinstance(resolution_target, float):
            self.resolution_target = resolution_target
        self.first_kept += first_met is True
        self.first_missed += first_met is False
        self.resolution_kept += resolution_met is True
        self.resolution_missed += resolution_met is False


@dataclass
class Promises:
    overall: Promise
    by_category: list[Promise]
    by_language: list[Promise]


def promises(period: Period) -> Promises:
    overall = Promise("all")
    categories: dict[str, Promise] = {}
    languages: dict[str, Promise] = {}
    rows = (
        _outcomes(period)
        .filter(needs_answer=True)
        .values_list(
            "category",
            "language",
            "first_response",
            "first_response_target",
            "first_response_met",
            "resolution",
            "resolution_target",
            "resolution_met",
        )
    )
    for category, language, *times in rows:
        for promise in (
            overall,
            categories.setdefault(category, Promise(category)),
            languages.setdefault(language or "?", Promise(language or "?")),
        ):
            promise.add(tuple(times))
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return Promises(
        overall,
        sorted(categories.values(), key=lambda p: (order.get(p.key, len(order)), p.key)),
        sorted(languages.values(), key=lambda p: (-p.count, p.key)),
    )


# -- backlog -----------------------------------------------------------------------------


@dataclass
class Backlog:
    ages: list[tuple[str, int]]
    open: int
    at_risk: list[tuple[int, str, datetime | None]]  # (id, subject, answer by)
    # Breaches in the period: (id, subject, breached at, status now, first response s).
    breaches: list[tuple[int, str, datetime | None, str, float | None]]


def backlog(period: Period, now: datetime, *, listed: int = 50) -> Backlog:
    """Open now, by age since the first customer message; at risk now; breached in the
    period and what became of them."""
    opened = (
        Outcome.objects.filter(is_open=True, needs_answer=True)
        .values_list("opened_at", flat=True)
        .iterator(2000)
    )
    counts = Counter(_age(now - at) for at in opened)
    ages = [(label, counts[label]) for label, _ in AGES]
    risky = (
        Clock.objects.filter(at_risk=True, is_open=True)
        .order_by("respond_by")
        .values_list("conversation_id", "conversation__subject", "respond_by")
    )
    breached = (
        Outcome.objects.filter(breached_at__gte=period.start, breached_at__lt=period.end)
        .order_by("-breached_at")
        .values_list(
            "conversation_id",
            "conversation__subject",
            "breached_at",
            "conversation__status",
            "first_response",
        )
    )
    return Backlog(ages, sum(counts.values()), list(risky[:listed]), list(breached[:listed]))


def breach_count(period: Period) -> int:
    return Outcome.objects.filter(breached_at__gte=period.start, breached_at__lt=period.end).count()


def _age(age: timedelta) -> str:
    for label, limit in AGES:
        if limit is None or age < limit:
            return label
    return AGES[-1][0]


# -- volume and coverage -----------------------------------------------------------------


@dataclass
class Hour:
    conversations: int = 0
    staffed: int = 0  # the fewest people on shift at this hour of the week in the period
    uncovered: int = 0  # conversations that started while nobody was on shift


@dataclass
class Volume:
    by_lane: list[tuple[str, int]]
    by_category: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    week: dict[tuple[int, int], Hour]  # (weekday 0 = Monday, local hour)

    @property
    def gaps(self) -> list[tuple[int, int, Hour]]:
        """Hours of the week when mail came in and nobody was on shift."""
        return sorted((d, h, hour) for (d, h), hour in self.week.items() if hour.uncovered)


def volume(period: Period) -> Volume:
    lanes: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    starts = []
    for lane, category, language, opened_at, needs in _outcomes(period).values_list(
        "lane", "category", "language", "opened_at", "needs_answer"
    ):
        lanes[lane] += 1
        categories[category] += 1
        languages[language or "?"] += 1
        if needs and lane == "team":
            starts.append(opened_at)
    shifts = Shifts.of(period)
    week = {(d, h): Hour(staffed=-1) for d in range(7) for h in range(24)}
    # The local hour's start (not UTC's: in Kolkata or St. John's they are half an hour off).
    local_start = period.start.astimezone(period.zone).replace(minute=0, second=0, microsecond=0)
    hour_start = local_start.astimezone(UTC)
    while hour_start < period.end:
        local = hour_start.astimezone(period.zone)
        hour = week[(local.weekday(), local.hour)]
        people = shifts.on_shift(hour_start + timedelta(minutes=30))
        hour.staffed = people if hour.staffed < 0 else min(hour.staffed, people)
        hour_start += timedelta(hours=1)
    for at in starts:
        local = at.astimezone(period.zone)
        hour = week[(local.weekday(), local.hour)]
        hour.conversations += 1
        hour.uncovered += not shifts.on_shift(at)
    for hour in week.values():
        hour.staffed = max(hour.staffed, 0)
    return Volume(lanes.most_common(), _ordered(categories), languages.most_common(), week)


class Shifts:
    """When the team's people were on shift during a period (their shifts, days off and
    absences as configured now), answering "how many at this instant" by bisection."""

    def __init__(self, people: list[list[tuple[datetime, datetime]]]) -> None:
        self.people = people
        self.starts = [[a for a, _ in intervals] for intervals in people]

    @classmethod
    def of(cls, period: Period) -> Shifts:
        roster = Roster.load(period.end)
        people = [
            list(member.availability.open_between(period.start, period.end))
            for member in roster.members.values()
            if member.team_id is not None and member.availability is not None
        ]
        return cls(people)

    def on_shift(self, at: datetime) -> int:
        count = 0
        for intervals, starts in zip(self.people, self.starts, strict=True):
            i = bisect_right(starts, at) - 1
            count += i >= 0 and intervals[i][0] <= at < intervals[i][1]
        return count


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


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

    @property
    def first_median(self) -> float | None:
        return median(self.first)

    @property
    def attainment(self) -> float | None:
        return share(self.kept, self.kept + self.missed)


def team(period: Period) -> list[Load]:
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
    for assignee, first, met in (
        _outcomes(period)
        .filter(needs_answer=True, assignee__isnull=False)
        .values_list("assignee_id", "first_response", "first_response_met")
    ):
        load = people.get(assignee)
        if load is None:
            continue
        load.handled += 1
        if first is not None:
            load.first.append(first)
        load.kept += met is True
        load.missed += met is False
    return sorted((p for p in people.values() if p.handled or p.open_now), key=lambda p: -p.handled)


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
    counts: Counter[str] = Counter()
    weeks: dict[date, Counter[str]] = {w: Counter() for w in period.weeks()}
    rows = Rating.objects.filter(at__gte=period.start, at__lt=period.end).values_list("score", "at")
    for score, at in rows:
        counts[score] += 1
        weeks.setdefault(period.week_of(at), Counter())[score] += 1
    comments = (
        Rating.objects.filter(at__gte=period.start, at__lt=period.end)
        .exclude(comment="")
        .order_by("-at")
        .values_list("conversation_id", "score", "comment", "at")
    )
    return Satisfaction(counts, sorted(weeks.items()), list(comments[:listed]))


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
    """Founder-lane conversations still open, oldest first."""
    return list(
        Conversation.objects.filter(Q(lane__lane="founder"), merged_into=None, clock__is_open=True)
        .order_by("created_at")
        .values_list("pk", "subject", "created_at")
    )
