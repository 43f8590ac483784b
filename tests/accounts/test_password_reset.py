"""A forgotten password: a link by email from the desk's address, on the public URL, that
sets a new password once; the same answer for an unknown address; throttled."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from handoff.mailin.models import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_mail(settings) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.PUBLIC_URL = "https://desk.acme.example"
    Mailbox.objects.create(address="support@acme.example")


def test_a_link_by_mail_sets_a_new_password_once(people) -> None:
    client = Client()
    assert "/password/reset/" in client.get("/login/").content.decode()
    answer = client.post("/password/reset/", {"email": "Chris@acme.example"})
    assert answer.status_code == 302
    assert answer.url == "/password/reset/sent/"
    (sent,) = mail.outbox
    assert sent.to == ["chris@acme.example"]
    assert sent.from_email == "support@acme.example"
    link = re.search(r"https://desk\.acme\.example(/password/reset/\S+/)", sent.body)
    assert link is not None
    form = client.get(link[1], follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link[1],
        {
            "new_password1": "a new and long passphrase",
            "new_password2": "a new and long passphrase",
        },
    )
    assert done.status_code == 302
    people["chris"].refresh_from_db()
    assert people["chris"].check_password("a new and long passphrase")
    again = client.get(link[1], follow=True).content.decode()
    assert "This link no longer works" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(people) -> None:
    answer = Client().post("/password/reset/", {"email": "nobody@elsewhere.example"})
    assert answer.status_code == 302
    assert answer.url == "/password/reset/sent/"
    assert mail.outbox == []


def test_asking_again_and_again_is_throttled(people) -> None:
    client = Client()
    for _ in range(5):
        client.post("/password/reset/", {"email": "chris@acme.example"})
    refused = client.post("/password/reset/", {"email": "chris@acme.example"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert len(mail.outbox) == 5
