"""Founder rules and tags as code: the ``[[founder_rule]]`` and ``[[tag]]`` tables of
``handoff config apply``.

    [[founder_rule]]
    person = "jane@fund.example"       # or: domain = "fund.example"
    note = "lead investor"

    [[tag]]
    name = "vip"
    colour = "purple"                  # grey (default), red, orange, yellow, green, teal...

A present section replaces the rules (rules learned from the founder's sent mail,
FounderContact, are not touched) or the list of tags (conversations keep the tags they
carry).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError

from handoff.triage.models import FounderRule, Tag, tag_name

Path = tuple[int | str, ...]


def _rule(table: dict[str, Any]) -> FounderRule:
    kinds = [k for k in ("person", "domain") if k in table]
    if len(kinds) != 1:
        raise ValueError("give exactly one of person or domain")
    unknown = set(table) - {"person", "domain", "note"}
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
    value, note = table[kinds[0]], table.get("note", "")
    if not isinstance(value, str) or not isinstance(note, str):
        raise ValueError("person, domain and note are text")
    rule = FounderRule(kind=kinds[0], value=value, note=note[:200])
    try:
        rule.clean()
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return rule


def validate_founder_rules(tables: list[dict[str, Any]]) -> list[tuple[Path, str]]:
    errors: list[tuple[Path, str]] = []
    for index, table in enumerate(tables):
        try:
            _rule(table)
        except ValueError as error:
            errors.append(((index,), str(error)))
    return errors


def apply_founder_rules(tables: list[dict[str, Any]]) -> list[str]:
    wanted = {(r.kind, r.value): r for r in map(_rule, tables)}
    return _replace(
        FounderRule.objects.all(), wanted, lambda r: (r.kind, r.value), "note",
        lambda r: f"founder rule {r.kind} {r.value}",
    )  # fmt: skip


def _replace[Row: (FounderRule, Tag)](
    rows: Iterable[Row],
    wanted: dict[Any, Row],
    key: Callable[[Row], Any],
    field: str,
    named: Callable[[Row], str],
) -> list[str]:
    """Make the table hold ``wanted`` (by ``key``): rows not wanted deleted, ``field``
    updated where it differs, the new ones added; the changes, said."""
    changes = []
    for row in rows:
        target = wanted.pop(key(row), None)
        if target is None:
            row.delete()
            changes.append(f"removed {named(row)}")
        elif getattr(target, field) != getattr(row, field):
            setattr(row, field, getattr(target, field))
            row.save(update_fields=[field])
            changes.append(f"updated {named(row)}")
    for row in wanted.values():
        row.save()
        changes.append(f"added {named(row)}")
    return changes


def dump_founder_rules() -> list[dict[str, Any]]:
    return [
        {rule.kind: rule.value, **({"note": rule.note} if rule.note else {})}
        for rule in FounderRule.objects.order_by("kind", "value")
    ]


def _tag(table: dict[str, Any]) -> Tag:
    unknown = set(table) - {"name", "colour"}
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
    name, colour = table.get("name"), table.get("colour", Tag.Colour.GREY)
    if not isinstance(name, str) or not isinstance(colour, str):
        raise ValueError("name and colour are text")
    if colour not in Tag.Colour.values:
        raise ValueError(f"colour: one of {', '.join(Tag.Colour.values)}")
    try:
        return Tag(name=tag_name(name), colour=colour)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def validate_tags(tables: list[dict[str, Any]]) -> list[tuple[Path, str]]:
    errors: list[tuple[Path, str]] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        try:
            tag = _tag(table)
        except ValueError as error:
            errors.append(((index,), str(error)))
            continue
        if tag.name in seen:
            errors.append(((index, "name"), f"{tag.name!r} appears twice"))
        seen.add(tag.name)
    return errors


def apply_tags(tables: list[dict[str, Any]]) -> list[str]:
    wanted = {t.name: t for t in map(_tag, tables)}
    return _replace(
        Tag.objects.all(), wanted, lambda t: t.name, "colour", lambda t: f"tag {t.name}"
    )


def dump_tags() -> list[dict[str, Any]]:
    return [{"name": t.name, "colour": t.colour} for t in Tag.objects.order_by("name")]
