"""Founder rules as code: the ``[[founder_rule]]`` tables of ``handoff config apply``.

    [[founder_rule]]
    person = "jane@fund.example"       # or: domain = "fund.example"
    note = "lead investor"

A present section replaces the rules; rules learned from the founder's sent mail
(FounderContact) are not touched.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from handoff.triage.models import FounderRule

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
