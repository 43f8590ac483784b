"""The language gives way to the promise: a conversation goes to whoever is on shift when
nobody who reads its language is on shift before its answer is due, and its timeline says
so; otherwise it waits for a reader. Anna (Paris, Monday to Friday 08:00-16:00) is the only
German reader of team.toml's team; support is due within 4 hours, feedback within 8 office
hours in Paris."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from handoff.desk.timeline import describe
from handoff.routing.models import Clock, Person
from handoff.routing.roster import Roster, Waiting
from handoff.routing.sweep import sweep
from handoff.tickets.models import Event

pytestmark = pytest.mark.django_db
MONDAY_EVENING = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # Paris 19:00: Anna has gone home
TUESDAY_MORNING = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)  # Paris 08:00: she is back
GERMAN = {"anna@acme.example"}


def clock(pk: int) -> Clock:
    return Clock.objects.select_related("assignee").get(pk=pk)


def given(pk: int, kind: str) -> Event:
    return Event.objects.select_related("person").get(conversation_id=pk, kind=kind)


def test_german_support_in_the_evening_goes_to_someone_on_shift_now(team, desk) -> None:
    german = desk.write("Frage [support de]", sender="jonas@kunde.example", when=MONDAY_EVENING)
    found = clock(german.conversation_id)
    assert found.first_response_due == MONDAY_EVENING + timedelta(hours=4)  # before Tuesday
    assert found.assignee is not None
    assert found.assignee.email not in GERMAN
    assert "de" not in Roster.load(MONDAY_EVENING).members[found.assignee_id].languages
    step = given(german.conversation_id, "assigned")
    assert step.data["unread"] == "de"
    assert describe(step).endswith(
        " · does not read German: the answer is due before anyone who does is on shift"
    )
    with translation.override("fr"):
        assert "ne lit pas cette langue (Allemand)" in describe(step)
    assert sweep().at_risk == 0  # Claire answers it in time, German or not


def test_german_feedback_in_the_evening_waits_for_the_german_reader(team, desk) -> None:
    """Feedback is due Tuesday afternoon, after Anna's shift starts: it waits for her."""
    german = desk.write("Idee [feedback de]", sender="jonas@kunde.example", when=MONDAY_EVENING)
    found = clock(german.conversation_id)
    assert found.assignee is None
    assert found.first_response_due > TUESDAY_MORNING
    anna = Person.objects.get(user__email="anna@acme.example").user_id
    waiting = Roster.load(MONDAY_EVENING).waiting(
        found.team_id, "de", "feedback", found.first_response_due
    )
    assert waiting == Waiting("de", TUESDAY_MORNING, (anna,))
    desk.at(datetime(2026, 11, 2, 22, 0, tzinfo=UTC))
    assert sweep().assigned == 0
    desk.at(TUESDAY_MORNING)
    assert sweep().assigned == 1
    assert clock(german.conversation_id).assignee_id == anna
    assert "unread" not in given(german.conversation_id, "assigned").data


def test_at_shift_end_what_is_due_before_she_is_back_goes_to_someone_on_shift(team, desk):
    desk.at(datetime(2026, 11, 2, 14, 50, tzinfo=UTC))
    german = desk.write("Frage [support de]", sender="jonas@kunde.example")
    assert clock(german.conversation_id).assignee.email == "anna@acme.example"
    desk.at(datetime(2026, 11, 2, 15, 1, tzinfo=UTC))  # her shift has ended; due at 18:50
    result = sweep()
    assert (result.handed_over, result.requeued) == (1, 0)
    step = given(german.conversation_id, "handover")
    assert step.person.email not in GERMAN
    assert (step.data["reason"], step.data["unread"]) == ("shift ended", "de")
    assert clock(german.conversation_id).assignee == step.person


def test_a_german_reader_on_shift_without_room_keeps_the_language_required(team, desk):
    """Anna is on shift but full: a late German conversation waits for her room, it does not
    go to a colleague who cannot read it."""
    monday = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)  # Anna works until 15:00
    desk.at(monday)
    anna = Person.objects.get(user__email="anna@acme.example")
    Person.objects.filter(pk=anna.pk).update(capacity=0)
    german = desk.write("Frage [support de]", sender="jonas@kunde.example")
    found = clock(german.conversation_id)
    assert found.assignee is None
    later = monday + timedelta(hours=5)  # breached, Anna still on shift
    roster = Roster.load(later)
    assert roster.readers_back(found.team_id, "de") == later
    assert roster.needs(found.team_id, "de", "support", found.earliest_due) == ("de", "support")
    assert roster.eligible(found.team_id, "de", "support", due=found.earliest_due) == []
    desk.at(later)
    assert sweep().assigned == 0
    assert clock(german.conversation_id).assignee is None
