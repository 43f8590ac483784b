"""Misconfiguration that got past the file (through the admin, or time passing) is reported
to the head, once a day, in plain words, while routing and the sweep keep working."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handoff.routing.models import Calendar, Clock, Notification, Person, Policy, Team
from handoff.routing.sweep import sweep

pytestmark = pytest.mark.django_db
MONDAY_NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def config_notes() -> list[tuple[str, str]]:
    return list(Notification.objects.filter(kind="config").values_list("user__email", "text"))


def test_a_shift_with_no_time_zone(team, desk):
    Person.objects.filter(user__email="anna@acme.example").update(time_zone="")
    desk.at(MONDAY_NOON)
    messages = [desk.write(f"Q{i} [support en]", sender=f"c{i}@x.example") for i in range(3)]
    assert {Clock.objects.get(pk=m.conversation_id).assignee.email for m in messages} == {
        "marc@acme.example"
    }
    problems = sweep().problems
    assert problems == ["person anna@acme.example has shifts but no time zone"]
    assert config_notes() == [("sophie@acme.example", problems[0])]
    desk.at(MONDAY_NOON + timedelta(minutes=1))
    sweep()
    assert len(config_notes()) == 1  # once a day, not every minute


def test_a_policy_with_a_negative_target(team, desk):
    Policy.objects.filter(name="presales").update(first_response=-60)
    message = desk.write("Pricing [presales en]", when=MONDAY_NOON)
    clock = Clock.objects.get(pk=message.conversation_id)
    assert clock.first_response_due == MONDAY_NOON + timedelta(hours=1)  # the standard holds
    assert sweep().problems == [
        "policy presales: first response target -60 min is not positive; "
        "the standard 1h is used instead"
    ]


def test_a_person_with_no_skills(team, desk):
    Person.objects.filter(user__email="marc@acme.example").update(languages=[])
    desk.at(MONDAY_NOON)
    messages = [desk.write(f"Q{i} [support en]", sender=f"c{i}@x.example") for i in range(2)]
    assert {Clock.objects.get(pk=m.conversation_id).assignee.email for m in messages} == {
        "anna@acme.example"
    }
    assert sweep().problems == [
        "person marc@acme.example has no skills (no language): gets no conversations"
    ]


def test_nobody_on_shift_for_a_week(team, desk):
    Team.objects.update(holidays=[f"2026-11-{day:02d}" for day in range(1, 11)])
    message = desk.write("Pricing [presales en]", when=MONDAY_NOON)
    clock = Clock.objects.get(pk=message.conversation_id)
    assert clock.assignee is None
    assert clock.first_response_due == MONDAY_NOON + timedelta(hours=1)
    result = sweep()
    assert result.problems == [
        "team customer-happiness: nobody is on shift in the coming week; "
        "conversations wait unassigned and will breach"
    ]
    assert result.at_risk == 1  # the head sees it coming
    desk.at(MONDAY_NOON + timedelta(hours=1))
    result = sweep()
    assert result.breached == 1
    assert result.reassigned == 0
    breach = Notification.objects.get(kind="breach")
    assert breach.user.email == "sophie@acme.example"
    assert breach.text.endswith("nobody else suitable is on shift")


def test_a_calendar_without_a_time_zone_and_an_unknown_strategy(team, desk):
    Calendar.objects.update(time_zone="")
    Team.objects.update(strategy="telepathy")
    message = desk.write("Idea [feedback en]", when=MONDAY_NOON)
    clock = Clock.objects.get(pk=message.conversation_id)
    assert clock.assignee is not None
    assert clock.first_response_due == MONDAY_NOON + timedelta(hours=8)  # counted 24/7
    assert sweep().problems == [
        "policy feedback: calendar paris-office has no time zone; counting 24/7 instead",
        "team customer-happiness: unknown strategy 'telepathy'; least_loaded used",
    ]


def test_no_team_at_all_still_gives_every_conversation_its_clock(people, triage, desk):
    Team.objects.all().delete()
    message = desk.write("Pricing [presales en]", when=MONDAY_NOON)
    clock = Clock.objects.get(pk=message.conversation_id)
    assert clock.assignee is None
    assert clock.first_response_due == MONDAY_NOON + timedelta(hours=1)
    assert sweep().problems == ["no team is configured: every conversation waits unassigned"]


def test_the_admin_refuses_what_the_file_would(team):
    from django.core.exceptions import ValidationError

    claire = Person.objects.get(user__email="claire@acme.example")
    claire.time_zone, claire.languages = "", []
    with pytest.raises(ValidationError) as refused:
        claire.full_clean()
    assert set(refused.value.message_dict) == {"time_zone", "languages"}
    presales = Policy.objects.get(name="presales")
    presales.first_response = -60
    with pytest.raises(ValidationError, match="must be positive"):
        presales.full_clean()
