"""Weeks as the digest names them: ISO weeks (2026-W49), Monday to Sunday, local to the reader."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"(?P<year>[0-9]{4})-W(?P<week>[0-9]{2})")


class BadWeek(ValueError):
    """Not a week in the ISO form YYYY-Www, or a week its year does not have."""


def parse_week(text: str) -> date:
    """The Monday of ISO week ``text`` (2026-W49)."""
    found = _WEEK.fullmatch(text.strip())
    if found is None:
        raise BadWeek(f"{text!r} is not a week: expected YYYY-Www, e.g. 2026-W49")
    year, week = int(found["year"]), int(found["week"])
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise BadWeek(f"{text!r}: {year} has no week {week}") from None


def week_name(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def last_week(now: datetime, zone: ZoneInfo) -> date:
    """The Monday of the last full local week before ``now``."""
    today = now.astimezone(zone).date()
    return today - timedelta(days=today.weekday() + 7)
