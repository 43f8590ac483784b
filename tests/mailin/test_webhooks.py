"""Providers' inbound webhooks, posted with Django's test client.

Payloads follow the providers' documentation and django-anymail's own tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from textwrap import dedent
from types import ModuleType

import pytest
from anymail.inbound import AnymailInboundMessage
from anymail.signals import AnymailInboundEvent, EventType, inbound
from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from django.db import OperationalError
from django.test import Client
from django.urls import include, path, reverse

from handoff.mailin import store
from handoff.mailin.models import RawMessage
from handoff.tickets.models import Message

pytestmark = pytest.mark.django_db

SECRET = "hook:s3cret"
SIGNING_KEY = "key-0123456789abcdef0123456789abcdef"

# Postmark's "RawEmail" uses \n line ends, not \r\n.
RAW_EMAIL = dedent(
    """\
    Received: from mail.client.example by inbound.postmarkapp.com ...
    MIME-Version: 1.0
    Message-ID: <CAEPk3R+4Zr@mail.client.example>
    From: "Ana Lima" <ana@client.example>
    To: Support <support@acme.example>
    Subject: =?utf-8?q?Devis_pour_l=E2=80=99agence?=
    Date: Mon, 2 Nov 2026 09:00:00 +0100
    Content-Type: text/plain; charset="utf-8"
    Content-Transfer-Encoding: 8bit

    Bonjour, pourriez-vous m’envoyer un devis ?
    """
)


def postmark_payload(raw: str | None = RAW_EMAIL) -> dict:
    payload = {
        "FromFull": {"Email": "ana@client.example", "Name": "Ana Lima", "MailboxHash": ""},
        "ToFull": [{"Email": "support@acme.example", "Name": "Support", "MailboxHash": ""}],
        "OriginalRecipient": "support@acme.example",
        "Subject": "Devis pour l’agence",
        "MessageID": "22c74902-a0c1-4511-804f2-341342852c90",
        "Date": "Mon, 2 Nov 2026 09:00:00 +0100",
        "TextBody": "Bonjour, pourriez-vous m’envoyer un devis ?",
        "StrippedTextReply": "",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<bounces@client.example>"},
            {"Name": "Message-ID", "Value": "<CAEPk3R+4Zr@mail.client.example>"},
            {"Name": "X-Spam-Status", "Value": "No"},
        ],
        "Attachments": [],
    }
    if raw is not None:
        payload["RawEmail"] = raw
    return payload


def basic_auth(credentials: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def post_postmark(client: Client, payload: dict, **headers: str):
    return client.post(
        reverse("inbound:postmark"), json.dumps(payload), "application/json", **headers
    )


def mailgun_form(body_mime: str, key: str = SIGNING_KEY) -> dict[str, str]:
    token, timestamp = "06c96bafc3f42a66b9edd546347a2fe18dc23461fe80dc52f0", "1793606400"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "token": token,
        "timestamp": timestamp,
        "signature": signature.hexdigest(),
        "recipient": "support@acme.example",
        "sender": "bounces@client.example",
        "body-mime": body_mime,
    }


@pytest.fixture(autouse=True)
def _webhooks(settings) -> None:
    # The project's urls.py includes these under webhooks/inbound/ too; a urlconf
    # of their own keeps these tests about the webhooks alone.
    urlconf = ModuleType("webhook_urls_under_test")
    urlconf.urlpatterns = [path("webhooks/inbound/", include("handoff.mailin.webhook_urls"))]  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = urlconf
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def test_postmark_with_the_secret_stores_the_raw_email_then_processes_it(client) -> None:
    response = post_postmark(client, postmark_payload(), **basic_auth())
    assert response.status_code == 200
    row = RawMessage.objects.get()
    assert bytes(row.data) == RAW_EMAIL.encode()  # the provider's bytes, not a re-rendering
    assert row.channel == "webhook"
    assert row.source == (
        "webhook:postmark from=<bounces@client.example> to=<support@acme.example>"
    )
    message = Message.objects.get(raw=row)  # the queued job ran (immediate backend here)
    assert message.subject == "Devis pour l’agence"


def test_postmark_without_or_with_a_wrong_secret_is_refused_with_400(client) -> None:
    assert post_postmark(client, postmark_payload()).status_code == 400
    assert post_postmark(client, postmark_payload(), **basic_auth("hook:guess")).status_code == 400
    assert not RawMessage.objects.exists()


def test_webhooks_answer_503_until_their_credentials_are_configured(client, settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": None, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    # Anymail alone would accept anyone's post when no secret is set.
    response = post_postmark(client, postmark_payload(), **basic_auth())
    assert response.status_code == 503
    assert b"WEBHOOK_SECRET" in response.content
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": None}
    response = client.post(reverse("inbound:mailgun_mime"), mailgun_form(RAW_EMAIL), **basic_auth())
    assert response.status_code == 503
    assert b"MAILGUN_WEBHOOK_SIGNING_KEY" in response.content
    assert not RawMessage.objects.exists()


def test_postmark_without_the_raw_email_stores_the_message_anymail_rebuilds(client) -> None:
    response = post_postmark(client, postmark_payload(raw=None), **basic_auth())
    assert response.status_code == 200
    row = RawMessage.objects.get()
    assert row.message_id == "CAEPk3R+4Zr@mail.client.example"
    assert b"Return-Path" not in bytes(row.data)  # Postmark's, not the sender's
    assert Message.objects.get(raw=row).text.startswith("Bonjour")


def test_the_same_webhook_posted_twice_is_stored_once(client) -> None:
    for _ in range(2):
        assert post_postmark(client, postmark_payload(), **basic_auth()).status_code == 200
    assert RawMessage.objects.count() == 1
    assert Message.objects.count() == 1


def test_a_failed_store_answers_500_so_that_the_provider_posts_again(monkeypatch) -> None:
    real = store.bulk.insert
    failures = [OperationalError("database is locked")]

    def insert(rows, *args, **kwargs):
        if failures:
            raise failures.pop()
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(store.bulk, "insert", insert)
    client = Client(raise_request_exception=False)
    assert post_postmark(client, postmark_payload(), **basic_auth()).status_code == 500
    assert not RawMessage.objects.exists()
    assert post_postmark(client, postmark_payload(), **basic_auth()).status_code == 200
    assert RawMessage.objects.count() == 1


def test_mailgun_with_a_valid_signature_stores_the_raw_mime(client) -> None:
    response = client.post(reverse("inbound:mailgun_mime"), mailgun_form(RAW_EMAIL), **basic_auth())
    assert response.status_code == 200
    row = RawMessage.objects.get()
    assert bytes(row.data) == RAW_EMAIL.encode()
    assert row.source == "webhook:mailgun from=<bounces@client.example> to=<support@acme.example>"


def test_mailgun_with_an_invalid_signature_is_refused_and_stores_nothing(client) -> None:
    forged = mailgun_form(RAW_EMAIL, key="key-not-the-right-one")
    response = client.post(reverse("inbound:mailgun_mime"), forged, **basic_auth())
    assert response.status_code == 400
    unsigned = {k: v for k, v in mailgun_form(RAW_EMAIL).items() if k != "signature"}
    response = client.post(reverse("inbound:mailgun_mime"), unsigned, **basic_auth())
    assert response.status_code == 400
    assert not RawMessage.objects.exists()


@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_sendgrid_raw_mime_is_stored(client) -> None:
    form = {
        "email": RAW_EMAIL,
        "envelope": json.dumps({"to": ["support@acme.example"], "from": "bounces@client.example"}),
        "charsets": json.dumps({"to": "UTF-8", "from": "UTF-8", "subject": "UTF-8"}),
        "spam_score": "0.1",
    }
    response = client.post(reverse("inbound:sendgrid"), form, **basic_auth())
    assert response.status_code == 200
    assert bytes(RawMessage.objects.get().data) == RAW_EMAIL.encode()


def ses_notification(raw: bytes) -> dict:
    return {
        "notificationType": "Received",
        "mail": {
            "timestamp": "2026-11-02T08:00:00.000Z",
            "source": "bounces@client.example",
            "messageId": "jili9m351il3gkburn7o2f0u6788stij94c8ld01",
            "destination": ["support@acme.example"],
        },
        "receipt": {
            "recipients": ["support@acme.example"],
            "spamVerdict": {"status": "PASS"},
            "action": {
                "type": "SNS",
                "topicArn": "arn:aws:sns:us-east-1:111122223333:ses-inbound",
                "encoding": "BASE64",
            },
        },
        "content": base64.b64encode(raw).decode(),
    }


def test_amazon_ses_keeps_8bit_bytes_exactly() -> None:
    # Sent as anymail's SES view sends it (the view itself needs boto3, see below).
    raw = (
        b"From: ana@client.example\r\nTo: support@acme.example\r\n"
        b"Subject: caf\xe9\r\nMessage-ID: <ses@client.example>\r\n\r\nCr\xe8me br\xfbl\xe9e\r\n"
    )
    event = AnymailInboundEvent(
        event_type=EventType.INBOUND,
        esp_event=ses_notification(raw),
        message=AnymailInboundMessage.parse_raw_mime_bytes(raw),
    )
    event.message.envelope_sender = "bounces@client.example"
    event.message.envelope_recipient = "support@acme.example"
    inbound.send(sender=AmazonSESInboundWebhookView, event=event, esp_name="Amazon SES")
    row = RawMessage.objects.get()
    assert bytes(row.data) == raw
    assert (
        row.source == "webhook:amazon-ses from=<bounces@client.example> to=<support@acme.example>"
    )
    assert Message.objects.filter(raw=row).exists()  # queued and processed


def test_amazon_ses_answers_503_without_boto3(client, monkeypatch) -> None:
    monkeypatch.setattr("handoff.mailin.webhook_urls.find_spec", lambda name: None)
    sns = {"Type": "Notification", "MessageId": "8f6dad76", "Message": json.dumps({})}
    response = client.post(
        reverse("inbound:amazon_ses"),
        json.dumps(sns),
        "text/plain; charset=UTF-8",
        HTTP_X_AMZ_SNS_MESSAGE_TYPE="Notification",
        HTTP_X_AMZ_SNS_MESSAGE_ID=sns["MessageId"],
        **basic_auth(),
    )
    assert response.status_code == 503
    assert b"needs the boto3 package" in response.content
    assert not RawMessage.objects.exists()


def test_a_post_over_the_message_size_limit_is_refused_with_413(client, settings) -> None:
    settings.MAX_MESSAGE_BYTES = 1000
    payload = postmark_payload(RAW_EMAIL + "x" * 3000)
    assert post_postmark(client, payload, **basic_auth()).status_code == 413
    assert not RawMessage.objects.exists()


def test_a_message_of_several_megabytes_is_taken(client) -> None:
    """Django's own limit on a post (2.5 MB) is not the desk's limit on a message."""
    big = RAW_EMAIL + "Lorem ipsum dolor sit amet.\n" * 150_000  # about 4 MB
    assert post_postmark(client, postmark_payload(big), **basic_auth()).status_code == 200
    assert RawMessage.objects.count() == 1
