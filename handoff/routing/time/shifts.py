"""Weekly hours in a time zone: a person's shifts, a team's business hours.

A schedule is a list of specs such as ``"mon-fri 09:00-17:00"``, ``"sat,sun
22:00-06:00"`` (crossing midnight: it ends the next morning) or ``"daily
00:00-24:00"``. Each spec opens, on each of its days, from its start to its end
in local wall-clock time.

Meaning across DST (what the property tests check against a minute-by-minute
scan): a local time stands for the first instant at which the wall clock shows
that time or later. So a shift that starts at 02:30 on the night the clocks
jump from 02:00 to 03:00 starts at 03:00; on the night they fall back, 01:30
is the first 01:30. A shift belongs to the day it starts: a holiday closes the
shifts that start on it, including one that runs on past midnight.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import holidays as holiday_package

from handoff.routing.time.calendar import Interval, merge

__all__ = [
    "DAYS",
    "HolidayDates",
    "Schedule",
    "Slot",
    "format_slots",
    "holiday_dates",
    "parse_slots",
    "resolve",
    "time_zone",
]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^\s*(?P<days>[a-z,\- ]+?)\s+(?P<start>\d{1,2}:\d\d)\s*-\s*(?P<end>\d{1,2}:\d\d)\s*$"
)
_NO_HOLIDAYS: frozenset[date] = frozenset()


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    weekday: int  # 0 = Monday
    start: int  # minutes after the local midnight that starts the day
    end: int  # minutes after that same midnight: above 1440 when crossing midnight


def _minutes(text: str, *, end: bool) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not end)):
        raise ValueError(f"{text!r} is not a time of day")
    return hours * 60 + minutes


def _days(text: str) -> list[int]:
    found: list[int] = []
    for part in text.replace(" ", "").split(","):
        if part in {"daily", "all", "every"}:
            found += range(7)
        elif "-" in part:
            first, _, last = part.partition("-")
            if first not in DAYS or last not in DAYS:
                raise ValueError(f"{part!r}: days are mon, tue, wed, thu, fri, sat, sun")
            a, b = DAYS.index(first), DAYS.index(last)
            found += [(a + i) % 7 for i in range((b - a) % 7 + 1)]
        elif part in DAYS:
            found.append(DAYS.index(part))
        else:
            raise ValueError(f"{part!r}: days are mon, tue, wed, thu, fri, sat, sun")
    return found


def parse_slots(specs: Sequence[str]) -> tuple[Slot, ...]:
    """Parse ``"mon-fri 09:00-17:00"`` specs. Raises ValueError naming the bad spec."""
    slots: set[Slot] = set()
    for spec in specs:
        match = _SPEC.match(spec.lower()) if isinstance(spec, str) else None
        if not match:
            raise ValueError(f"{spec!r}: expected DAYS HH:MM-HH:MM, e.g. 'mon-fri 09:00-17:00'")
        try:
            days = _days(match["days"])
            start = _minutes(match["start"], end=False)
            end = _minutes(match["end"], end=True)
        except ValueError as error:
            raise ValueError(f"{spec!r}: {error}") from None
        if end == start:
            raise ValueError(f"{spec!r}: starts and ends at the same time")
        if end < start:
            end += 1440  # crosses midnight
        slots.update(Slot(day, start, end) for day in days)
    return tuple(sorted(slots))


def format_slots(slots: Sequence[Slot]) -> list[str]:
    """The shortest specs for ``slots``: days with the same hours are grouped."""
    by_hours: dict[tuple[int, int], set[int]] = {}
    for slot in slots:
        by_hours.setdefault((slot.start, slot.end), set()).add(slot.weekday)
    specs = []
    for (start, end), days in sorted(by_hours.items(), key=lambda item: (min(item[1]), item[0])):
        stop = end - 1440 if end > 1440 else end
        specs.append(f"{_day_runs(sorted(days))} {_clock(start)}-{_clock(stop)}")
    return specs


def _day_runs(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ",".join(DAYS[a] if a == b else f"{DAYS[a]}-{DAYS[b]}" for a, b in runs)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ValueError for an empty or unknown name."""
    if not name:
        raise ValueError("no time zone")
    if name not in _zone_names():
        raise ValueError(f"{name!r} is not a time zone (e.g. Europe/Paris)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not a time zone (e.g. Europe/Paris)") from None


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def resolve(local: datetime, zone: ZoneInfo) -> datetime:
    """The first instant (UTC) at which the wall clock in ``zone`` shows ``local`` or later."""
    first = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == local:
        return first  # exists; fold=0 is the first of two when the clocks fall back
    # In a gap: the answer is the jump itself, between the two readings of ``local``.
    low = local.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low_s, high_s = int(low.timestamp()), int(first.timestamp())
    while high_s - low_s > 1:
        middle = (low_s + high_s) // 2
        wall = datetime.fromtimestamp(middle, UTC).astimezone(zone).replace(tzinfo=None)
        if wall >= local:
            high_s = middle
        else:
            low_s = middle
    return datetime.fromtimestamp(high_s, UTC)


