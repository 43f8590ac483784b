"""Calendar arithmetic against a brute-force reference that counts minute by minute.

The reference knows nothing of zoneinfo's fold rules or of interval merging: it
reads the wall clock of every UTC minute, places each shift where the wall clock
first shows its start (and its end), and counts open minutes one at a time. The
windows are chosen around the DST changes of Montréal, Paris and Sydney.
"""

from __future__ import annotations

import bisect
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.routing.time.calendar import (
    ALWAYS,
    Without,
    add,
    elapsed,
    format_duration,
    is_open,
    next_open,
    open_until,
    parse_duration,
)
from handoff.routing.time.shifts import Schedule, format_slots, holiday_dates, parse_slots, resolve

MINUTE = timedelta(minutes=1)
ZONES = ["America/Montreal", "Europe/Paris", "Australia/Sydney"]
# UTC instants of the 2026 DST changes (spring forward and fall back of each zone).
CHANGES = [
    datetime(2026, 3, 8, 7, 0, tzinfo=UTC),  # Montréal 02:00 EST -> 03:00 EDT
    datetime(2026, 11, 1, 6, 0, tzinfo=UTC),  # Montréal 02:00 EDT -> 01:00 EST
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),  # Paris 02:00 CET -> 03:00 CEST
    datetime(2026, 10, 25, 1, 0, tzinfo=UTC),  # Paris 03:00 CEST -> 02:00 CET
    datetime(2026, 4, 4, 16, 0, tzinfo=UTC),  # Sydney 03:00 AEDT -> 02:00 AEST
    datetime(2026, 10, 3, 16, 0, tzinfo=UTC),  # Sydney 02:00 AEST -> 03:00 AEDT
]
WINDOW_DAYS = 4


class Reference:
    """Open minutes of a schedule over a window, found by scanning the wall clock."""

    def __init__(self, specs, zone: str, closed_days: set[date], start: datetime, days: int):
        self.zone = ZoneInfo(zone)
        self.origin = start - timedelta(days=3)
        count = (days + 6) * 1440
        self.walls = [
            (self.origin + i * MINUTE).astimezone(self.zone).replace(tzinfo=None)
            for i in range(count)
        ]
        # "The first minute whose wall clock shows T or later": the wall clock only goes
        # back when the clocks fall back, so search its running maximum.
        highest, self.peaks = datetime.min, []
        for wall in self.walls:
            highest = max(highest, wall)
            self.peaks.append(highest)
        self.open = bytearray(count)
        first_day = self.walls[0].date() - timedelta(days=1)
        for offset in range((self.walls[-1].date() - first_day).days + 1):
            day = first_day + timedelta(days=offset)
            if day in closed_days:
                continue
            midnight = datetime(day.year, day.month, day.day)
            for slot in parse_slots(specs):
                if slot.weekday != day.weekday():
                    continue
                a = self.first_at(midnight + timedelta(minutes=slot.start))
                b = self.first_at(midnight + timedelta(minutes=slot.end))
                for i in range(max(a, 0), min(b, count)):
                    self.open[i] = 1

    def first_at(self, wall: datetime) -> int:
        return bisect.bisect_left(self.peaks, wall)

    def index(self, at: datetime) -> int:
        return int((at - self.origin) / MINUTE)

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        return sum(self.open[self.index(a) : self.index(b)]) * MINUTE

    def add(self, a: datetime, duration: timedelta) -> datetime | None:
        need = int(duration / MINUTE)
        if need == 0:
            return a
        i = self.index(a)
        while i < len(self.open):
            need -= self.open[i]
            i += 1
            if need == 0:
                return self.origin + i * MINUTE
        return None


@st.composite
def specs(draw) -> list[str]:
    found = []
    for _ in range(draw(st.integers(1, 3))):
        days = draw(st.sampled_from(["mon-fri", "sat,sun", "daily", "tue", "fri-mon", "wed,sat"]))
        # Starts near 01:00-03:30 often, to land in the gaps and the repeated hours.
        start = draw(st.one_of(st.integers(60, 210), st.integers(0, 1439)))
        length = draw(st.integers(15, 1439))
        end = (start + length) % 1440
        found.append(f"{days} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}")
    return found


@st.composite
def windows(draw) -> tuple[str, datetime]:
    zone = draw(st.sampled_from(ZONES))
    around = draw(st.sampled_from(CHANGES))
    return zone, around + timedelta(minutes=draw(st.integers(-3 * 1440, 1440)))


def closed_days_near(draw, start: datetime) -> set[date]:
    base = start.date()
    offsets = draw(st.sets(st.integers(-2, WINDOW_DAYS + 1), max_size=3))
    return {base + timedelta(days=o) for o in offsets}


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.data(), specs(), windows(), st.integers(0, 3 * 1440), st.integers(0, 4000))
def test_elapsed_and_add_match_the_minute_by_minute_count(data, shifts, window, span, duration):
    zone, start = window
    closed = closed_days_near(data.draw, start)
    schedule = Schedule(ZoneInfo(zone), parse_slots(shifts), holiday_dates(extra=sorted(closed)))
    reference = Reference(shifts, zone, closed, start, WINDOW_DAYS)
    end = start + span * MINUTE
    assert elapsed(schedule, start, end) == reference.elapsed(start, end)
    horizon = timedelta(days=WINDOW_DAYS + 1)
    expected = reference.add(start, duration * MINUTE)
    found = add(schedule, start, duration * MINUTE, horizon=horizon)
    if expected is not None and expected <= start + horizon:
        assert found == expected
    elif found is not None:  # beyond the reference's window: still consistent
        assert elapsed(schedule, start, found) == duration * MINUTE


