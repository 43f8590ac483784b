"""Providers' inbound webhooks: anymail's `inbound` signal into the raw store.

Anymail authenticates the post and parses it; this stores the message's bytes
through the same function as every other channel, then queues the processing.
Any failure propagates: the view answers 500 and the provider posts again,
which the store recognises as the same delivery.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from anymail.signals import AnymailInboundEvent
from django.http import HttpRequest

from handoff.mailin.store import Incoming, Stored, store
from handoff.pipeline.tasks import process_incoming

RawFinder = Callable[[Any], bytes | None]


def _text(value: object) -> bytes | None:
    # JSON and form fields arrive decoded; whatever the provider could not decode
    # is already lost, so an odd lone surrogate must not stop the store.
    return value.encode("utf-8", "replace") if isinstance(value, str) and value else None


def _form_field(name: str) -> RawFinder:
    def find(esp_event: Any) -> bytes | None:
        return _text(esp_event.POST.get(name)) if isinstance(esp_event, HttpRequest) else None

    return find


def _postmark(esp_event: Any) -> bytes | None:
    return _text(esp_event.get("RawEmail")) if isinstance(esp_event, dict) else None


def _amazon_ses(esp_event: Any) -> bytes | None:
    if not isinstance(esp_event, dict):
        return None
    action = esp_event.get("receipt", {}).get("action", {})
    content = esp_event.get("content")
    if action.get("type") != "SNS" or not isinstance(content, str):
        return None  # the S3 action: anymail streamed and parsed it
    if action.get("encoding") == "BASE64":
        try:
            return base64.b64decode(content, validate=True)
        except binascii.Error:
            return None
    return _text(content)


# Where each provider puts the message exactly as it received it. Postmark: with
# "include raw email content"; Mailgun: a route forwarding to .../mailgun/mime/;
# SendGrid: "POST the raw, full MIME message"; Amazon SES: the SNS action. Without
# it, the message anymail rebuilt from the provider's parsed fields is stored.
RAW_MIME: dict[str, RawFinder] = {
    "Postmark": _postmark,
    "Mailgun": _form_field("body-mime"),
    "SendGrid": _form_field("email"),
    "Amazon SES": _amazon_ses,
}


def raw_mime(event: AnymailInboundEvent, esp_name: str) -> bytes | None:
    """The message as the provider received it, else as anymail rebuilt it; None when the
    provider sent no raw message and anymail could not parse it either."""
    find = RAW_MIME.get(esp_name)
    raw = find(event.esp_event) if find else None
    if raw is None and event.message is not None:
        raw = bytes(event.message.as_bytes())
    return raw


def source(event: AnymailInboundEvent, esp_name: str) -> str:
    message = event.message
    sender = getattr(message, "envelope_sender", None) or ""
    recipient = getattr(message, "envelope_recipient", None) or ""
    channel = esp_name.lower().replace(" ", "-")
    return f"webhook:{channel} from=<{sender}> to=<{recipient}>"


def receive(
    sender: object, event: AnymailInboundEvent, esp_name: str, **kwargs: object
) -> Stored | None:
    raw = raw_mime(event, esp_name)
    if raw is None:
        return None
    stored = store(Incoming(raw, "webhook", source(event, esp_name)))
    if stored.pending:
        process_incoming.enqueue([stored.raw_id])
    return stored
