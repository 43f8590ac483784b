"""Strict reading of environment variables for the settings module.

Every variable is declared once, with its default and its documentation, so
that a typo is an error instead of a silent default, and so that a test can
check the README documents every one of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

PREFIX = "HANDOFF_"


class EnvError(ValueError):
    """An environment variable holds a value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    default: str
    doc: str


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.declared: dict[str, Variable] = {}

    def _raw(self, name: str, default: str, doc: str) -> str:
        self.declared[name] = Variable(name, default, doc)
        return self.environ.get(name, default)

    def text(self, name: str, default: str, doc: str) -> str:
        return self._raw(name, default, doc)

    def flag(self, name: str, default: bool, doc: str) -> bool:
        raw = self._raw(name, "true" if default else "false", doc).strip().lower()
        if raw in {"1", "true", "yes", "on"}:
            return True
        if raw in {"0", "false", "no", "off"}:
            return False
        raise EnvError(f"{name}={raw!r}: expected true or false")

    def integer(self, name: str, default: int, doc: str, *, minimum: int = 0) -> int:
        raw = self._raw(name, str(default), doc).strip()
        try:
            value = int(raw)
        except ValueError:
            raise EnvError(f"{name}={raw!r}: expected a whole number") from None
        if value < minimum:
            raise EnvError(f"{name}={value}: must be at least {minimum}")
        return value

    def items(self, name: str, default: list[str], doc: str) -> list[str]:
        raw = self._raw(name, ",".join(default), doc)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def choice(self, name: str, default: str, choices: tuple[str, ...], doc: str) -> str:
        raw = self._raw(name, default, doc).strip()
        if raw not in choices:
            raise EnvError(f"{name}={raw!r}: expected one of {', '.join(choices)}")
        return raw

    def check_unknown(self) -> None:
        """Refuse HANDOFF_* variables nobody reads: they are almost always typos."""
        unknown = sorted(k for k in self.environ if k.startswith(PREFIX) and k not in self.declared)
        if unknown:
            raise EnvError(f"unknown setting(s): {', '.join(unknown)} (see the README)")


def parse_limits(name: str, value: str) -> list[tuple[str, int, int]]:
    """``scope:count/seconds,...`` into (scope, count, seconds) triples; a bad one is an error."""
    limits = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        scope, _, rate = item.partition(":")
        count, _, seconds = rate.partition("/")
        if scope not in {"conversation", "recipient", "global"} or not (
            count.isdigit() and seconds.isdigit() and int(seconds) > 0
        ):
            raise EnvError(f"{name}: {item!r} is not SCOPE:COUNT/SECONDS")
        limits.append((scope, int(count), int(seconds)))
    return limits