@PROPERTY
@given(st.data(), specs(), windows(), st.integers(0, 2 * 1440))
def test_pauses_are_cut_out_of_the_open_time(data, shifts, window, span):
    zone, start = window
    schedule = Schedule(ZoneInfo(zone), parse_slots(shifts))
    reference = Reference(shifts, zone, set(), start, WINDOW_DAYS)
    pauses = []
    for _ in range(data.draw(st.integers(0, 3))):
        a = start + data.draw(st.integers(-600, 2 * 1440)) * MINUTE
        pauses.append((a, a + data.draw(st.integers(1, 900)) * MINUTE))
    for a, b in pauses:
        for i in range(max(reference.index(a), 0), reference.index(b)):
            reference.open[i] = 0
    paused = Without(schedule, pauses)
    end = start + span * MINUTE
    assert elapsed(paused, start, end) == reference.elapsed(start, end)
    duration = data.draw(st.integers(1, 1500)) * MINUTE
    expected = reference.add(start, duration)
    horizon = timedelta(days=WINDOW_DAYS)
    if expected is not None and expected <= start + horizon:
        assert add(paused, start, duration, horizon=horizon) == expected


@PROPERTY
@given(specs(), windows())
def test_open_now_next_opening_and_end_of_shift_match_the_reference(shifts, window):
    zone, start = window
    schedule = Schedule(ZoneInfo(zone), parse_slots(shifts))
    reference = Reference(shifts, zone, set(), start, WINDOW_DAYS)
    i = reference.index(start)
    assert is_open(schedule, start) == bool(reference.open[i])
    upcoming = reference.open.find(1, i)
    if upcoming != -1 and upcoming - i < 2 * 1440:
        assert next_open(schedule, start) == reference.origin + upcoming * MINUTE
    if reference.open[i]:
        closing = reference.open.find(0, i)
        if closing != -1 and closing - i < 2 * 1440:
            assert open_until(schedule, start) == reference.origin + closing * MINUTE
    else:
        assert open_until(schedule, start) == start


def test_a_night_shift_crosses_midnight_and_belongs_to_the_day_it_starts():
    paris = ZoneInfo("Europe/Paris")
    friday_night = Schedule(paris, parse_slots(["fri 22:00-06:00"]))
    saturday_3am = datetime(2026, 11, 7, 3, 0, tzinfo=paris)
    assert is_open(friday_night, saturday_3am)
    assert open_until(friday_night, saturday_3am) == datetime(2026, 11, 7, 6, 0, tzinfo=paris)
    holiday = Schedule(
        paris, parse_slots(["fri 22:00-06:00"]), holiday_dates(extra=[date(2026, 11, 6)])
    )
    assert not is_open(holiday, saturday_3am)


def test_a_shift_starting_in_the_spring_gap_starts_when_the_clocks_jump():
    montreal = ZoneInfo("America/Montreal")
    schedule = Schedule(montreal, parse_slots(["sun 02:30-05:00"]))
    opens = next_open(schedule, datetime(2026, 3, 8, 0, 0, tzinfo=montreal))
    assert opens == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    # 3:00 EDT to 5:00 EDT: two hours, although the wall clock says 02:30-05:00.
    assert elapsed(schedule, opens, opens + timedelta(hours=5)) == timedelta(hours=2)
    assert resolve(datetime(2026, 3, 8, 2, 30), montreal) == opens


def test_the_repeated_hour_counts_once_for_a_shift_that_starts_in_it():
    montreal = ZoneInfo("America/Montreal")
    schedule = Schedule(montreal, parse_slots(["sun 01:30-03:00"]))
    day = datetime(2026, 11, 1, 0, 0, tzinfo=montreal)
    # From the first 01:30 (EDT) to 03:00 EST: 2 h 30 of real time.
    assert elapsed(schedule, day, day + timedelta(hours=6)) == timedelta(hours=2, minutes=30)


def test_public_holidays_come_from_the_holidays_package():
    quebec = holiday_dates("CA", "QC")
    assert date(2026, 6, 24) in quebec  # Saint-Jean-Baptiste
    assert date(2026, 6, 24) not in holiday_dates("FR")
    assert date(2026, 7, 14) in holiday_dates("FR")
    with pytest.raises(ValueError, match="not a country"):
        holiday_dates("XX")


def test_always_open_and_a_schedule_with_no_hours():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert add(ALWAYS, start, timedelta(hours=1)) == start + timedelta(hours=1)
    assert add(Schedule(ZoneInfo("UTC"), ()), start, timedelta(minutes=1)) is None
    assert open_until(ALWAYS, start) is None


@pytest.mark.parametrize(
    ("text", "minutes"), [("1h", 60), ("90m", 90), ("1h30m", 90), ("2d", 2880), (45, 45)]
)
def test_durations_are_read_and_written(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)
    assert parse_duration(format_duration(timedelta(minutes=minutes))) == timedelta(minutes=minutes)


@pytest.mark.parametrize("bad", ["-1h", -5, "soon", "", "1x"])
def test_bad_durations_are_refused_with_the_reason(bad):
    with pytest.raises(ValueError, match=r"negative|duration"):
        parse_duration(bad)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("funday 09:00-17:00", "days are mon"),
        ("mon 09:00-09:00", "starts and ends at the same time"),
        ("mon 25:00-26:00", "is not a time of day"),
        ("9 to 5", "expected DAYS HH:MM-HH:MM"),
    ],
)
def test_bad_shift_specs_are_refused_with_the_reason(spec, reason):
    assert parse_slots(["mon 9:00-17:00"])  # one-digit hours are fine
    with pytest.raises(ValueError, match=reason):
        parse_slots([spec])


@given(specs())
def test_specs_written_back_mean_the_same_hours(shifts):
    slots = parse_slots(shifts)
    assert parse_slots(format_slots(slots)) == slots
