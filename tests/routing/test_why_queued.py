"""Why a conversation waits in the queue, on its page: nobody on shift reads its language (or
has room for it), and who can take it first, from when. The team is team.toml's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from handoff.routing.models import Clock
from handoff.routing.roster import Roster, Waiting
from handoff.tickets.models import Message
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db
MONDAY_EVENING = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)  # Paris 19:00: Anna has gone home
TUESDAY_MORNING = datetime(2026, 11, 3, 7, 0, tzinfo=UTC)  # Paris 08:00: she is back


def page(person, message: Message) -> str:
    url = reverse("desk:conversation", args=[message.conversation_id])
    return logged_in(person).get(url).content.decode()


def test_german_mail_in_the_evening_waits_for_the_only_german_reader(team, desk) -> None:
    """Feedback, due on Tuesday afternoon: it waits for Anna (support, due within 4 hours,
    would go to whoever is on shift: test_language_fallback)."""
    german = desk.write("Idee [feedback de]", sender="jonas@kunde.example", when=MONDAY_EVENING)
    clock = Clock.objects.get(pk=german.conversation_id)
    assert clock.assignee_id is None  # in the queue
    anna = team["sophie"].__class__.objects.get(email="anna@acme.example")
    roster = Roster.load(MONDAY_EVENING)
    due = clock.earliest_due
    assert roster.waiting(clock.team_id, "de", "feedback", due) == Waiting(
        "de", TUESDAY_MORNING, (anna.pk,)
    )
    shown = page(team["sophie"], german)
    assert "In the queue: nobody on shift reads German. Anna, from Tue 3 Nov" in shown
    client = logged_in(team["sophie"])
    client.cookies["django_language"] = "fr"
    french = client.get(reverse("desk:conversation", args=[german.conversation_id]))
    text = french.content.decode()
    # The language's name as Django's French catalogue writes it.
    assert "Dans la file : personne de service ne lit cette langue (Allemand). Anna," in text


def test_english_mail_goes_to_someone_on_shift_and_says_nothing_of_a_queue(team, desk) -> None:
    english = desk.write("Question [support en]", when=MONDAY_EVENING)
    clock = Clock.objects.get(pk=english.conversation_id)
    assert clock.assignee_id is not None
    assert Roster.load(MONDAY_EVENING).waiting(clock.team_id, "en", "support") is None
    assert "In the queue" not in page(team["sophie"], english)
