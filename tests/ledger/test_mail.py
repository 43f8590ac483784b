"""The ledger by email, through the real SMTP receiver (aiosmtpd on 127.0.0.1) and the one
pipeline: a task mailed to the founder's own ledger address (shown on her Ledger page); a
forged, a stranger's, an automatic one or one sent to another address than the sender's own
refused into the quarantine with the reason; a check-in reminder sent by the
worker's tick through the outbox to a real SMTP server, answered by replying to it; a
missed check-in told to the owner and the head, not to the founder."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.test import Client
from django.utils import timezone

from handoff.accounts.models import User
from handoff.ledger import actions, reminders
from handoff.ledger.actions import Draft
from handoff.ledger.models import CheckIn, Task
from handoff.mailin.models import Mailbox, RawMessage
from handoff.mailin.smtpd import Receiver, accepts, serve
from handoff.pipeline.process import process
from handoff.tickets.models import Conversation

pytestmark = pytest.mark.django_db(transaction=True)

LEDGER = "ledger@acme.example"


@pytest.fixture
def receiver(transactional_db: None) -> Iterator[Receiver]:
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    Mailbox.objects.create(address=LEDGER, name="Acme ledger", purpose=Mailbox.Purpose.LEDGER)
    server = serve("127.0.0.1", 0, lambda ids: process(ids, live=True))
    yield server
    server.stop()


def send(receiver: Receiver, message: EmailMessage) -> None:
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        client.send_message(message)


def written(
    sender: str, subject: str, body: str, *, to: str = LEDGER, **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = f"<{abs(hash((sender, subject, body)))}@mail.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def own(person: User) -> str:
    """The person's ledger address, as their Ledger page shows it."""
    client = Client()
    client.force_login(person)
    page = client.get("/ledger/").content.decode()
    [address] = re.findall(r"<code>(ledger\+\w+@acme\.example)</code>", page)
    return address


def test_each_person_has_their_own_ledger_address(people, receiver) -> None:
    camille, chris = own(people["camille"]), own(people["chris"])
    assert camille != chris
    assert camille == own(people["camille"])  # the same on every visit: nothing stored
    assert accepts(camille)
    assert accepts(chris.upper())
    assert not accepts("support+anything@acme.example")  # only a ledger's


@pytest.mark.parametrize(
    "to",
    [
        LEDGER,  # the ledger's own address: anyone can write From: camille@
        "ledger+0123456789abcdef0123@acme.example",  # a made-up secret
        "sophie",  # someone else's own address
    ],
)
def test_a_task_not_sent_to_the_senders_own_address_is_quarantined(people, receiver, to) -> None:
    if to == "sophie":
        to = own(people["sophie"])
    send(
        receiver, written("Camille <camille@acme.example>", "Wire 40,000 EUR today", "Now.", to=to)
    )
    assert not Task.objects.exists()
    raw = RawMessage.objects.get()
    assert raw.state == RawMessage.State.FAILED
    assert "must be sent to camille@acme.example's own ledger address" in raw.error
    assert not Conversation.objects.exists()  # nor a customer's conversation


def test_a_mail_sent_to_someone_else_with_a_blind_copy_to_the_ledger_is_a_task(
    people, receiver
) -> None:
    """The founder writes to her accountant and blind-copies her ledger address: the copy
    names the ledger nowhere in its header, only in the envelope (our receiver) or in
    Delivered-To (a mail server's, as an IMAP mailbox shows it)."""
    camille = own(people["camille"])
    sent = written("Camille <camille@acme.example>", "Close the books for Q4", "By the 15th.")
    sent.replace_header("To", "accountant@books.example")
    sent["Bcc"] = camille
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        refused = client.send_message(sent)  # the accountant is not ours: refused alone
    assert list(refused) == ["accountant@books.example"]
    copied = written(
        "Camille <camille@acme.example>",
        "Renew the insurance",
        "Before March.",
        to="broker@insure.example",
        Delivered_To=camille,
    )
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        client.send_message(copied, to_addrs=[LEDGER])
    titles = set(Task.objects.values_list("title", flat=True))
    assert titles == {"Close the books for Q4", "Renew the insurance"}
    assert not Conversation.objects.exists()


def test_a_task_mailed_to_the_ledger_by_the_founder(people, receiver) -> None:
    send(
        receiver,
        written(
            "Camille <camille@acme.example>",
            "Renegotiate the office lease",
            "The lease ends in March; the landlord wants +12 %.\nFind out what the market pays.",
            to=own(people["camille"]).upper(),  # as a mail program may write it
        ),
    )
    task = Task.objects.get()
    assert task.title == "Renegotiate the office lease"
    assert task.description.startswith("The lease ends in March; the landlord wants +12 %.")
    assert (task.source, task.created_by, task.owner) == ("email", people["camille"], None)
    assert list(task.events.values_list("kind", flat=True)) == ["created"]
    assert RawMessage.objects.get().state == RawMessage.State.DONE  # kept, as every delivery
    assert not Conversation.objects.exists()  # not a customer's mail


def test_an_agents_task_by_mail_is_their_own(people, receiver) -> None:
    send(
        receiver,
        written(
            "Chris <chris@acme.example>",
            "Renew the SSL certificate",
            "Expires 12/20",
            to=own(people["chris"]),
        ),
    )
    task = Task.objects.get()
    assert (task.owner, task.created_by, task.source) == (people["chris"], people["chris"], "email")


