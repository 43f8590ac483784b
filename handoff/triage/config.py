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
    changes = []
    for rule in FounderRule.objects.all():
        target = wanted.pop((rule.kind, rule.value), None)
        if target is None:
            rule.delete()
            changes.append(f"removed founder rule {rule.kind} {rule.value}")
        elif target.note != rule.note:
            rule.note = target.note
            rule.save(update_fields=["note"])
            changes.append(f"updated founder rule {rule.kind} {rule.value}")
    for rule in wanted.values():
        rule.save()
        changes.append(f"added founder rule {rule.kind} {rule.value}")
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
    changes = []
    for tag in Tag.objects.all():
        target = wanted.pop(tag.name, None)
        if target is None:
            tag.delete()
            changes.append(f"removed tag {tag.name}")
        elif target.colour != tag.colour:
            tag.colour = target.colour
            tag.save(update_fields=["colour"])
            changes.append(f"updated tag {tag.name}")
    for tag in wanted.values():
        tag.save()
        changes.append(f"added tag {tag.name}")
    return changes


def dump_tags() -> list[dict[str, Any]]:
    return [{"name": t.name, "colour": t.colour} for t in Tag.objects.order_by("name")]