@lru_cache(maxsize=256)
def _country_year(country: str, subdivision: str, year: int) -> frozenset[date]:
    found = holiday_package.country_holidays(
        country, subdiv=subdivision or None, years=year, language="en_US"
    )
    return frozenset(found.keys())


@dataclass(frozen=True, slots=True)
class HolidayDates:
    """Public holidays of a country (and region), from the ``holidays`` package, plus own dates."""

    country: str = ""
    subdivision: str = ""
    extra: frozenset[date] = _NO_HOLIDAYS

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        if day in self.extra:
            return True
        return bool(self.country) and day in _country_year(self.country, self.subdivision, day.year)


def holiday_dates(
    country: str = "", subdivision: str = "", extra: Sequence[date] = ()
) -> HolidayDates:
    """Raises ValueError for a country or region the ``holidays`` package does not know."""
    if country:
        supported = holiday_package.list_supported_countries()
        if country not in supported:
            raise ValueError(f"{country!r} is not a country code known to `holidays` (e.g. FR)")
        if subdivision and subdivision not in supported[country]:
            raise ValueError(f"{subdivision!r} is not a region of {country}")
    elif subdivision:
        raise ValueError("a region needs a country")
    return HolidayDates(country, subdivision, frozenset(extra))


@dataclass(frozen=True, slots=True)
class Schedule:
    """Weekly hours in ``zone``, closed on ``holidays``. A value: equal schedules share the
    cache of their days' intervals."""

    zone: ZoneInfo
    slots: tuple[Slot, ...]
    holidays: HolidayDates | frozenset[date] = field(default=_NO_HOLIDAYS)

    def open_between(self, start: datetime, end: datetime) -> Iterator[Interval]:
        if start >= end or not self.slots:
            return
        # A slot may end up to two days after its start day; DST moves by hours at most.
        day = start.astimezone(self.zone).date() - timedelta(days=2)
        last_day = end.astimezone(self.zone).date()
        found: list[Interval] = []
        while day <= last_day:
            for opens, closes in _day_intervals(self, day):
                opens, closes = max(opens, start), min(closes, end)
                if opens < closes:
                    found.append((opens, closes))
            day += timedelta(days=1)
        yield from merge(found)


@lru_cache(maxsize=8192)
def _day_intervals(schedule: Schedule, day: date) -> tuple[Interval, ...]:
    """The shifts that start on ``day``, as UTC intervals (cached: schedules are values)."""
    if day in schedule.holidays:
        return ()
    midnight = datetime.combine(day, time())
    return tuple(
        (
            resolve(midnight + timedelta(minutes=slot.start), schedule.zone),
            resolve(midnight + timedelta(minutes=slot.end), schedule.zone),
        )
        for slot in schedule.slots
        if slot.weekday == day.weekday()
    )
