"""Everything that puts mail in the outbox: written and committed first, sent by the worker.

The outbox stores its own copy of each message as raw bytes, like every channel; the
caller takes that copy through the pipeline (``handoff.pipeline.process.record_copy``),
which puts it on the conversation and stops the clocks a reply answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.errors import MessageError
from email.headerregistry import HeaderRegistry
from typing import Any

from django.db import transaction
from django.utils import timezone

from handoff.accounts.models import User
from handoff.lib.quotes import fold
from handoff.mailin.models import Mailbox
from handoff.mailin.store import Incoming, store
from handoff.mailout import compose
from handoff.mailout.limits import over_limit
from handoff.mailout.models import Outgoing, OutgoingAttachment
from handoff.mailout.texts import acknowledgement
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event, Message

_HEADERS = HeaderRegistry()


class CannotSend(ValueError):
    """The message cannot be sent as asked; the reason is for the person who asked."""


@dataclass(frozen=True, slots=True)
class Queued:
    outgoing: Outgoing
    # The stored copy to put on the conversation; None when held back by a rate limit, or
    # waiting out a person's undo window (``waiting``: its copy is stored when it goes).
    raw_id: int | None
    waiting: bool = False


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def last_from_customer(conversation: Conversation) -> Message | None:
    return (
        conversation.messages.filter(direction=Message.Direction.IN, noise="")
        .order_by("-received_at", "-pk")
        .first()
    )


def mailbox_for(conversation: Conversation, parent: Message | None) -> Mailbox:
    """The address the customer wrote to, so the answer comes from where they expect."""
    mailboxes = {m.address.lower(): m for m in Mailbox.objects.filter(active=True)}
    if parent is not None:
        for _name, address in [*parent.to, *parent.cc]:
            if address.lower() in mailboxes:
                return mailboxes[address.lower()]
    if not mailboxes:
        raise CannotSend("no mailbox is configured to send from")
    return mailboxes[min(mailboxes)]


def reply_to_address(parent: Message) -> str:
    """Where the customer's answers go: the first address of their Reply-To as it was
    parsed, else their From's, never anything read from a display name."""
    reply_to = str(parent.headers.get("reply-to", ""))
    for candidate in [*_parsed_addresses(reply_to), parent.from_address]:
        try:
            return compose.address(candidate).addr_spec
        except ValueError:
            continue
    raise CannotSend(f"no address to answer: {parent.from_address!r} is not one")


def _parsed_addresses(value: str) -> list[str]:
    # The kept Reply-To is its addresses as parsed (``handoff.lib.mime``); a message stored
    # before then kept its display text: parsed again here, by the email package.
    if "@" not in value:
        return []
    try:
        header: Any = _HEADERS("reply-to", value)
        return [a.addr_spec for a in header.addresses if "@" in a.addr_spec]
    except (ValueError, IndexError, MessageError):
        return []


MOST_COPIES = 20  # Cc and Bcc addresses of one reply, each


def queue_reply(
    conversation: Conversation,
    author: User,
    text: str,
    uploads: Sequence[Upload] = (),
    *,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    typed: str = "",
    undo: int = 0,
) -> Queued:
    """An agent's answer: into the outbox and onto the conversation, sent by the worker.
    ``cc``, ``bcc``: more recipients, each one address (Bcc only on the envelope).
    ``undo``: seconds it waits, stored but not yet on the conversation, before the
    pipeline's ``deliver_waiting`` puts its copy there and sends it (``undo_reply`` takes
    it back meanwhile); 0: at once."""
    if not text.strip():
        raise CannotSend("the reply is empty")
    copies = {"Cc": _addresses(cc), "Bcc": _addresses(bcc)}
    parent = last_from_customer(conversation)
    if parent is None:
        raise CannotSend("nobody to answer: no message from a customer in this conversation")
    return _queue(
        conversation,
        kind=Outgoing.Kind.REPLY,
        author=author,
        parent=parent,
        to=reply_to_address(parent),
        text=text,
        uploads=uploads,
        person=author.name or author.email.split("@")[0],
        cc=copies["Cc"],
        bcc=copies["Bcc"],
        typed=typed,
        undo=undo,
    )


def undo_reply(outgoing_id: int, author: User) -> bool:
    """Take a reply back while it waits: never sent, never on the conversation. False when
    it is too late (its copy is on the conversation: it is going or gone)."""
    waiting = Outgoing.objects.filter(pk=outgoing_id, author=author, state=Outgoing.State.WAITING)
    return waiting.update(state=Outgoing.State.UNDONE, last_error="undone by its author") == 1


def store_copy(outgoing: Outgoing) -> Queued:
    """A waiting reply's bytes, stored when it goes (the same bytes every time)."""
    raw = compose.email_of(outgoing).message().as_bytes()
    stored = store(Incoming(raw, "outbox", f"outbox:{outgoing.pk}"))
    return Queued(outgoing, stored.raw_id)


def _addresses(given: Sequence[str]) -> list[str]:
    found = []
    for text in given:
        try:
            found.append(compose.address(text).addr_spec)
        except ValueError:
            raise CannotSend(f"not an email address: {text!r}") from None
        if "@" not in found[-1]:
            raise CannotSend(f"not an email address: {text!r}")
    if len(found) > MOST_COPIES:
        raise CannotSend(f"at most {MOST_COPIES} addresses in Cc and in Bcc")
    return found


