"""The desk's queues: mine, unassigned, due soon, the founder's lane — each only for whom it is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.tickets.models import Message
from handoff.triage.pipeline import triage
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def listed(client: Client, queue: str = "") -> list[str]:
    """The subjects a queue lists, in its order."""
    response = client.get(reverse("desk:inbox"), {"queue": queue} if queue else {})
    assert response.status_code == 200
    return [c.subject for c in response.context["page"]]


@pytest.fixture
def desk(people) -> dict[str, Message]:
    """Four customers' conversations, routed; then who holds which is set by hand."""
    subjects = ["Chris's, due late", "Chris's, overdue", "Nobody's yet", "Sophie's, solved"]
    messages = deliver(
        *(
            mail(f"q{i}@c.example", subject=s, sender=f"c{i}@c{i}.example")
            for i, s in enumerate(subjects)
        )
    )
    triage([m.pk for m in messages])
    decided(None, lane="team", category="support")
    route([m.conversation_id for m in messages])
    now = timezone.now()
    for message, (assignee, due, is_open) in zip(
        messages,
        [
            (people["chris"], now + timedelta(hours=3), True),
            (people["chris"], now - timedelta(minutes=20), True),
            (None, now + timedelta(hours=9), True),
            (people["sophie"], now + timedelta(hours=1), False),
        ],
        strict=True,
    ):
        Clock.objects.filter(conversation=message.conversation_id).update(
            assignee=assignee, respond_by=due, earliest_due=due, is_open=is_open, routed=True
        )
    return {s: m for s, m in zip(subjects, messages, strict=True)}


def test_mine_holds_my_open_conversations_most_urgent_first(people, desk) -> None:
    chris = logged_in(people["chris"])
    assert listed(chris, "mine") == ["Chris's, overdue", "Chris's, due late"]
    assert listed(logged_in(people["sophie"]), "mine") == []  # her only one is solved


def test_unassigned_and_due_soon(people, desk) -> None:
    chris = logged_in(people["chris"])
    assert listed(chris, "unassigned") == ["Nobody's yet"]
    # Due within four hours, overdue first; the solved one has no clock running.
    assert listed(chris, "due") == ["Chris's, overdue", "Chris's, due late"]


def test_the_list_shows_who_holds_it_and_flags_what_is_overdue(people, desk) -> None:
    page = logged_in(people["chris"]).get(reverse("desk:inbox"), {"queue": "due"}).content.decode()
    assert page.count('class="overdue"') == 1
    assert page.count("<td>Chris</td>") == 2


def test_the_founder_lane_is_a_queue_only_for_those_who_may_read_it(people, desk) -> None:
    founder_message = desk["Nobody's yet"]
    decided(founder_message, lane="founder", category="founder")
    assert listed(logged_in(people["camille"]), "founder") == ["Nobody's yet"]
    # An agent has no such queue: the parameter is ignored, the mail stays out of sight.
    chris = logged_in(people["chris"])
    assert "Nobody's yet" not in listed(chris, "founder")
    nav = chris.get(reverse("desk:inbox")).content.decode()
    assert "?queue=founder" not in nav
    assert "?queue=mine" in nav


def test_an_unknown_queue_is_the_whole_list(people, desk) -> None:
    chris = logged_in(people["chris"])
    assert sorted(listed(chris, "nonsense")) == sorted(listed(chris))


def test_queues_speak_french(people, desk) -> None:
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("desk:inbox"), {"queue": "mine"}).content.decode()
    assert "Les miennes" in page
    assert "Répondre avant" in page
