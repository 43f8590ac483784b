"""Providers' inbound webhooks, included by the project under ``webhooks/inbound/``.

django-anymail checks each post (HTTP basic auth with HANDOFF_WEBHOOK_SECRET;
Mailgun's signature as well) and parses it, then sends its ``inbound`` signal,
which ``handoff.ops.inbound`` stores like every other channel. A message anymail cannot
parse (a MIME bomb makes it recurse until Python stops it) is still kept: the post was
checked before the parsing, and the same signal takes its raw bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

from anymail.signals import AnymailInboundEvent, inbound
from anymail.utils import get_anymail_setting
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from handoff.mailin.store import Stored

log = logging.getLogger(__name__)
View = Callable[..., HttpResponse]
# A provider posts the message in JSON or a form: base64 and escaping make it bigger.
OVERHEAD = 2


def _off(reason: str) -> HttpResponse:
    return HttpResponse(
        f"inbound webhooks are off: {reason}\n", status=503, content_type="text/plain"
    )


def guarded(view_class: Any, *required: str, module: str | None = None) -> View:
    """The provider's view, refusing posts until its credentials are configured.

    Anymail accepts anyone's post when no WEBHOOK_SECRET is set (it only warns),
    and fails with a bare 500 when Mailgun's signing key is missing. Answer 503
    instead: the provider keeps the message and retries once the operator is done.
    ``module`` names an optional package the provider's view needs.
    """
    view = view_class.as_view()
    needed = [("webhook_secret", None)] + [(name, view_class.esp_name) for name in required]

    @csrf_exempt
    @login_not_required
    def webhook(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        for name, esp_name in needed:
            if not get_anymail_setting(name, esp_name=esp_name, default=None):
                setting = f"{esp_name}_{name}".upper() if esp_name else name.upper()
                return _off(f"{setting} is not configured")
        if module and find_spec(module) is None:
            return _off(f"{view_class.esp_name} needs the {module} package")
        limit = settings.MAX_MESSAGE_BYTES * OVERHEAD
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            return HttpResponse("message too large\n", status=413, content_type="text/plain")
        # Read here, within the desk's own limit for a message: Django's limit for a form
        # (2.5 MB) would refuse an ordinary message with an attachment.
        request._body = request.read(limit + 1)  # what `request.body` would hold
        try:
            response: HttpResponse = view(request, *args, **kwargs)
        except (SuspiciousOperation, DatabaseError):
            raise  # refused by anymail's checks (400), or not stored (500: posted again)
        except Exception as error:  # noqa: BLE001 - kept below as raw bytes, or raised again
            return _unparsed(request, view_class.esp_name, error)
        return response

    return webhook


def _unparsed(request: HttpRequest, esp_name: str, error: Exception) -> HttpResponse:
    """Anymail checked the post, then failed to parse the message: hand on its raw bytes."""
    try:
        esp_event: Any = json.loads(request.body)
    except ValueError:
        esp_event = request  # a form post: the raw message is one of its fields
    event = AnymailInboundEvent(event_type="inbound", esp_event=esp_event, message=None)
    answers = inbound.send(sender=None, event=event, esp_name=esp_name)
    if not any(isinstance(answer, Stored) for _, answer in answers):
        raise error
    log.warning("%s: kept a message anymail could not parse (%s)", esp_name, type(error).__name__)
    return HttpResponse("")


app_name = "inbound"
urlpatterns = [
    path("postmark/", guarded(PostmarkInboundWebhookView), name="postmark"),
    # Mailgun posts the raw MIME message (bytes first) only to a URL with "mime" in it.
    path(
        "mailgun/mime/",
        guarded(MailgunInboundWebhookView, "webhook_signing_key"),
        name="mailgun_mime",
    ),
    path("mailgun/", guarded(MailgunInboundWebhookView, "webhook_signing_key"), name="mailgun"),
    path("sendgrid/", guarded(SendGridInboundWebhookView), name="sendgrid"),
    path("amazon_ses/", guarded(AmazonSESInboundWebhookView, module="boto3"), name="amazon_ses"),
]