def acknowledge(message: Message) -> Queued | None:
    """The optional automatic acknowledgement of a new conversation, in the customer's language.

    Never to noise (auto-replies, bounces, lists, our own mail), never from a mailbox
    that does not ask for it, never over the rate limits (then recorded as held).
    """
    if message.direction != Message.Direction.IN or message.noise or not message.from_address:
        return None
    mailbox = mailbox_for(message.conversation, message)
    if not mailbox.acknowledge or message.from_address.lower() == mailbox.address.lower():
        return None
    subject, body = acknowledgement(fold(message.text).visible or message.text)
    return _queue(
        message.conversation,
        kind=Outgoing.Kind.ACKNOWLEDGEMENT,
        author=None,
        parent=message,
        to=reply_to_address(message),
        text=body.format(token=message.conversation.token),
        uploads=(),
        person="",
        subject=f"{subject} {compose.reply_subject(message.conversation)}",
        mailbox=mailbox,
    )


def _queue(
    conversation: Conversation,
    *,
    kind: str,
    author: User | None,
    parent: Message,
    to: str,
    text: str,
    uploads: Sequence[Upload],
    person: str,
    subject: str | None = None,
    mailbox: Mailbox | None = None,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    typed: str = "",
    undo: int = 0,
) -> Queued:
    from handoff.mailout.tasks import send_outgoing

    automatic = kind != Outgoing.Kind.REPLY
    mailbox = mailbox or mailbox_for(conversation, parent)
    message_id = compose.new_message_id()
    now = timezone.now()
    with transaction.atomic():
        held = (
            over_limit(conversation_id=conversation.pk, recipient=to.lower(), now=now)
            if automatic
            else ""
        )
        outgoing = Outgoing.objects.create(
            conversation=conversation,
            kind=kind,
            automatic=automatic,
            author=author,
            mailbox=mailbox,
            message_id=message_id,
            from_header=compose.from_header(mailbox, person),
            recipient=to.lower(),
            to=[to],
            cc=list(cc),
            bcc=list(bcc),
            subject=subject or compose.reply_subject(conversation),
            text=text,
            typed=typed,
            headers=compose.headers_for(message_id, parent, automatic=automatic),
            state=_state(held, waiting=bool(undo) and not automatic),
            last_error=held,
            created_at=now,
            next_attempt_at=now + timedelta(seconds=undo),
        )
        OutgoingAttachment.objects.bulk_create(
            OutgoingAttachment(
                outgoing=outgoing, filename=u.filename, content_type=u.content_type, data=u.data
            )
            for u in uploads
        )
        if held:
            timeline.append(conversation.pk, Event.Kind.HELD, reason=held, to=to)
            return Queued(outgoing, None)
        if outgoing.state == Outgoing.State.WAITING:
            return Queued(outgoing, None, waiting=True)  # the caller has it delivered later
        # Our own mail is kept like every other: bytes first.
        raw = compose.email_of(outgoing).message().as_bytes()
        stored = store(Incoming(raw, "outbox", f"outbox:{outgoing.pk}"))
        transaction.on_commit(lambda: send_outgoing.enqueue(outgoing.pk))
    return Queued(outgoing, stored.raw_id)


def _state(held: str, *, waiting: bool) -> str:
    if held:
        return Outgoing.State.HELD
    return Outgoing.State.WAITING if waiting else Outgoing.State.QUEUED


def link_record(queued: Queued) -> None:
    """Once the pipeline has put our copy on the conversation: the outbox row points at it,
    and the conversation page shows where its sending stands."""
    outgoing = queued.outgoing
    outgoing.record = Message.objects.filter(raw_id=queued.raw_id).first()
    outgoing.save(update_fields=["record"])
    if outgoing.state == Outgoing.State.QUEUED:
        Message.objects.filter(raw_id=queued.raw_id).update(delivery_state="queued")


def notify_team(
    user: User,
    subject: str,
    text: str,
    conversation: Conversation | None,
    *,
    purpose: str = Mailbox.Purpose.DESK,
) -> Outgoing:
    """A notification to a team member (reminder, breach, handover): automatic, rate limited,
    never threaded into the customer's conversation. Sent from a mailbox of ``purpose``
    (the ledger's own address, so that a reply reaches the ledger) when there is one."""
    mailboxes = Mailbox.objects.filter(active=True).order_by("purpose", "address")
    if mailboxes.filter(purpose=purpose).exists():
        mailboxes = mailboxes.filter(purpose=purpose)
    # The desk's own address, not a person's (the founder's mailbox may be one of them).
    people = User.objects.values_list("email", flat=True)
    mailbox = mailboxes.exclude(address__in=people).first() or mailboxes.first()
    if mailbox is None:
        raise CannotSend("no mailbox is configured to send from")
    try:
        to = compose.address(user.email).addr_spec
    except ValueError as error:
        raise CannotSend(f"{user} has no address mail can be sent to") from error
    message_id = compose.new_message_id()
    now = timezone.now()
    held = over_limit(conversation_id=None, recipient=to.lower(), now=now)
    outgoing = Outgoing.objects.create(
        conversation=conversation,
        kind=Outgoing.Kind.NOTIFICATION,
        automatic=True,
        mailbox=mailbox,
        message_id=message_id,
        from_header=compose.from_header(mailbox, "Handoff"),
        recipient=to.lower(),
        to=[to],
        subject=subject,
        text=text,
        headers=compose.headers_for(message_id, None, automatic=True),
        state=Outgoing.State.HELD if held else Outgoing.State.QUEUED,
        last_error=held,
        created_at=now,
    )
    if not held:
        from handoff.mailout.tasks import send_outgoing

        transaction.on_commit(lambda: send_outgoing.enqueue(outgoing.pk))
    return outgoing
