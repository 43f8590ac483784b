"""One timeline per conversation: every stage writes it, the conversation page shows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from handoff.desk import actions
from handoff.mailin.models import Mailbox
from handoff.tickets.models import Event
from tests.helpers import deliver, logged_in, mail

pytestmark = pytest.mark.django_db

STORY = [
    "created",
    "message",
    "triaged",
    "clock",
    "corrected",
    "assigned",
    "message",
    "triaged",
    "status",
    "paused",
    "moved",
    "queued",
    "assigned",
    "status",
    "paused",
]


def in_order(wanted: list[str], kinds: list[str]) -> bool:
    """Whether ``wanted`` appears in ``kinds`` in this order (other rows may come between)."""
    rest = iter(kinds)
    return all(any(kind == w for kind in rest) for w in wanted)


def test_in_order_tells_a_missing_or_swapped_row() -> None:
    assert in_order(["a", "c"], ["a", "b", "c"])
    assert not in_order(["c", "a"], ["a", "b", "c"])
    assert not in_order(["a", "d"], ["a", "b", "c"])


@pytest.fixture
def story(people: dict[str, Any]) -> int:
    """Arrival, a triage correction, an assignment, a reply, a wait on the customer (clocks
    paused), an escalation to the founder, then solved: each through the desk's actions."""
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    [question] = deliver(
        mail("t1@client.example", subject="Export cassé", body="L'export PDF plante depuis hier.")
    )
    conversation = question.conversation
    sophie, chris, camille = people["sophie"], people["chris"], people["camille"]
    actions.correct_triage(question, "team", "bug", sophie)
    actions.assign(conversation, chris, sophie)
    actions.reply(conversation, chris, "Nous regardons, merci pour le signalement.")
    actions.set_status(conversation, "pending", chris)
    actions.escalate(conversation, chris)
    actions.set_status(conversation, "solved", camille)
    return conversation.pk


def test_every_stage_writes_the_one_timeline_in_order(story: int, people) -> None:
    events = list(Event.objects.filter(conversation_id=story).order_by("at", "pk"))
    kinds = [e.kind for e in events]
    assert in_order(STORY, kinds), kinds
    by_kind = {e.kind: e for e in reversed(events)}  # the first of each kind
    assert by_kind["corrected"].actor == people["sophie"]
    assert by_kind["corrected"].data == {"lane": "team", "category": "bug"}
    assert by_kind["moved"].data == {"to": "founder"}
    assert by_kind["clock"].data["clock"] == "first_response"
    founder_given = [e for e in events if e.kind == "assigned"][-1]
    assert founder_given.person == people["camille"]  # founder's lane: the founder holds it


def test_a_timeline_payload_is_checked() -> None:
    from handoff.tickets import timeline

    with pytest.raises(ValueError, match="unexpected key"):
        timeline.entry(1, Event.Kind.NOTE, txt="typo")
    with pytest.raises(ValueError, match="not a timeline kind"):
        timeline.entry(1, "lunch")


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "en",
            [
                "Conversation started",
                "Message from ana@client.example",
                "Sophie corrected the triage: team · bug",
                "Sophie assigned it to Chris",
                "Sent by support@acme.example",
                "Chris handed it to the founder",
                "Camille set the status to “Solved”",
            ],
        ),
        (
            "fr",
            [
                "Conversation commencée",
                "Message de ana@client.example",
                "Sophie a corrigé le tri : team · bug",
                "Sophie l’a confiée à Chris",
                "Envoyé par support@acme.example",
                "Chris l’a confiée à la direction",
                "Camille a mis l’état à « Résolue »",
            ],
        ),
    ],
)
def test_the_conversation_page_shows_the_timeline(story: int, people, language, lines) -> None:
    client = logged_in(people["camille"])
    client.cookies["django_language"] = language
    page = client.get(reverse("desk:conversation", args=[story])).content.decode()
    shown = page[page.index('id="timeline"') :]
    positions = [shown.find(line) for line in lines]
    assert -1 not in positions, [line for line, p in zip(lines, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
