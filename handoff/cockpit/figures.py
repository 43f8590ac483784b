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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connections
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast, Substr

from handoff.cockpit.models import Outcome
from handoff.routing.models import Clock
from handoff.triage.engine.labels import TEAM_CATEGORIES

GOAL = 0.99  # hands-off rate the founder aims at
SCORES = ("good", "okay", "bad")
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


# The period's roll-up rows, read once and shared by the figures of a page: a 90-day period
# of a busy desk is tens of thousands of rows, and building a model or a converted tuple
# for each cost more than all the arithmetic. Read as the database gives them: booleans may
# be 0 and 1 (SQLite), the start a "YYYY-MM-DD HH:MM:SS" text in UTC.
Row = tuple[Any, ...]
LANE, CATEGORY, LANGUAGE, NEEDS, FOUNDER, ASSIGNEE = range(6)
FIRST, FIRST_TARGET, FIRST_MET, RESOLUTION, RESOLUTION_TARGET, RESOLUTION_MET, OPENED = range(6, 13)
COLUMNS = (
    "lane",
    "category",
    "language",
    "needs_answer",
    "founder",
    "assignee_id",
    "first_response",
    "first_response_target",
    "first_response_met",
    "resolution",
    "resolution_target",
    "resolution_met",
    "opened",
)


def sheet(period: Period) -> list[Row]:
    """Every roll-up row of the period, as plain tuples in the order of ``COLUMNS``."""
    opened = Substr(Cast("opened_at", CharField()), 1, 19)
    query = _outcomes(period).annotate(opened=opened).values_list(*COLUMNS)
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        found: list[Row] = cursor.fetchall()
    return found


def utc(text: str) -> datetime:
    """A start read from ``sheet`` (UTC text) as a datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


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


def hands_off(period: Period, *, listed: int = 50, rows: list[Row] | None = None) -> HandsOff:
    found = HandsOff()
    reasons = Counter(
        row[FOUNDER] for row in (sheet(period) if rows is None else rows) if row[NEEDS]
    )
    found.needed = sum(reasons.values())
    found.by_team = reasons.pop("", 0)
    found.reasons = reasons
    if not listed:
        return found
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
    # (first median, first p90, resolution median, resolution p90) once settled
    stats: tuple[float | None, ...] | None = field(default=None, repr=False)

    def settle(self) -> None:
        """Keep the four figures, drop the times behind them (a snapshot's size)."""
        self.stats = (
            self.first_median,
            self.first_p90,
            self.resolution_median,
            self.resolution_p90,
        )
        self.first, self.resolution = [], []

    @property
    def first_median(self) -> float | None:
        return self.stats[0] if self.stats else median(self.first)

    @property
    def first_p90(self) -> float | None:
        return self.stats[1] if self.stats else p90(self.first)

    @property
    def first_attainment(self) -> float | None:
        return share(self.first_kept, self.first_kept + self.first_missed)

    @property
    def resolution_median(self) -> float | None:
        return self.stats[2] if self.stats else median(self.resolution)

    @property
    def resolution_p90(self) -> float | None:
        return self.stats[3] if self.stats else p90(self.resolution)

    @property
    def resolution_attainment(self) -> float | None:
        return share(self.resolution_kept, self.resolution_kept + self.resolution_missed)

    def add(self, row: Row) -> None:
        self.count += 1
        first, target, met = row[FIRST], row[FIRST_TARGET], row[FIRST_MET]
        if first is not None:
            self.first.append(first)
        if target is not None:
            self.first_target = target
        if met is not None:
            self.first_kept += bool(met)
            self.first_missed += not met
        resolution, target, met = row[RESOLUTION], row[RESOLUTION_TARGET], row[RESOLUTION_MET]
        if resolution is not None:
            self.resolution.append(resolution)
        if target is not None:
            self.resolution_target = target
        if met is not None:
            self.resolution_kept += bool(met)
            self.resolution_missed += not met

    @classmethod
    def merged(cls, key: str, parts: Sequence[Promise]) -> Promise:
        found = cls(key)
        for part in parts:
            found.count += part.count
            found.first += part.first
            found.first_target = part.first_target or found.first_target
            found.first_kept += part.first_kept
            found.first_missed += part.first_missed
            found.resolution += part.resolution
            found.resolution_target = part.resolution_target or found.resolution_target
            found.resolution_kept += part.resolution_kept
            found.resolution_missed += part.resolution_missed
        found.first.sort()
        found.resolution.sort()
        return found


@dataclass
class Promises:
    overall: Promise
    by_category: list[Promise]
    by_language: list[Promise]


def promises(period: Period, rows: list[Row] | None = None) -> Promises:
    """Kept and missed, times and targets of the conversations that needed an answer: by
    category (pre-sales first), by language (most first), and all of them."""
    groups: dict[tuple[str, str], Promise] = {}
    for row in sheet(period) if rows is None else rows:
        if row[NEEDS]:
            key = (row[CATEGORY], row[LANGUAGE] or "?")
            group = groups.get(key)
            if group is None:
                group = groups[key] = Promise("")
            group.add(row)
    categories: dict[str, list[Promise]] = {}
    languages: dict[str, list[Promise]] = {}
    for (category, language), group in groups.items():
        categories.setdefault(category, []).append(group)
        languages.setdefault(language, []).append(group)
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    by_category = [Promise.merged(key, parts) for key, parts in categories.items()]
    by_language = [Promise.merged(key, parts) for key, parts in languages.items()]
    return Promises(
        Promise.merged("all", list(groups.values())),
        sorted(by_category, key=lambda p: (order.get(p.key, len(order)), p.key)),
        sorted(by_language, key=lambda p: (-p.count, p.key)),
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
    # One count per age, in one pass of the database (open conversations can be many).
    bounds: list[Q] = []
    newer = Q()
    for _label, limit in AGES:
        older = Q(opened_at__lte=now - limit) if limit is not None else Q()
        bounds.append(newer & ~older if limit is not None else newer)
        newer = older
    found = Outcome.objects.filter(is_open=True, needs_answer=True).aggregate(
        **{f"age{i}": Count("pk", filter=bound) for i, bound in enumerate(bounds)}
    )
    counts = {label: found[f"age{i}"] for i, (label, _) in enumerate(AGES)}
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
