"""A calendar month named as in URLs, "2026-11": its first and last day."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def month_of(text: str) -> tuple[date, date] | None:
    year, dash, month = text.strip().partition("-")
    if not (dash and year.isdigit() and month.isdigit() and len(year) == 4):
        return None
    if not 1 <= int(month) <= 12:
        return None
    first = date(int(year), int(month), 1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def previous(first: date) -> date:
    """The first day of the month before."""
    return (first.replace(day=1) - timedelta(days=1)).replace(day=1)
