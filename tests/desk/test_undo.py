"""Undo: a reply waits out its window (stored, not on the conversation, not sent); taken
back, it is never sent and its text is back in the box; otherwise the pipeline puts its
copy on the conversation and sends it — to a real SMTP server, threaded, with its Cc and
its file — once, whoever runs it (its job, or the tick after a lost job)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from handoff.desk.models import SavedReply
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.pipeline.process import deliver_waiting, waiting_due
from handoff.tickets.models import Message
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(settings, smtp_server, people):
    settings.REPLY_UNDO_SECONDS = 10
    # The worker's queue, not inline: the job waits for the window like in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    (question,) = deliver(
        mail("q1@client.example", sender="Ana Lima <ana@client.example>", subject="Refund?")
    )
    decided(question, lane="team", category="billing", language="fr")
    return question


def test_taken_back_it_is_never_sent_and_its_text_is_back(people, waiting, smtp_server) -> None:
    chris = logged_in(people["chris"])
    chris.post(
        f"/c/{waiting.conversation_id}/reply/", {"text": "Oups, pas encore.", "then": "pending"}
    )
    outgoing = Outgoing.objects.get()
    assert (outgoing.state, outgoing.record) == ("waiting", None)
    assert Message.objects.filter(direction="out").count() == 0  # not on the conversation yet
    page = chris.get(f"/c/{waiting.conversation_id}/").content.decode()
    assert f"/c/{waiting.conversation_id}/undo/{outgoing.pk}/" in page
    back = chris.post(f"/c/{waiting.conversation_id}/undo/{outgoing.pk}/", follow=True)
    assert "Oups, pas encore.</textarea>" in back.content.decode()
    assert back.context["conversation"].status == "open"  # needs an answer again
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert deliver_waiting(outgoing.pk) == "undone"
        assert waiting_due(timezone.now()) == []
    assert smtp_server.received == []
    assert Outgoing.objects.get().state == "undone"
    assert Message.objects.filter(direction="out").count() == 0
    # Someone else cannot take back Chris's reply.
    logged_in(people["chris"]).post(f"/c/{waiting.conversation_id}/reply/", {"text": "Voilà."})
    second = Outgoing.objects.latest("pk")
    sophie = logged_in(people["sophie"])
    answer = sophie.post(f"/c/{waiting.conversation_id}/undo/{second.pk}/", follow=True)
    assert "Too late" in answer.content.decode()
    assert Outgoing.objects.get(pk=second.pk).state == "waiting"


def test_once_the_window_is_over_it_goes_threaded_with_its_cc_and_file(
    people, waiting, smtp_server
) -> None:
    reply = SavedReply.objects.create(
        title="Remboursement", language="fr", body="Bonjour {customer.first_name}, c'est remboursé."
    )
    chris = logged_in(people["chris"])
    text = chris.get(f"/c/{waiting.conversation_id}/", {"saved": reply.pk}).context["draft"]
    chris.post(
        f"/c/{waiting.conversation_id}/reply/",
        {"text": text, "cc": "compta@client.example",
         "attachments": [SimpleUploadedFile("avoir.pdf", b"%PDF-1.4 credit note", "application/pdf")]},
    )  # fmt: skip
    outgoing = Outgoing.objects.get()
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        assert waiting_due(timezone.now()) == [outgoing.pk]  # the tick's safety net sees it
        assert deliver_waiting(outgoing.pk) == "sent"
        assert deliver_waiting(outgoing.pk) == "undone"  # never twice
    (sent,) = smtp_server.received
    assert sent.get_body(("plain",)).get_content().startswith("Bonjour Ana, c'est remboursé.")
    assert sent["Cc"] == "compta@client.example"
    assert sent["In-Reply-To"] == "<q1@client.example>"
    assert "<q1@client.example>" in sent["References"]
    assert [p.get_filename() for p in sent.iter_attachments()] == ["avoir.pdf"]
    copy = Message.objects.get(direction="out")
    assert copy.conversation_id == waiting.conversation_id
    answer = chris.post(f"/c/{waiting.conversation_id}/undo/{outgoing.pk}/", follow=True)
    assert "Too late: the reply has gone." in answer.content.decode()
