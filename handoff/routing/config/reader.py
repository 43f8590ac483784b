"""Typed access to the tables of the configuration file, every problem recorded, none raised."""

from __future__ import annotations

from datetime import date
from typing import Any

from handoff.routing.config.lines import Path
from handoff.routing.inputs import CONDITION_KEYS
from handoff.routing.time.calendar import parse_duration

Problem = tuple[Path, str]


class Reader:
    """Typed access to one table, recording what is wrong instead of raising."""

    def __init__(self, table: Any, path: Path, errors: list[Problem], allowed: set[str]) -> None:
        self.table = table if isinstance(table, dict) else {}
        self.path, self.errors = path, errors
        if not isinstance(table, dict):
            self.fail("", "expected a table")
        for key in self.table.keys() - allowed:
            self.fail(key, f"unknown key (expected one of: {', '.join(sorted(allowed))})")

    def fail(self, key: str | int, message: str) -> None:
        self.errors.append(((*self.path, key) if key != "" else self.path, message))

    def get(
        self, key: str, kind: type | tuple[type, ...], default: Any, *, required: bool = False
    ) -> Any:
        if key not in self.table:
            if required:
                self.fail(key, "is required")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            names = (
                kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            )
            self.fail(key, f"expected {names.replace('str', 'text').replace('list', 'a list')}")
            return default
        return value

    def text(self, key: str, default: str = "", *, required: bool = False) -> str:
        return str(self.get(key, str, default, required=required)).strip()

    def texts(self, key: str) -> list[str]:
        values = self.get(key, list, [])
        if not all(isinstance(v, str) for v in values):
            self.fail(key, "expected a list of text")
            return []
        return [v.strip() for v in values]

    def dates(self, key: str) -> list[str]:
        found = []
        for position, value in enumerate(self.get(key, list, [])):
            try:
                found.append(as_date(value).isoformat())
            except ValueError as error:
                self.errors.append(((*self.path, key, position), str(error)))
        return found

    def minutes(self, key: str) -> int | None:
        if key not in self.table:
            return None
        try:
            value = parse_duration(self.table[key])
        except (ValueError, TypeError, AttributeError) as error:
            self.fail(key, f"target {error}" if "negative" in str(error) else str(error))
            return None
        if not value:
            self.fail(key, "target must be longer than zero")
            return None
        return int(value.total_seconds() // 60)

    def conditions(self, key: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, values in self.get(key, dict, {}).items():
            listed = values if isinstance(values, list) else [values]
            if name not in CONDITION_KEYS:
                self.errors.append(
                    (
                        (*self.path, key, name),
                        f"unknown condition (one of: {', '.join(CONDITION_KEYS)})",
                    )
                )
            elif not listed or not all(isinstance(v, str) and v for v in listed):
                self.errors.append(((*self.path, key, name), "expected text or a list of text"))
            else:
                found[name] = [v.lower() for v in listed]
        return found


def as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
