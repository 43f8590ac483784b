"""Durations as people type them: "5m", "90", "1h30", "1.5h", "2 h 15 min", "3d" (a day is a
working day of 8 hours), in minutes; and back, the way the ledger shows them."""

from __future__ import annotations

import re

WORKDAY = 8 * 60
_PART = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>days?|d|jours?|j|hours?|heures?|h|minutes?|mins?|m)?\s*",
    re.IGNORECASE,
)
_UNITS = {"d": WORKDAY, "j": WORKDAY, "h": 60, "m": 1}


class BadDuration(ValueError):
    pass


def minutes(text: str) -> int:
    """``text`` in minutes; a bare number is minutes, "1h30" is 90. Raises ``BadDuration``."""
    rest = text.strip()
    if not rest:
        raise BadDuration("no duration given")
    if rest.startswith("-"):
        raise BadDuration(f"{text!r}: a duration cannot be negative")
    total = 0.0
    last_unit = ""
    while rest:
        found = _PART.match(rest)
        if not found:
            raise BadDuration(f"{text!r} is not a duration (e.g. 45m, 1h30, 2h, 1.5d)")
        unit = (found["unit"] or "").lower()[:1]
        if not unit:
            # "1h30": a bare number after hours is minutes; first or alone, minutes too.
            unit = "m"
        if last_unit and _UNITS[unit] >= _UNITS[last_unit]:
            raise BadDuration(f"{text!r} is not a duration (e.g. 45m, 1h30, 2h, 1.5d)")
        total += float(found["n"].replace(",", ".")) * _UNITS[unit]
        last_unit = unit
        rest = rest[found.end() :]
    return round(total)


def shown(value: int | None, day: str = "d") -> str:
    """Minutes as "45 min", "2 h 30", "3 d 2 h" (working days of 8 hours; ``day`` is the
    day's letter, "j" in French)."""
    if value is None:
        return "—"
    days, rest = divmod(value, WORKDAY)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} {day} {hours} h" if hours else f"{days} {day}"
    if hours:
        return f"{hours} h {mins:02d}" if mins else f"{hours} h"
    return f"{mins} min"
