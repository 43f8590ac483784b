"""No auto-reply storm: the desk's automatic mail stays under the limits even against an
auto-responder that answers everything at once, and the conversation stays whole."""

from __future__ import annotations

import queue
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from handoff.mailin.models import Mailbox
from handoff.mailin.store import Incoming, store
from handoff.mailout.models import Outgoing
from handoff.pipeline.process import process
from handoff.tickets.models import Conversation, Event, Message
from tests.helpers import mail

pytestmark = pytest.mark.django_db(transaction=True)


def arrive(raw: bytes) -> list[Message]:
    stored = store(Incoming(raw, "smtp"))
    process([stored.raw_id], live=True)
    return list(Message.objects.filter(raw_id=stored.raw_id))


def rude_auto_responder(answers: queue.Queue[bytes], *, polite: bool):
    """Answers every message it gets, at once. A rude one sets no header and starts a new
    thread each time (the worst case); a polite one follows RFC 3834."""

    def respond(received: EmailMessage) -> None:
        reply = EmailMessage()
        reply["From"] = "ana@client.example"
        reply["To"] = received["From"]
        reply["Message-ID"] = make_msgid(domain="client.example")
        if polite:
            reply["Subject"] = f"Automatic reply: {received['Subject']}"
            reply["Auto-Submitted"] = "auto-replied"
            reply["In-Reply-To"] = received["Message-ID"]
        else:
            reply["Subject"] = "Thanks for your email!"
        reply.set_content("I am out of the office until Monday.")
        answers.put(reply.as_bytes())

    return respond


def pump(answers: queue.Queue[bytes], limit: int = 500) -> int:
    delivered = 0
    while not answers.empty() and delivered < limit:
        arrive(answers.get())
        delivered += 1
    return delivered


@pytest.fixture
def acknowledging_mailbox() -> Mailbox:
    return Mailbox.objects.create(address="support@acme.example", name="Acme", acknowledge=True)


def test_a_new_conversation_is_acknowledged_in_the_customers_language(
    acknowledging_mailbox, smtp_server
) -> None:
    arrive(
        mail(
            "fr1@client.example",
            subject="Problème de connexion",
            body="Bonjour, je ne peux pas me connecter depuis ce matin. Merci de votre aide.",
        )
    )
    [ack] = smtp_server.received
    assert ack["Subject"].startswith("Bien reçu")
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["In-Reply-To"] == "<fr1@client.example>"
    assert "Nous avons bien reçu votre message" in ack.get_content()
    arrive(
        mail(
            "en1@client.example",
            subject="Login problem",
            sender="bob@client.example",
            body="Hello, I cannot log in since this morning. Thanks for your help.",
        )
    )
    assert smtp_server.received[1]["Subject"].startswith("Received:")


def test_follow_ups_and_mailboxes_without_acknowledgement_get_none(smtp_server) -> None:
    Mailbox.objects.create(address="support@acme.example")
    arrive(mail("n1@client.example"))
    assert smtp_server.received == []
    Mailbox.objects.update(acknowledge=True)
    arrive(mail("n2@client.example", in_reply_to="n1@client.example"))
    assert smtp_server.received == []  # not a new conversation