@pytest.mark.parametrize(
    ("sender", "headers", "reason"),
    [
        (
            "Mallory <mallory@evil.example>",
            {},
            "mallory@evil.example is not one of the desk's people",
        ),
        (
            "Camille <camille@acme.example>",
            {
                "Authentication_Results": "mx.acme.example; spf=fail smtp.mailfrom=acme.example; dmarc=fail"
            },
            "camille@acme.example failed the receiving server's checks",
        ),
        (
            "Camille <camille@acme.example>",
            {"Auto_Submitted": "auto-replied"},
            "an automatic message (Auto-Submitted) is not a task or a check-in",
        ),
    ],
)
def test_a_forged_or_foreign_sender_is_quarantined_with_the_reason(
    people, receiver, sender, headers, reason
) -> None:
    send(
        receiver, written(sender, "Wire 40,000 EUR today", "Urgent, do not tell anyone.", **headers)
    )
    assert not Task.objects.exists()
    raw = RawMessage.objects.get()
    assert raw.state == RawMessage.State.FAILED
    assert reason in raw.error
    client = Client()
    client.force_login(people["sophie"])  # the head reads the quarantine
    assert reason.replace("'", "&#x27;") in client.get("/quarantine/").content.decode()


def test_a_checkin_reminder_goes_out_and_the_reply_to_it_is_the_checkin(
    people, receiver, smtp_server
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    task = actions.create(
        Draft(
            "Choose the accountant",
            owner="chris@acme.example",
            outcome="Signed engagement letter, under 3,000 EUR a year",
            checkins=(tomorrow.isoformat(),),
        ),
        actor=people["sophie"],
    )
    assert reminders.tick(timezone.now()) == {"reminded": 1, "missed": 0}
    assert reminders.tick(timezone.now()) == {"reminded": 0, "missed": 0}  # once
    [reminder] = smtp_server.received
    assert reminder["To"] == "chris@acme.example"
    assert reminder["From"].addresses[0].addr_spec == LEDGER  # replies come back to the ledger
    assert f"T-{task.pk}" in reminder["Subject"]
    assert "on track" in reminder.get_content()

    reply = written(
        "Chris <chris@acme.example>",
        f"Re: {reminder['Subject']}",
        "Blocked: the second firm has not sent its quote\n\n"
        f"On {tomorrow}, Handoff wrote:\n> You agreed to say where task T-{task.pk} stands",
        In_Reply_To=reminder["Message-ID"],
        References=reminder["Message-ID"],
    )
    send(receiver, reply)
    checkin = CheckIn.objects.get(task=task)
    assert (checkin.status, checkin.text) == ("blocked", "the second firm has not sent its quote")
    assert checkin.answered_by == people["chris"]
    assert list(task.events.values_list("kind", flat=True))[-2:] == ["reminded", "checked_in"]
    assert not Conversation.objects.exists()

    # A reply that says nothing the ledger can read is kept, and the head sees why.
    send(
        receiver,
        written(
            "Chris <chris@acme.example>",
            f"Re: {reminder['Subject']}",
            "See you Monday",
            In_Reply_To=reminder["Message-ID"],
        ),
    )
    refused = RawMessage.objects.get(state=RawMessage.State.FAILED)
    assert "does not start with on track, needs help or blocked" in refused.error


def test_a_reply_from_someone_else_than_the_owner_is_quarantined(
    people, receiver, smtp_server
) -> None:
    task = actions.create(
        Draft(
            "Renew the trademark",
            owner="chris@acme.example",
            checkins=(timezone.localdate().isoformat(),),
        ),
        actor=people["sophie"],
    )
    reminders.tick(timezone.now())
    [reminder] = smtp_server.received
    send(
        receiver,
        written(
            "Mallory <mallory@evil.example>",
            "Re: check-in",
            "On track",
            In_Reply_To=reminder["Message-ID"],
        ),
    )
    assert CheckIn.objects.get(task=task).answered_at is None
    assert "is not one of the desk's people" in RawMessage.objects.get().error


def test_a_missed_checkin_is_told_to_the_owner_and_the_head_not_the_founder(
    people, receiver, smtp_server
) -> None:
    task = actions.create(
        Draft("Publish the changelog", owner="chris@acme.example"), actor=people["camille"]
    )
    CheckIn.objects.create(task=task, on=timezone.localdate() - timedelta(days=1))
    assert reminders.tick(timezone.now()) == {"reminded": 0, "missed": 1}
    assert CheckIn.objects.get().missed_at is not None
    told = sorted(m["To"] for m in smtp_server.received)
    assert told == ["chris@acme.example", "sophie@acme.example"]
    assert reminders.tick(timezone.now())["missed"] == 0  # once
    # Shown in the desk to the owner and the head; the founder reads it in the digest.
    for name, shown in [("chris", True), ("sophie", True), ("camille", False)]:
        client = Client()
        client.force_login(people[name])
        page = client.get("/ledger/").content.decode()
        assert ("Missed check-ins" in page) is shown, name
    # The owner's page names it once, under "Missed": "Your check-ins" and the task's next
    # check-in are what is still ahead.
    ahead = CheckIn.objects.create(task=task, on=timezone.localdate() + timedelta(days=6))
    client = Client()
    client.force_login(people["chris"])
    answer = client.get("/ledger/")
    assert [c.pk for c in answer.context["missed"]] == [CheckIn.objects.get(on__lt=ahead.on).pk]
    assert [c.pk for c in answer.context["due"]] == [ahead.pk]
    [(row, *_)] = answer.context["rows"]
    assert row.next_checkin == ahead.on
