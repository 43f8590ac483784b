"""`handoff config apply` / `dump`: idempotent, round-trips, and refuses a bad file as a
whole, naming every error by its key and line, changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handoff.accounts.models import Role, User
from handoff.routing.config.apply import apply_text
from handoff.routing.config.dump import dump
from handoff.routing.models import Absence, Calendar, Person, Policy, Rule, Team
from tests.routing.conftest import TEAM_TOML

NOW = datetime(2026, 11, 1, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def test_the_standard_policies_are_there_from_the_start(db):
    policies = {p.name: p for p in Policy.objects.all()}
    assert (policies["presales"].first_response, policies["presales"].calendar) == (60, None)
    assert (policies["support"].first_response, policies["support"].resolution) == (240, 1440)
    assert policies["billing"].first_response == 240


def test_applying_the_team_file_creates_everything_then_nothing_the_second_time(people):
    first = apply_text(TEAM_TOML, NOW)
    assert first.ok
    assert first.changes
    assert Team.objects.get().name == "customer-happiness"
    claire = Person.objects.get(user__email="claire@acme.example")
    assert claire.time_zone == "America/Montreal"
    assert claire.shifts == ["mon-fri 09:00-17:00", "sat,sun 11:00-23:00"]
    assert (claire.holiday_country, claire.holiday_region) == ("CA", "QC")
    assert User.objects.get(email="mia@acme.example").role == Role.AGENT
    assert Absence.objects.get().backup.user.email == "mia@acme.example"
    assert Policy.objects.get(name="feedback").calendar.name == "paris-office"
    assert Rule.objects.get(name="founder lane").assignee == people["camille"]
    assert apply_text(TEAM_TOML, NOW).changes == []


def test_dump_prints_what_apply_reads(people):
    apply_text(TEAM_TOML, NOW)
    printed = dump()
    assert '[[person]]\nemail = "claire@acme.example"' in printed
    assert 'first_response = "1h"' in printed
    again = apply_text(printed, NOW)
    assert again.ok
    assert again.changes == []
    assert dump() == printed


def test_a_changed_file_changes_only_what_differs(people):
    apply_text(TEAM_TOML, NOW)
    edited = TEAM_TOML.replace('first_response = "1h"', 'first_response = "45m"')
    assert apply_text(edited, NOW).changes == ["updated policy presales: first_response"]
    assert Policy.objects.get(name="presales").first_response == 45


def test_an_absent_section_is_left_alone_and_an_empty_one_empties(people):
    apply_text(TEAM_TOML, NOW)
    assert apply_text("rule = []\n", NOW).changes == [
        "removed rule noise stays out",
        "removed rule founder lane",
    ]
    assert Person.objects.count() == 7
    assert Policy.objects.count() == 4


BAD = """\
[[team]]
name = "support"
strategy = "fastest"

[[person]]
email = "claire@acme.example"
team = "support"
shifts = ["mon-fri 09:00-17:00"]
languages = ["fr"]

[[person]]
email = "luc@acme.example"
team = "suport"
time_zone = "Europe/Pari"
shifts = ["mon-fri 25:00-26:00"]
languages = []

[[policy]]
name = "presales"
when = { category = ["presales"], mood = ["angry"] }
first_response = "-1h"
calendar = "office"

[[rule]]
name = "vip"
when = { domain = ["bigcorp.example"] }
"""


def test_a_bad_file_is_refused_whole_with_every_error_by_key_and_line(people):
    before = dump()
    outcome = apply_text(BAD, NOW)
    assert not outcome.ok
    assert outcome.errors == [
        "line 3: team[0].strategy: unknown strategy (one of: least_loaded, most_room, round_robin)",
        "line 5: person[0].time_zone: is required: shifts are local times",
        "line 13: person[1].team: no team named 'suport'",
        "line 14: person[1].time_zone: 'Europe/Pari' is not a time zone (e.g. Europe/Paris)",
        "line 15: person[1].shifts[0]: 'mon-fri 25:00-26:00': '25:00' is not a time of day",
        "line 16: person[1].languages: a team member needs at least one language "
        "(no skills: no conversations)",
        "line 20: policy[0].when.mood: unknown condition "
        "(one of: lane, category, language, priority, mailbox, customer, domain, tag)",
        "line 21: policy[0].first_response: target '-1h': a duration cannot be negative",
        "line 22: policy[0].calendar: no calendar named 'office' (or 24/7)",
        "line 24: rule[0]: give exactly one of team, assign or skip = true",
    ]
    assert dump() == before


def test_nobody_on_shift_for_a_week_is_a_warning_and_the_file_is_applied(people):
    closed = """\
[[team]]
name = "support"
holidays = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"]

[[person]]
email = "chris@acme.example"
team = "support"
time_zone = "Europe/Paris"
shifts = ["mon-fri 09:00-17:00"]
languages = ["en"]
"""
    outcome = apply_text(closed, NOW)
    assert outcome.ok
    assert outcome.warnings == [
        "line 1: team[0]: nobody in team support is on shift in the coming week"
    ]
    assert Person.objects.get().team.name == "support"


def test_not_toml_at_all():
    outcome = apply_text("[[team]\nname =", NOW)
    assert outcome.errors[0].startswith("file: not valid TOML")


def test_founder_rules_go_to_triage_which_checks_them(people):
    outcome = apply_text('[[founder_rule]]\ndomains = ["sequoia.example"]\n', NOW)
    assert not outcome.ok
    assert outcome.errors == ["line 1: founder_rule[0]: give exactly one of person or domain"]
    outcome = apply_text('[[founder_rule]]\ndomain = "sequoia.example"\n', NOW)
    assert outcome.changes == ["added founder rule domain sequoia.example"]


def test_the_command_applies_reports_and_exits_non_zero_on_errors(people, tmp_path):
    good, bad = tmp_path / "team.toml", tmp_path / "bad.toml"
    good.write_text(TEAM_TOML)
    bad.write_text(BAD)
    out = StringIO()
    call_command("config", "apply", str(good), stdout=out)
    assert "created person claire@acme.example" in out.getvalue()
    out = StringIO()
    call_command("config", "apply", str(good), stdout=out)
    assert out.getvalue() == "no changes\n"
    err = StringIO()
    with pytest.raises(CommandError, match="10 error"):
        call_command("config", "apply", str(bad), stdout=StringIO(), stderr=err)
    assert f"{bad}: line 14: person[1].time_zone:" in err.getvalue()
    out = StringIO()
    call_command("config", "dump", stdout=out)
    assert out.getvalue() == dump()
    assert Calendar.objects.count() == 1