def test_a_rude_auto_responder_meets_the_rate_limits(
    acknowledging_mailbox, smtp_server, settings
) -> None:
    """End to end over real SMTP both ways: the desk's receiver takes the customer's mail
    and the responder's answers, the desk's acknowledgements go out to a real server."""
    import smtplib

    from handoff.mailin.smtpd import serve

    answers: queue.Queue[bytes] = queue.Queue()
    smtp_server.on_message = rude_auto_responder(answers, polite=False)
    desk = serve("127.0.0.1", 0, on_stored=lambda ids: process(ids, live=True))
    try:
        with smtplib.SMTP("127.0.0.1", desk.port) as client:
            client.sendmail(
                "ana@client.example",
                ["support@acme.example"],
                mail(
                    "start@client.example",
                    subject="Question",
                    body="Hello, a question about pricing.",
                ),
            )
            delivered = 0
            while not answers.empty() and delivered < 500:
                client.sendmail("ana@client.example", ["support@acme.example"], answers.get())
                delivered += 1
    finally:
        desk.stop()
    first = Message.objects.get(message_id="start@client.example")

    automatic = Outgoing.objects.filter(automatic=True)
    sent = automatic.filter(state=Outgoing.State.SENT).count()
    held = automatic.filter(state=Outgoing.State.HELD).count()
    # Zammad's defaults: 10 per recipient in 10 minutes, and the loop stops there.
    assert sent == len(smtp_server.received) == 10
    assert held == 1
    assert delivered == 10
    assert Event.objects.filter(kind=Event.Kind.HELD).count() == 1
    # The customer's own conversation is whole and untouched by the storm.
    conversation = Conversation.objects.get(pk=first.conversation_id)
    assert (
        conversation.messages.values_list("message_id", flat=True).first() == "start@client.example"
    )
    assert conversation.messages.filter(direction="in").count() == 1


def test_limits_per_conversation_and_globally(acknowledging_mailbox, smtp_server, settings) -> None:
    settings.AUTOSEND_WINDOWS = [("global", 3, 600)]
    for n in range(5):
        arrive(mail(f"g{n}@client.example", subject=f"Question {n}", sender=f"c{n}@client.example"))
    assert len(smtp_server.received) == 3
    assert Outgoing.objects.filter(state=Outgoing.State.HELD).count() == 2


def test_a_polite_auto_responder_gets_nothing_back(acknowledging_mailbox, smtp_server) -> None:
    answers: queue.Queue[bytes] = queue.Queue()
    smtp_server.on_message = rude_auto_responder(answers, polite=True)
    [first] = arrive(mail("p0@client.example", subject="Question", body="Hello, a question."))
    assert pump(answers) == 1  # it answered our acknowledgement once...
    assert len(smtp_server.received) == 1  # ...and we did not answer it
    auto = Message.objects.get(noise="autoreply")
    assert auto.conversation_id == first.conversation_id  # kept, visible, in its conversation
    assert "auto-submitted" in auto.noise_reason.lower()


def test_a_bounce_marks_our_reply_as_failed_on_its_conversation(people, smtp_server) -> None:
    from django.test import Client
    from django.urls import reverse

    Mailbox.objects.create(address="support@acme.example", name="Acme")
    [question] = arrive(mail("b0@client.example", subject="Facture"))
    client = Client()
    client.force_login(people["chris"])
    client.post(reverse("desk:reply", args=[question.conversation_id]), {"text": "Ci-joint."})
    [sent] = smtp_server.received
    bounce = (
        "From: MAILER-DAEMON@mx.client.example\nTo: support@acme.example\n"
        "Subject: Undelivered Mail Returned to Sender\nMessage-ID: <dsn1@mx.client.example>\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nThe mail system: <ana@client.example>: user unknown\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.client.example\n\n"
        "Final-Recipient: rfc822; ana@client.example\nAction: failed\nStatus: 5.1.1\n"
        f"--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: {sent['Message-ID']}\nSubject: {sent['Subject']}\n--b--\n"
    ).encode()
    conversation = Conversation.objects.filter(pk=question.conversation_id)
    conversation.update(status=Conversation.Status.PENDING)
    [dsn] = arrive(bounce)
    assert dsn.noise == "bounce"
    assert dsn.conversation_id == question.conversation_id
    # Our answer never reached them: nothing waits on them, it needs the team again.
    assert conversation.get().status == Conversation.Status.OPEN
    ours = Message.objects.get(direction="out")
    assert ours.delivery_state == "failed"
    assert ours.delivery_error.startswith("bounced")
    assert len(smtp_server.received) == 1  # no acknowledgement, nothing to the bounce
