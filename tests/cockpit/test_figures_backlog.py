"""The cockpit's backlog and coverage figures against the desk of ``figures_week``,
computed by hand: what is open now and which promises broke in the period, what came in at
which local hour and who was on shift; and the period itself, local days across the DST
change."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from handoff.cockpit import coverage, figures, rollup
from handoff.cockpit.coverage import Hour
from handoff.cockpit.figures import Period
from handoff.cockpit.models import Outcome
from handoff.routing.config.apply import apply_text
from handoff.tickets.models import Conversation
from tests.cockpit.figures_week import NOW, PARIS, TEAM, WEEK, Desk, desk, paris, utc

pytestmark = pytest.mark.django_db

__all__ = ["desk"]  # the fixture, imported for pytest


# -- backlog -----------------------------------------------------------------------------


def test_backlog_ages_now_and_the_breaches_of_the_period(desk: dict[str, Conversation]) -> None:
    found = figures.backlog(WEEK, NOW)
    # Open on Monday 26 at 11:00 UTC, whatever the period: Q since 10:30 UTC (30 min),
    # E since Sun 07:30 UTC (27 h 30), G since Fri 13:00 UTC (70 h), F since Thu 09:00
    # UTC (98 h), P since Mon 12 08:00 UTC (14 days 3 h).
    assert found.ages == [
        ("<1h", 1),
        ("1–4h", 0),
        ("4–24h", 0),
        ("1–3d", 2),
        ("3–7d", 1),
        (">7d", 1),
    ]
    assert found.open == 5
    # B's hour ran out at 15:00 UTC+2 (13:00 UTC); P's 4 hours the week before, E's 24
    # hours on Monday 26 at 07:30 UTC: neither in the period.
    assert found.breaches == [(desk["B"].pk, "Devis pour 12 postes", utc(20, 13), "solved", 4800.0)]
    assert figures.breach_count(WEEK) == 1
    assert figures.breach_count(Period.dates(date(2026, 10, 12), date(2026, 10, 18), PARIS)) == 1
    assert figures.breach_count(Period.dates(date(2026, 10, 26), date(2026, 10, 26), PARIS)) == 1


def test_the_roll_up_redoes_what_changed(desk: dict[str, Conversation]) -> None:
    later = paris(26, 12, 30)
    Desk().solve(desk["E"], later)
    assert rollup.refresh_changed(later) == 1
    # Sun 07:30 UTC -> Mon 11:30 UTC = 28 h = 100800 s, past the 24 h
    assert Outcome.objects.values_list("resolution", "resolution_met", "is_open").get(
        pk=desk["E"].pk
    ) == (100800.0, False, False)
    assert figures.backlog(WEEK, later).open == 4


# -- volume and coverage -----------------------------------------------------------------


def test_volume_by_lane_category_and_language(desk: dict[str, Conversation]) -> None:
    found = coverage.volume(WEEK)
    assert found.by_lane == [("team", 7), ("founder", 2), ("noise", 1)]
    assert found.by_category == [("presales", 3), ("support", 5), ("founder", 1), ("spam", 1)]
    assert found.by_language == [("en", 8), ("fr", 2)]


def test_the_week_grid_puts_mail_at_its_local_hour_and_finds_the_gaps(
    desk: dict[str, Conversation],
) -> None:
    week = coverage.volume(WEEK).week
    # The team's mail (A B C D E H I), at its local hour; staffed: who is on shift at
    # half past. Mon 10:00: Chris; Tue 14:00: Chris and Nadia; Wed 09:00:00 sharp: Chris's
    # shift has begun.
    assert week[(0, 10)] == Hour(conversations=1, staffed=1, uncovered=0)  # A
    assert week[(1, 14)] == Hour(conversations=1, staffed=2, uncovered=0)  # B
    assert week[(2, 9)] == Hour(conversations=1, staffed=1, uncovered=0)  # C
    assert week[(3, 14)] == Hour(conversations=1, staffed=2, uncovered=0)  # I
    assert week[(4, 10)] == Hour(conversations=1, staffed=1, uncovered=0)  # H
    # D: Sat 21:30 UTC is 23:30 in summer time; E: Sun 07:30 UTC is 08:30 in winter time
    # (09:30 at the summer's offset, when Nadia is on shift).
    assert week[(5, 23)] == Hour(conversations=1, staffed=0, uncovered=1)
    assert week[(6, 8)] == Hour(conversations=1, staffed=0, uncovered=1)
    assert sum(h.conversations for h in week.values()) == 7  # not F G (founder), N (noise)
    assert coverage.volume(WEEK).gaps == [
        (5, 23, Hour(conversations=1, staffed=0, uncovered=1)),
        (6, 8, Hour(conversations=1, staffed=0, uncovered=1)),
    ]
    # Nobody's hours, in Paris: Nadia from 09:00 at the weekend, in winter time on Sunday
    # (08:00 UTC); Mondays 09:00-13:00 Chris, 13:00-17:00 both, 17:00-21:00 Nadia.
    staffed = {key: hour.staffed for key, hour in week.items()}
    assert [staffed[(6, h)] for h in (1, 2, 3, 8, 9, 16, 17)] == [0, 0, 0, 0, 1, 1, 0]
    assert [staffed[(0, h)] for h in (8, 9, 12, 13, 16, 17, 20, 21)] == [0, 1, 1, 2, 2, 1, 1, 0]
    # 5 weekdays x (4 + 8 + 4 staffed hours) + 2 weekend days x 8 hours
    assert sum(1 for s in staffed.values() if s) == 5 * 12 + 2 * 8


def test_the_week_grid_of_a_zone_half_an_hour_off_utc(desk: dict[str, Conversation]) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30 all year
    outcome = apply_text(TEAM.replace('"Europe/Paris"', '"Asia/Kolkata"'), NOW)
    assert outcome.ok, outcome.errors
    week = coverage.volume(Period.dates(date(2026, 10, 19), date(2026, 10, 25), kolkata)).week
    # The same shifts, now on Kolkata's clock: Chris 09:00-17:00, Nadia 13:00-21:00.
    staffed = [week[(0, h)].staffed for h in (8, 9, 12, 13, 16, 17, 20, 21)]
    assert staffed == [0, 1, 1, 2, 2, 1, 1, 0]
    # A came at 08:00 UTC, 13:30 in Kolkata, when both were on shift.
    assert week[(0, 13)] == Hour(conversations=1, staffed=2, uncovered=0)


# -- periods -----------------------------------------------------------------------------


def test_a_period_of_local_days_across_the_dst_change() -> None:
    assert (WEEK.start, WEEK.end) == (utc(18, 22), utc(25, 23))  # Mon 00:00 UTC+2 to UTC+1
    assert WEEK.length == timedelta(days=7, hours=1)
    assert WEEK.weeks() == [date(2026, 10, 19)]
    # The week before is the local week before, 168 hours; and the week after the change
    # is preceded by the week of the change.
    assert WEEK.previous() == Period.dates(date(2026, 10, 12), date(2026, 10, 18), PARIS)
    after = Period.dates(date(2026, 10, 26), date(2026, 11, 1), PARIS)
    assert after.previous() == WEEK
    # A period that is not whole local days steps back by its length.
    last = Period.last(7, NOW, PARIS)
    assert last.previous() == Period(NOW - timedelta(days=14), NOW - timedelta(days=7), PARIS)
