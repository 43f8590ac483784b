"""Providers' inbound webhooks, included by the project under ``webhooks/inbound/``.

django-anymail checks each post (HTTP basic auth with HANDOFF_WEBHOOK_SECRET;
Mailgun's signature as well) and parses it, then sends its ``inbound`` signal,
which ``handoff.ops.inbound`` stores like every other channel.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.util import find_spec
from typing import Any

from anymail.utils import get_anymail_setting
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

View = Callable[..., HttpResponse]


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
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return webhook


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
