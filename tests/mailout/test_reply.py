"""The whole loop: a customer writes, an agent answers from the web, the customer's next
message lands in the same conversation. Against a real SMTP server."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.tickets.models import Conversation, Event, Message
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox.objects.create(address="support@acme.example", name="Acme")


def answer(client: Client, conversation_id: int, text: str, capture) -> None:
    with capture(execute=True):
        response = client.post(
            reverse("desk:reply", args=[conversation_id]), {"text": text}, follow=True
        )
    assert response.status_code == 200


def test_reply_goes_out_threaded_and_the_answer_comes_back(
    people, mailbox, smtp_server, django_capture_on_commit_callbacks
) -> None:
    [question] = deliver(
        mail("q1@client.example", subject="Tarifs agence", body="Combien pour 20 clients ?")
    )
    client = Client()
    client.force_login(people["chris"])
    answer(
        client,
        question.conversation_id,
        "Bonjour Ana, c'est 99 € par mois.",
        django_capture_on_commit_callbacks,
    )

    [sent] = smtp_server.received
    conversation = question.conversation
    assert sent["To"] == "ana@client.example"
    assert sent["From"].addresses[0].display_name == "Chris — Acme"
    assert sent["From"].addresses[0].addr_spec == "support@acme.example"
    assert sent["In-Reply-To"] == "<q1@client.example>"
    assert "<q1@client.example>" in sent["References"]
    assert sent["Subject"] == f"Re: Tarifs agence {conversation.token}"
    assert sent["Message-ID"].endswith("@handoff.localhost>")
    assert "Auto-Submitted" not in sent  # a person wrote it
    assert sent.get_content().startswith("Bonjour Ana, c'est 99 € par mois.")

    ours = Message.objects.get(conversation=conversation, direction="out")
    assert ours.delivery_state == "sent"
    assert Outgoing.objects.get().state == Outgoing.State.SENT

    # The customer's client threads by In-Reply-To: it lands in the same conversation.
    [back] = deliver(
        mail(
            "q2@client.example",
            subject=sent["Subject"],
            in_reply_to=sent["Message-ID"][1:-1],
            body="Parfait, merci !",
        )
    )
    assert back.conversation_id == conversation.pk
    assert Conversation.objects.get(pk=conversation.pk).message_count == 3


def test_the_subject_token_alone_threads_a_reply_whose_headers_were_lost(
    people, mailbox, smtp_server, django_capture_on_commit_callbacks
) -> None:
    [question] = deliver(mail("t1@client.example", subject="Export"))
    client = Client()
    client.force_login(people["chris"])
    answer(client, question.conversation_id, "Try again now.", django_capture_on_commit_callbacks)
    [sent] = smtp_server.received
    [back] = deliver(mail("t2@other.example", sender="boss@other.example", subject=sent["Subject"]))
    assert back.conversation_id == question.conversation_id


def test_attachments_go_out(
    people, mailbox, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    [question] = deliver(mail("a1@client.example"))
    client = Client()
    client.force_login(people["chris"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("desk:reply", args=[question.conversation_id]),
            {
                "text": "Voici la facture.",
                "attachments": [
                    SimpleUploadedFile("facture.pdf", b"%PDF-1.4 x", "application/pdf")
                ],
            },
        )
    [sent] = smtp_server.received
    [attachment] = list(sent.iter_attachments())
    assert attachment.get_filename() == "facture.pdf"
    assert attachment.get_content() == b"%PDF-1.4 x"


def test_a_temporary_refusal_is_retried(
    people, mailbox, smtp_server, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from handoff.mailout.send import send

    [question] = deliver(mail("r1@client.example"))
    client = Client()
    client.force_login(people["chris"])
    answer(client, question.conversation_id, "Hello", django_capture_on_commit_callbacks)
    outgoing = Outgoing.objects.get()
    smtp_server.answer = "451 4.3.0 try later"
    assert send(outgoing.pk) == "retrying"
    outgoing.refresh_from_db()
    assert outgoing.state == Outgoing.State.QUEUED
    assert outgoing.next_attempt_at > outgoing.created_at
    assert "451" in outgoing.last_error
    assert Message.objects.get(direction="out").delivery_state == "retrying"
    smtp_server.answer = ""
    assert send(outgoing.pk) == "sent"
    assert len(smtp_server.received) == 1
    assert send(outgoing.pk) == "gone"  # never twice


def test_a_permanent_refusal_is_shown_on_the_conversation(
    people, mailbox, smtp_server, django_capture_on_commit_callbacks
) -> None:
    smtp_server.answer = "550 5.1.1 no such user"
    [question] = deliver(mail("p1@client.example"))
    client = Client()
    client.force_login(people["chris"])
    answer(client, question.conversation_id, "Hello", django_capture_on_commit_callbacks)
    assert Outgoing.objects.get().state == Outgoing.State.FAILED
    assert Event.objects.filter(kind=Event.Kind.DELIVERY_FAILED).exists()
    page = client.get(reverse("desk:conversation", args=[question.conversation_id]))
    assert b"not delivered" in page.content
    assert b"550" in page.content


def test_an_empty_reply_or_no_mailbox_is_refused_with_a_reason(
    people, django_capture_on_commit_callbacks
) -> None:
    [question] = deliver(mail("e1@client.example"))
    client = Client()
    client.force_login(people["chris"])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("desk:reply", args=[question.conversation_id]), {"text": "Hi"}, follow=True
        )
    assert "no mailbox is configured" in page.content.decode()
    assert not Outgoing.objects.exists()


def test_replying_needs_a_login_and_access(people, mailbox) -> None:
    [question] = deliver(mail("x1@client.example"))
    url = reverse("desk:reply", args=[question.conversation_id])
    assert Client().post(url, {"text": "x"}).status_code == 302
    client = Client()
    client.force_login(people["chris"])
    assert client.get(url).status_code == 405
    assert client.post(reverse("desk:reply", args=[999]), {"text": "x"}).status_code == 404
