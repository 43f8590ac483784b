"""The bugs that came from assembling the pipeline in several places and deciding "founder
business" in two: each test here failed before the one pipeline and the one founder lane."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from handoff.desk import actions
from handoff.desk.access import assignable, visible_conversations
from handoff.mailin.models import Mailbox
from handoff.routing.models import Clock
from handoff.triage.models import ConversationLane, Decision, FounderContact
from tests.helpers import deliver, logged_in, mail

HANDOFF = [sys.executable, "-m", "handoff.cli"]


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([*HANDOFF, *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.mark.django_db
def test_a_background_import_is_triaged_and_routed_by_the_worker(
    make_scratch_env, tmp_path: Path
) -> None:
    env = make_scratch_env()
    recent = datetime.now(UTC) - timedelta(days=1)
    for i in range(3):
        question = mail(f"bg{i}@client.example", subject=f"Question {i}", date=recent)
        (tmp_path / f"{i}.eml").write_bytes(question)
    old = mail("bg-old@client.example", subject="Old one", date=recent - timedelta(days=60))
    (tmp_path / "old.eml").write_bytes(old)
    run(env, "work", "--batch")  # a worker that already ran once, as on a live desk
    run(env, "import", "--background", "--json", str(tmp_path))
    run(env, "work", "--batch")
    rows = {
        row["message_id"]: row
        for row in map(json.loads, run(env, "export", "messages").splitlines())
    }
    assert len(rows) == 4
    for row in rows.values():
        assert None not in (row["lane"], row["category"], row["language"]), row
    for i in range(3):
        assert rows[f"<bg{i}@client.example>"]["first_response_due"] is not None
    assert rows["<bg-old@client.example>"]["first_response_due"] is None  # imported as history


@pytest.mark.django_db
def test_a_reply_from_the_desk_is_triaged_as_sent_and_teaches_the_founders_contacts(
    people: dict[str, Any],
) -> None:
    Mailbox.objects.create(address="camille@acme.example", name="Acme")
    [investor] = deliver(
        mail("inv1@fund.example", subject="Term sheet", sender="jane@fund.example",
             to="camille@acme.example", body="Here is the term sheet we discussed.")
    )  # fmt: skip
    actions.correct_triage(investor, "founder", "founder", people["sophie"])
    actions.reply(investor.conversation, people["camille"], "Thanks Jane, reading it tonight.")
    sent = investor.conversation.messages.get(direction="out")
    decision = Decision.objects.get(message=sent)
    assert (decision.lane, decision.layer) == ("founder", "sent")
    assert FounderContact.objects.filter(address="jane@fund.example").exists()


@pytest.mark.django_db
def test_a_conversation_stays_the_founders_when_a_later_message_is_marked_team(
    people: dict[str, Any],
) -> None:
    """Mark an investor's mail founder, then their next reply team/support: routing and the
    desk read one answer, so no agent holds what no agent may open."""
    sophie, chris = people["sophie"], people["chris"]
    [first] = deliver(mail("i1@fund.example", subject="Board", sender="jane@fund.example"))
    conversation = first.conversation
    actions.assign(conversation, chris, sophie)  # it looked like team mail at first
    actions.correct_triage(first, "founder", "founder", sophie)
    [second] = deliver(
        mail("i2@fund.example", subject="Re: Board", sender="jane@fund.example",
             in_reply_to="i1@fund.example")
    )  # fmt: skip
    actions.correct_triage(second, "team", "support", sophie)
    assert ConversationLane.objects.get(pk=conversation.pk).lane == "founder"
    assert Clock.objects.get(pk=conversation.pk).assignee == people["camille"]
    assert chris not in assignable(conversation)
    assert not visible_conversations(chris).filter(pk=conversation.pk).exists()
    agent = logged_in(chris)
    assert agent.get(reverse("desk:conversation", args=[conversation.pk])).status_code == 404
    # Until the founder or the head hands it to the team, on purpose.
    actions.hand_to_team(conversation, sophie)
    assert ConversationLane.objects.get(pk=conversation.pk).lane == "team"
    assert visible_conversations(chris).filter(pk=conversation.pk).exists()
    assert Clock.objects.get(pk=conversation.pk).assignee != people["camille"]
    with pytest.raises(PermissionError):
        actions.hand_to_team(conversation, chris)


@pytest.mark.django_db
def test_an_agent_escalates_to_the_founder_and_loses_sight_of_it(people: dict[str, Any]) -> None:
    chris = people["chris"]
    [message] = deliver(
        mail(
            "e1@bigco.example",
            subject="Cannot log in",
            sender="ceo@bigco.example",
            body="I cannot log in to my account since this morning, can you help?",
        )
    )
    client = logged_in(chris)
    url = reverse("desk:escalate", args=[message.conversation_id])
    assert client.post(url).status_code == 302
    assert ConversationLane.objects.get(pk=message.conversation_id).lane == "founder"
    page = reverse("desk:conversation", args=[message.conversation_id])
    assert client.get(page).status_code == 404
    assert logged_in(people["camille"]).get(page).status_code == 200
