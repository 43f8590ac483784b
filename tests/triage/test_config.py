from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handoff.routing.config.apply import apply_text
from handoff.triage.models import FounderRule

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)

RULES = """\
[[founder_rule]]
person = "Jane@Fund.example"
note = "lead investor"

[[founder_rule]]
domain = "lawfirm.example"
"""


def test_founder_rules_from_the_file_then_nothing_the_second_time() -> None:
    assert sorted(apply_text(RULES, NOW).changes) == [
        "added founder rule domain lawfirm.example",
        "added founder rule person jane@fund.example",
    ]
    assert apply_text(RULES, NOW).changes == []
    assert set(FounderRule.objects.values_list("kind", "value")) == {
        ("person", "jane@fund.example"),
        ("domain", "lawfirm.example"),
    }
    assert sorted(apply_text("founder_rule = []\n", NOW).changes) == [
        "removed founder rule domain lawfirm.example",
        "removed founder rule person jane@fund.example",
    ]
    assert FounderRule.objects.count() == 0


def test_a_bad_founder_rule_is_named_and_nothing_changes() -> None:
    outcome = apply_text('[[founder_rule]]\nperson = "not-an-address"\n', NOW)
    assert not outcome.ok
    assert outcome.errors[0].startswith("line 1: founder_rule[0]")
    assert FounderRule.objects.count() == 0
