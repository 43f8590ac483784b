"""Admin rules (conditions -> actions) and founder matching, over plain message facts.

A rule is stored as two JSON documents, validated here so that the admin, the
configuration file and the tests all meet the same errors::

    conditions: {"match": "all", "when": [{"field": "subject", "op": "contains",
                                           "value": "invoice"}]}
    actions:    {"lane": "team", "category": "billing", "priority": "high",
                 "tags": ["finance"], "team": "billing"}

Fields: ``from`` (address), ``from_domain``, ``to`` (any To/Cc address),
``subject``, ``body``, ``text`` (subject and body), ``language``,
``header:NAME`` (a header the desk keeps). Operators: ``contains``,
``equals``, ``startswith``, ``endswith``, ``matches`` (a regular expression),
``in`` (the value is a list). Comparisons ignore case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from handoff.triage.engine.labels import CATEGORIES, LANE_OF, LANES

FIELDS = ("from", "from_domain", "to", "subject", "body", "text", "language")
OPERATORS = ("contains", "equals", "startswith", "endswith", "matches", "in")
PRIORITIES = ("", "low", "normal", "high", "urgent")


class RuleError(ValueError):
    """A rule that cannot be applied, with the reason."""


@dataclass(frozen=True, slots=True)
class Facts:
    """What rules look at, for one message."""

    sender: str
    recipients: tuple[str, ...] = ()
    subject: str = ""
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    language: str = ""

    @property
    def sender_domain(self) -> str:
        return self.sender.rpartition("@")[2]


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: str | tuple[str, ...]
    pattern: re.Pattern[str] | None = None

    def holds(self, facts: Facts) -> bool:
        return any(self._test(value.lower()) for value in _values(self.field, facts))

    def _test(self, seen: str) -> bool:
        if self.pattern is not None:
            return self.pattern.search(seen) is not None
        if self.op == "in":
            return seen in self.value
        value = self.value
        assert isinstance(value, str)
        if self.op == "contains":
            return value in seen
        if self.op == "equals":
            return seen == value
        if self.op == "startswith":
            return seen.startswith(value)
        return seen.endswith(value)


@dataclass(frozen=True, slots=True)
class Actions:
    lane: str = ""
    category: str = ""
    priority: str = ""
    tags: tuple[str, ...] = ()
    team: str = ""

    def then(self, other: Actions) -> Actions:
        """These actions, completed by a later rule's: the first rule to set a value wins
        (lane and category count as one value)."""
        routed = self if self.lane or self.category else other
        return Actions(
            lane=routed.lane,
            category=routed.category,
            priority=self.priority or other.priority,
            tags=tuple(dict.fromkeys((*self.tags, *other.tags))),
            team=self.team or other.team,
        )


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    conditions: tuple[Condition, ...]
    actions: Actions
    match_all: bool = True

    def matches(self, facts: Facts) -> bool:
        if not self.conditions:
            return False
        found = (condition.holds(facts) for condition in self.conditions)
        return all(found) if self.match_all else any(found)


def _values(name: str, facts: Facts) -> Iterable[str]:
    if name == "from":
        return (facts.sender,)
    if name == "from_domain":
        return (facts.sender_domain,)
    if name == "to":
        return facts.recipients
    if name == "subject":
        return (facts.subject,)
    if name == "body":
        return (facts.body,)
    if name == "text":
        return (f"{facts.subject}\n{facts.body}",)
    if name == "language":
        return (facts.language,)
    return (facts.headers.get(name.removeprefix("header:").lower(), ""),)


def parse_conditions(data: Any) -> tuple[tuple[Condition, ...], bool]:
    if not isinstance(data, Mapping):
        raise RuleError("conditions: an object with 'match' and 'when'")
    match = data.get("match", "all")
    if match not in ("all", "any"):
        raise RuleError("conditions.match: 'all' or 'any'")
    when = data.get("when")
    if not isinstance(when, list) or not when:
        raise RuleError("conditions.when: a non-empty list")
    return tuple(_condition(item, i) for i, item in enumerate(when)), match == "all"


def _condition(item: Any, index: int) -> Condition:
    where = f"conditions.when[{index}]"
    if not isinstance(item, Mapping) or set(item) - {"field", "op", "value"}:
        raise RuleError(f"{where}: an object with field, op and value")
    name, op, value = item.get("field"), item.get("op", "contains"), item.get("value")
    if not isinstance(name, str) or not (name in FIELDS or name.startswith("header:")):
        raise RuleError(f"{where}.field: one of {', '.join(FIELDS)} or header:NAME")
    if op not in OPERATORS:
        raise RuleError(f"{where}.op: one of {', '.join(OPERATORS)}")
    if op == "in":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{where}.value: a list of strings for 'in'")
        return Condition(name, op, tuple(v.lower() for v in value))
    if not isinstance(value, str) or not value:
        raise RuleError(f"{where}.value: a non-empty string")
    if op == "matches":
        try:
            pattern = re.compile(value, re.IGNORECASE)
        except re.error as error:
            raise RuleError(f"{where}.value: bad regular expression: {error}") from None
        return Condition(name, op, value, pattern)
    return Condition(name, op, value.lower())


def parse_actions(data: Any) -> Actions:
    if not isinstance(data, Mapping):
        raise RuleError("actions: an object")
    unknown = set(data) - {"lane", "category", "priority", "tags", "team"}
    if unknown:
        raise RuleError(f"actions: unknown {', '.join(sorted(unknown))}")
    lane, category = data.get("lane", ""), data.get("category", "")
    if lane and lane not in LANES:
        raise RuleError(f"actions.lane: one of {', '.join(LANES)}")
    if category and category not in CATEGORIES:
        raise RuleError(f"actions.category: one of {', '.join(CATEGORIES)}")
    if lane and category and LANE_OF[category] != lane:
        raise RuleError(f"actions: category {category} is not in the {lane} lane")
    priority = data.get("priority", "")
    if priority not in PRIORITIES:
        raise RuleError(f"actions.priority: one of {', '.join(p for p in PRIORITIES if p)}")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise RuleError("actions.tags: a list of strings")
    team = data.get("team", "")
    if not isinstance(team, str):
        raise RuleError("actions.team: a string")
    actions = Actions(lane, category, priority, tuple(tags), team)
    if actions == Actions():
        raise RuleError("actions: set at least one of lane, category, priority, tags, team")
    return actions


def parse_rule(name: str, conditions: Any, actions: Any) -> Rule:
    parsed, match_all = parse_conditions(conditions)
    return Rule(name, parsed, parse_actions(actions), match_all)


def apply(rules: Iterable[Rule], facts: Facts) -> tuple[Actions, list[str]]:
    """The actions of every matching rule, in order, and the names of those rules."""
    actions, names = Actions(), []
    for rule in rules:
        if rule.matches(facts):
            actions = actions.then(rule.actions)
            names.append(rule.name)
    return actions, names


def founder_match(
    sender: str, people: frozenset[str], domains: frozenset[str], contacts: frozenset[str]
) -> str:
    """Why ``sender`` is founder business, or "" when it is not."""
    sender = sender.lower()
    if not sender:
        return ""
    if sender in people:
        return f"person {sender}"
    domain = sender.rpartition("@")[2]
    parts = domain.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in domains:
            return f"domain {candidate}"
    if sender in contacts:
        return f"writes to {sender} personally"
    return ""
