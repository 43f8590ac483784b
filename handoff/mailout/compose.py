"""Outgoing mail as the customer's client expects it: threaded, tokened, signed by a person."""

from __future__ import annotations

import re
import uuid
from email.errors import MessageError
from email.headerregistry import Address
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from handoff.lib.subjects import desk_token
from handoff.lib.visible import stripped
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.tickets.models import Conversation, Message

MAX_REFERENCES = 20
# An outbox row's HTML version of its text: stored as an attachment without a file name
# (an upload always has one), sent as the text's alternative, not as a file.
HTML_BODY = "text/html"
LONGEST_NAME = 200  # characters of a display name the desk writes
# A msg-id's id-left "@" id-right as the desk repeats it in In-Reply-To and References:
# printable ASCII, no angle brackets, no space (an id the parser kept otherwise is left out).
_MESSAGE_ID = re.compile(r"[\x21-\x3b\x3d\x3f-\x7e]+")


def new_message_id() -> str:
    return f"{uuid.uuid4().hex}@{settings.DESK_DOMAIN}"


def reply_subject(conversation: Conversation) -> str:
    subject = conversation.subject or "(no subject)"
    if desk_token(subject) != conversation.pk:
        subject = f"{subject} {conversation.token}"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def address(addr_spec: str, name: str = "") -> Address:
    """An address the desk writes into a header, as the email package builds it: the
    address as parsed, the display name with nothing that could break the header or
    reorder it (no CR, LF or other control, no bidirectional override).
    Raises ValueError for what is not one address."""
    try:
        return Address(display_name=stripped(name)[:LONGEST_NAME], addr_spec=addr_spec.strip())
    except (IndexError, MessageError) as error:  # the parser's other ways of saying no
        raise ValueError(f"not an address: {addr_spec!r}") from error


def from_header(mailbox: Mailbox, person: str) -> str:
    # "Chris — Acme Reports" <support@acme-reports.example>: a person, on behalf of the company.
    display = " — ".join(part for part in (stripped(person), stripped(mailbox.name)) if part)
    return str(address(mailbox.address, display))


def threading_headers(parent: Message | None) -> dict[str, str]:
    if parent is None:
        return {}
    known = [ref for ref in [*parent.references, parent.message_id] if _MESSAGE_ID.fullmatch(ref)]
    headers = {}
    if known and known[-1] == parent.message_id:
        headers["In-Reply-To"] = f"<{parent.message_id}>"
    if known:
        headers["References"] = " ".join(f"<{ref}>" for ref in known[-MAX_REFERENCES:])
    return headers


def headers_for(message_id: str, parent: Message | None, *, automatic: bool) -> dict[str, str]:
    headers = {
        "Message-ID": f"<{message_id}>",
        "Date": format_datetime(timezone.now()),
        **threading_headers(parent),
    }
    if automatic:
        # RFC 3834: machines must not answer this; Exchange: do not auto-reply to it.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
        headers["Precedence"] = "auto_reply"
    return headers


def email_of(outgoing: Outgoing) -> EmailMultiAlternatives:
    """The Django message for a stored outbox row: the same bytes every time it is built."""
    email = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.text,
        from_email=outgoing.from_header,
        # Each recipient written by the email package from the stored address alone.
        to=[str(address(to)) for to in outgoing.to],
        cc=[str(address(cc)) for cc in outgoing.cc],
        bcc=[str(address(bcc)) for bcc in outgoing.bcc],
        headers=outgoing.headers,
    )
    for attachment in outgoing.attachments.all():
        if not attachment.filename and attachment.content_type == HTML_BODY:
            email.attach_alternative(bytes(attachment.data).decode(), HTML_BODY)
        else:
            email.attach(attachment.filename, bytes(attachment.data), attachment.content_type)
    return email
