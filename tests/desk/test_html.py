"""A message's HTML in the desk: sanitised, in a sandboxed frame, only for those who may read it."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse

from handoff.tickets.models import Message
from handoff.triage.pipeline import triage
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000000000200015e2b2a4c0000000049454e44ae426082"
)
HOSTILE = (
    '<p>Bonjour, <b>le devis</b> est joint.</p><img src="cid:logo@client.example" alt="logo">'
    '<img src="https://tracker.example/open.gif"><script>alert(1)</script>'
    '<a href="javascript:alert(2)">ici</a><img src="x" onerror="alert(3)">'
)


def html_mail(message_id: str, html: str = HOSTILE) -> bytes:
    message = EmailMessage()
    message["Message-ID"] = f"<{message_id}>"
    message["From"] = "ana@client.example"
    message["To"] = "support@acme.example"
    message["Subject"] = "Devis"
    message.set_content("Bonjour, le devis est joint.")
    message.add_alternative(html, subtype="html")
    html_part = message.get_payload()[1]
    html_part.add_related(PNG, "image", "png", cid="<logo@client.example>")
    return message.as_bytes()


def html_url(message: Message) -> str:
    return reverse("desk:message_html", args=[message.conversation_id, message.pk])


def test_the_html_comes_sanitised_with_its_own_images_and_walls(people) -> None:
    [message] = deliver(html_mail("h1@client.example"))
    response = logged_in(people["chris"]).get(html_url(message))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<b>le devis</b>" in body
    assert 'src="data:image/png;base64,' in body  # the message's own logo, inline
    for hostile in ("tracker.example", "<script", "javascript:", "onerror", "alert("):
        assert hostile not in body
    assert "2 remote images not loaded" in body  # the tracker and the relative "x"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "img-src data:;" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_conversation_offers_the_html_in_a_sandboxed_frame(people) -> None:
    [message] = deliver(html_mail("h2@client.example"))
    [plain] = deliver(mail("p2@client.example"))
    client = logged_in(people["chris"])
    page = client.get(reverse("desk:conversation", args=[message.conversation_id])).content
    assert b'<iframe sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert html_url(message).encode() in page
    page = client.get(reverse("desk:conversation", args=[plain.conversation_id])).content
    assert b"<iframe" not in page
    assert client.get(html_url(plain)).status_code == 404  # no HTML part: nothing to show


def test_only_those_who_may_read_the_conversation_see_its_html(people) -> None:
    [message] = deliver(html_mail("h3@client.example"))
    triage([message.pk])
    decided(message, lane="founder", category="founder")
    assert logged_in(people["chris"]).get(html_url(message)).status_code == 404  # an agent
    assert logged_in(people["camille"]).get(html_url(message)).status_code == 200
    anonymous = Client().get(html_url(message))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")


def test_a_message_is_only_reached_through_its_own_conversation(people) -> None:
    [first, second] = deliver(html_mail("h4@client.example"), html_mail("h5@other.example"))
    assert first.conversation_id != second.conversation_id
    wrong = reverse("desk:message_html", args=[first.conversation_id, second.pk])
    assert logged_in(people["sophie"]).get(wrong).status_code == 404


def test_the_note_on_remote_images_speaks_french(people) -> None:
    [message] = deliver(html_mail("h6@client.example"))
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    body = client.get(html_url(message)).content.decode()
    assert "2 images distantes non chargées" in body
