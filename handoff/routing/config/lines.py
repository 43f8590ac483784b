"""Line numbers for TOML keys: tomllib gives none, so the text is scanned for them.

``key_lines(text)`` maps every key path it can see to the line where it is
written: ``("person", 1, "time_zone")`` for the ``time_zone`` of the second
``[[person]]``, ``("person", 1, "away", 0, "backup")`` inside an inline table of
an array. ``line_of`` falls back to the nearest enclosing path, so a missing key
points at its table's header.
"""

from __future__ import annotations

import re

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-.]+)\s*=""")
_INNER_KEY = re.compile(r"""([A-Za-z0-9_\-]+|"[^"]*")\s*=""")


def _strip(text: str) -> str:
    """The line without strings and comments, so brackets inside them do not count."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', '""', text)
    return text.split("#", 1)[0]


def _names(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in dotted.split(".")]


def key_lines(text: str) -> dict[Path, int]:
    found: dict[Path, int] = {}
    counters: dict[Path, int] = {}
    table: Path = ()
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        key = _KEY.match(line)
        header = None if key else _HEADER.match(line)
        if header:
            table = _table_path(_names(header[2]), header[1] == "[[", table, counters)
            found.setdefault(table, number)
            continue
        if not key:
            continue
        path: Path = (*table, *_names(key[1]))
        found.setdefault(path, number)
        # A value that opens brackets: follow it, line by line, to where they close.
        value = _Value(path, found)
        value.feed(_strip(line[key.end() :]), number)
        while value.stack and number < len(lines):
            number += 1
            value.feed(_strip(lines[number - 1]), number)
    return found


class _Value:
    """Keys of the inline tables in one value: ``{a = 1}`` or ``[{a = 1}, {a = 2}]``."""

    def __init__(self, path: Path, found: dict[Path, int]) -> None:
        self.path, self.found = path, found
        self.stack: list[str] = []
        self.element = -1

    def feed(self, text: str, number: int) -> None:
        for position, char in enumerate(text):
            if char in "[{":
                if char == "{" and self.stack == ["["]:
                    self.element += 1
                    self.found.setdefault((*self.path, self.element), number)
                self.stack.append(char)
            elif char in "]}":
                if self.stack:
                    self.stack.pop()
            elif char == "=" and self.stack and self.stack[-1] == "{":
                names = _INNER_KEY.findall(text[:position] + "=")
                if not names:
                    continue
                name = names[-1].strip('"')
                if self.stack == ["{"]:
                    self.found.setdefault((*self.path, name), number)
                elif self.stack == ["[", "{"]:
                    self.found.setdefault((*self.path, self.element, name), number)


def _table_path(names: list[str], array: bool, table: Path, counters: dict[Path, int]) -> Path:
    """The indexed path of a ``[a.b]`` or ``[[a.b]]`` header."""
    path: list[str | int] = []
    for position, name in enumerate(names):
        path.append(name)
        prefix = tuple(path)
        is_last = position == len(names) - 1
        if is_last and array:
            counters[prefix] = counters.get(prefix, -1) + 1
            path.append(counters[prefix])
        elif prefix in counters:
            path.append(counters[prefix])  # [[person]] then [person.x]: the latest person
    return tuple(path)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
