"""Volume and coverage: what came in during a period (by lane, category, language) and,
hour by hour of the viewer's week, how many new team conversations met how many people on
shift. Read from the period's roll-up rows (``figures.sheet``) and the roster; the languages
the team fell short of, from the timeline."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from handoff.cockpit.figures import (
    CATEGORY,
    CATEGORY_ORDER,
    LANE,
    LANGUAGE,
    NEEDS,
    OPENED,
    Period,
    Row,
    sheet,
    utc,
)
from handoff.routing.roster import Roster
from handoff.tickets.models import Event


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


def volume(period: Period, rows: list[Row] | None = None) -> Volume:
    lanes: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    starts: Counter[str] = Counter()  # the team's conversations by the second they opened
    for row in sheet(period) if rows is None else rows:
        lanes[row[LANE]] += 1
        categories[row[CATEGORY]] += 1
        languages[row[LANGUAGE] or "?"] += 1
        if row[NEEDS] and row[LANE] == "team":
            starts[row[OPENED]] += 1
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
    zone = period.zone
    for text, n in starts.items():
        at = utc(text)
        local = at.astimezone(zone)
        hour = week[(local.weekday(), local.hour)]
        hour.conversations += n
        if not shifts.anyone(at.timestamp()):
            hour.uncovered += n
    for hour in week.values():
        hour.staffed = max(hour.staffed, 0)
    return Volume(lanes.most_common(), _ordered(categories), languages.most_common(), week)


class Shifts:
    """When the team's people were on shift during a period (their shifts, days off and
    absences as configured now), answering "how many at this instant" and "anyone at
    this instant" by bisection."""

    def __init__(self, people: list[list[tuple[datetime, datetime]]]) -> None:
        self.people = people
        self.starts = [[a for a, _ in intervals] for intervals in people]
        # Everyone's time on shift as one list of separate [start, end) seconds.
        merged: list[list[float]] = []
        for begin, end in sorted(i for intervals in people for i in intervals):
            low, high = begin.timestamp(), end.timestamp()
            if merged and low <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        self.covered_starts = [low for low, _ in merged]
        self.covered_ends = [high for _, high in merged]

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

    def anyone(self, at: float) -> bool:
        """Whether someone was on shift ``at`` (seconds since the epoch)."""
        i = bisect_right(self.covered_starts, at) - 1
        return i >= 0 and at < self.covered_ends[i]


def _ordered(counts: Counter[str]) -> list[tuple[str, int]]:
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def short_of(period: Period) -> list[tuple[str, int]]:
    """The languages whose conversations routing gave, during the period, to someone who
    does not read them (nobody who does was on shift before the answer was due), with how
    many conversations each, the most first: where the team's languages fall short."""
    given = Event.objects.filter(
        kind__in=(Event.Kind.ASSIGNED, Event.Kind.HANDOVER, Event.Kind.REASSIGNED),
        at__gte=period.start,
        at__lt=period.end,
        data__has_key="unread",
    ).values_list("conversation_id", "data")
    found: dict[str, set[int]] = {}
    for conversation_id, data in given:
        found.setdefault(str(data["unread"]), set()).add(conversation_id)
    return sorted(((code, len(ids)) for code, ids in found.items()), key=lambda x: (-x[1], x[0]))
