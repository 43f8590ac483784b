"""A customer whose display name holds markup and a line break still gets an answer, at the
address they wrote from: the desk addresses mail from parsed addresses only, writes every
header through the email package, and its own copy is threaded like any other."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from handoff.desk.actions import reply
from handoff.mailin.models import Mailbox, RawMessage
from handoff.mailout import compose
from handoff.mailout.models import Outgoing
from handoff.mailout.send import send
from handoff.tickets.models import Message
from tests.helpers import deliver

pytestmark = pytest.mark.django_db

CUSTOMER = "reply.28@customer.example"
# The name in quotes, folded over a line break; and in encoded words hiding CR LF and an
# address (which the email package refuses to read, so the desk's own fallback reads it).
NAMES = {
    "quoted": b'"<svg onload=alert(1)>\r\n Bcc: x@evil.example"',
    "encoded": b"=?utf-8?q?=3Csvg_onload=3Dalert(1)=3E=0D=0ABcc=3A_x=40evil.example?=",
}


def hostile(message_id: str, name: bytes, *, reply_to: bool) -> bytes:
    sender = b"%s <%s>" % (name, CUSTOMER.encode())
    head = [
        b"Message-ID: <%s>" % message_id.encode(),
        b"From: " + sender,
        *([b"Reply-To: " + sender] if reply_to else []),
        b"To: support@acme.example",
        b"Subject: Export broken",
        b"Date: Mon, 02 Nov 2026 09:00:00 +0000",
    ]
    return b"\r\n".join([*head, b"", b"The export fails since Monday.", b""])


def assert_clean(sent: EmailMessage) -> None:
    assert sent.defects == []
    for name, value in sent.items():
        assert getattr(value, "defects", ()) == (), name
    assert "Bcc" not in sent
    assert [a.addr_spec for a in sent["To"].addresses] == [CUSTOMER]
    assert str(sent["To"]) == CUSTOMER  # no display name at all


@pytest.mark.parametrize("reply_to", [True, False], ids=["reply-to", "from"])
@pytest.mark.parametrize("kind", NAMES)
def test_a_display_name_with_markup_and_a_line_break_gets_its_answer_at_its_address(
    kind, reply_to, people, smtp_server, django_capture_on_commit_callbacks
) -> None:
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    [question] = deliver(hostile(f"{kind}@customer.example", NAMES[kind], reply_to=reply_to))
    assert question.from_address == CUSTOMER

    with django_capture_on_commit_callbacks(execute=True):
        outgoing = reply(question.conversation, people["chris"], "Fixed, try again.")

    [sent] = smtp_server.received
    assert_clean(sent)
    assert sent["From"].addresses[0].display_name == "Chris — Acme"
    assert sent["In-Reply-To"] == f"<{kind}@customer.example>"
    outgoing.refresh_from_db()
    assert outgoing.state == Outgoing.State.SENT
    assert outgoing.to == [CUSTOMER]
    # The desk's own copy: processed, not quarantined, in the customer's conversation.
    assert not RawMessage.objects.exclude(state=RawMessage.State.DONE).exists()
    ours = Message.objects.get(direction=Message.Direction.OUT)
    assert ours.raw is not None
    assert ours.raw.channel == "outbox"
    assert ours.conversation_id == question.conversation_id
    assert ours.to == [["", CUSTOMER]]
    assert ours.warnings == []


def test_the_acknowledgement_goes_to_the_parsed_address_too(
    smtp_server, django_capture_on_commit_callbacks
) -> None:
    Mailbox.objects.create(address="support@acme.example", name="Acme", acknowledge=True)
    with django_capture_on_commit_callbacks(execute=True):
        [question] = deliver(
            hostile("ack@customer.example", NAMES["quoted"], reply_to=True),
            channel="smtp",
            live=True,
        )
    [sent] = smtp_server.received
    assert_clean(sent)
    assert sent["Auto-Submitted"] == "auto-replied"
    assert not RawMessage.objects.exclude(state=RawMessage.State.DONE).exists()
    ours = Message.objects.get(direction=Message.Direction.OUT)
    assert ours.conversation_id == question.conversation_id


def test_a_persons_name_goes_into_the_from_header_without_its_controls() -> None:
    mailbox = Mailbox(address="support@acme.example", name="Acme\u202e")
    header = compose.from_header(mailbox, "Chris\r\nBcc: x@evil.example")
    message = EmailMessage()
    message["From"] = header
    [address] = message["From"].addresses
    assert message["From"].defects == ()
    assert address.addr_spec == "support@acme.example"
    assert address.display_name == "Chris Bcc: x@evil.example — Acme"


def test_threading_leaves_out_an_id_that_cannot_be_written() -> None:
    parent = Message(message_id="ok@customer.example", references=["bad id@x", "<x>@y", "r@x"])
    assert compose.threading_headers(parent) == {
        "In-Reply-To": "<ok@customer.example>",
        "References": "<r@x> <ok@customer.example>",
    }


def test_a_row_whose_address_cannot_be_written_fails_at_once_without_retrying(
    smtp_server,
) -> None:
    mailbox = Mailbox.objects.create(address="support@acme.example", name="Acme")
    # As the outbox stored it before replies were addressed from parsed addresses only.
    outgoing = Outgoing.objects.create(
        kind=Outgoing.Kind.REPLY,
        mailbox=mailbox,
        message_id="garbage@handoff.localhost",
        from_header=compose.from_header(mailbox, "Chris"),
        recipient="svg onload=alert(1)",
        to=["svg onload=alert(1)"],
        subject="Re: Export broken",
        text="Fixed.",
    )
    assert send(outgoing.pk) == Outgoing.State.FAILED
    outgoing.refresh_from_db()
    assert outgoing.last_error.startswith("cannot be written as mail")
    assert smtp_server.received == []
