"""Time on a calendar: how much open time lies between two instants, and when a
given amount of open time will have passed.

A calendar is anything that lists its open intervals between two instants
(``Calendar.open_between``): 24/7 (``ALWAYS``), a weekly schedule in a time zone
(``handoff.routing.time.shifts.Schedule``), or either of them with closed periods cut out
(``Without``: a conversation waiting on the customer, a snooze, an absence).

Contracts (property-tested against a minute-by-minute count, across DST):

* ``elapsed(c, a, b)`` is the total length of open time in ``[a, b)``;
* ``add(c, a, d)`` is the earliest ``t >= a`` with ``elapsed(c, a, t) >= d``, so
  ``add(c, a, 0) == a``; ``None`` when the calendar does not open enough within
  ``horizon`` (a schedule with no hours never makes a promise it cannot keep).

Instants are timezone-aware; results are in UTC. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = [
    "ALWAYS",
    "Calendar",
    "Interval",
    "Without",
    "add",
    "elapsed",
    "format_duration",
    "is_open",
    "merge",
    "next_open",
    "open_until",
    "parse_duration",
]

Interval = tuple[datetime, datetime]  # [start, end), aware
HORIZON = timedelta(days=400)
WINDOW = timedelta(days=7)  # how far a calendar is asked at a time while walking


class Calendar(Protocol):
    def open_between(self, start: datetime, end: datetime) -> Iterator[Interval]:
        """Open intervals clipped to ``[start, end)``: sorted, disjoint, not touching."""
        ...


class _Always:
    def open_between(self, start: datetime, end: datetime) -> Iterator[Interval]:
        if start < end:
            yield start.astimezone(UTC), end.astimezone(UTC)

    def __repr__(self) -> str:
        return "ALWAYS"


ALWAYS: Calendar = _Always()


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union: overlapping or touching intervals become one; empty ones vanish."""
    merged: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[0] < i[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class Without:
    """``calendar`` with ``closed`` periods cut out; a period ending at ``None`` never ends."""

    calendar: Calendar
    closed: Sequence[tuple[datetime, datetime | None]]

    def open_between(self, start: datetime, end: datetime) -> Iterator[Interval]:
        cuts = merge((a, b or end) for a, b in self.closed if a < end and (b is None or b > start))
        for open_start, open_end in self.calendar.open_between(start, end):
            cursor = open_start
            for cut_start, cut_end in cuts:
                if cut_end <= cursor or cut_start >= open_end:
                    continue
                if cut_start > cursor:
                    yield cursor, cut_start
                cursor = max(cursor, cut_end)
                if cursor >= open_end:
                    break
            if cursor < open_end:
                yield cursor, open_end


def _walk(calendar: Calendar, start: datetime, horizon: timedelta) -> Iterator[Interval]:
    """Open intervals from ``start`` on, window by window, joined across window edges."""
    limit = start + horizon
    pending: Interval | None = None
    cursor = start
    while cursor < limit:
        upper = min(cursor + WINDOW, limit)
        for interval in calendar.open_between(cursor, upper):
            if pending and interval[0] <= pending[1]:
                pending = (pending[0], max(pending[1], interval[1]))
                continue
            if pending:
                yield pending
            pending = interval
        cursor = upper
    if pending:
        yield pending


def elapsed(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    total = timedelta(0)
    if end <= start:
        return total
    for a, b in calendar.open_between(start, end):
        total += b - a
    return total


def add(
    calendar: Calendar, start: datetime, duration: timedelta, *, horizon: timedelta = HORIZON
) -> datetime | None:
    if duration <= timedelta(0):
        return start.astimezone(UTC)
    remaining = duration
    for a, b in _walk(calendar, start, horizon):
        if b - a >= remaining:
            return (a + remaining).astimezone(UTC)
        remaining -= b - a
    return None


def is_open(calendar: Calendar, at: datetime) -> bool:
    return any(True for _ in calendar.open_between(at, at + timedelta(microseconds=1)))


def next_open(calendar: Calendar, at: datetime, *, horizon: timedelta = HORIZON) -> datetime | None:
    """The first open instant at or after ``at``."""
    for start, _ in _walk(calendar, at, horizon):
        return start
    return None


def open_until(
    calendar: Calendar, at: datetime, *, horizon: timedelta = timedelta(days=8)
) -> datetime | None:
    """When the open period holding ``at`` ends; ``at`` itself when closed; ``None`` when
    it does not end within ``horizon`` (24/7)."""
    for start, end in _walk(calendar, at, horizon):
        if start > at:
            return at.astimezone(UTC)
        return None if end >= at + horizon else end
    return at.astimezone(UTC)


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?")


def parse_duration(value: str | int) -> timedelta:
    """``90`` (minutes), ``"90m"``, ``"1h30m"``, ``"2d"``. Raises ValueError otherwise,
    with a message that says why (a negative target is named as such)."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 1h or 30m")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{value}: a duration cannot be negative")
        return timedelta(minutes=value)
    text = value.strip().replace(" ", "").lower()
    if text.startswith("-"):
        raise ValueError(f"{value!r}: a duration cannot be negative")
    match = _DURATION.fullmatch(text)
    if not text or not match:
        raise ValueError(f"{value!r}: expected a duration such as 1h, 30m, 1h30m or 2d")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def format_duration(value: timedelta) -> str:
    """``1h``, ``1h30m``, ``24h``; whole days from two on: ``2d``."""
    minutes = int(value.total_seconds() // 60)
    if minutes >= 2880 and minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    hours, minutes = divmod(minutes, 60)
    text = f"{hours}h" if hours else ""
    return text + (f"{minutes}m" if minutes or not text else "")
