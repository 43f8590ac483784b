"""Outgoing mail as the customer's client expects it: threaded, tokened, signed by a person."""

from __future__ import annotations

import uuid
from email.utils import format_datetime, formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from handoff.lib.subjects import desk_token
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.tickets.models import Conversation, Message

MAX_REFERENCES = 20
# An outbox row's HTML version of its text: stored as an attachment without a file name
# (an upload always has one), sent as the text's alternative, not as a file.
HTML_BODY = "text/html"


def new_message_id() -> str:
    return f"{uuid.uuid4().hex}@{settings.DESK_DOMAIN}"


def reply_subject(conversation: Conversation) -> str:
    subject = conversation.subject or "(no subject)"
    if desk_token(subject) != conversation.pk:
        subject = f"{subject} {conversation.token}"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def from_header(mailbox: Mailbox, person: str) -> str:
    # "Chris — Acme Reports" <support@acme-reports.example>: a person, on behalf of the company.
    display = " — ".join(part for part in (person, mailbox.name) if part)
    return formataddr((display, mailbox.address))


def threading_headers(parent: Message | None) -> dict[str, str]:
    if parent is None:
        return {}
    references = [*parent.references, parent.message_id][-MAX_REFERENCES:]
    return {
        "In-Reply-To": f"<{parent.message_id}>",
        "References": " ".join(f"<{ref}>" for ref in references),
    }


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
        to=outgoing.to,
        cc=outgoing.cc,
        headers=outgoing.headers,
    )
    for attachment in outgoing.attachments.all():
        if not attachment.filename and attachment.content_type == HTML_BODY:
            email.attach_alternative(bytes(attachment.data).decode(), HTML_BODY)
        else:
            email.attach(attachment.filename, bytes(attachment.data), attachment.content_type)
    return email
