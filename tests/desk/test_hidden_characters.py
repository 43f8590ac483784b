"""A right-to-left override in a file name, a sender or a subject is shown written out
(``⟨U+202E⟩``), never applied: ``invoice\u202efdp.exe`` must not read as ``invoice…exe.pdf``."""

from __future__ import annotations

from email.message import EmailMessage
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.helpers import deliver, logged_in

pytestmark = pytest.mark.django_db

RLO, LRI, ZWSP = "\u202e", "\u2066", "\u200b"


def hostile_mail() -> bytes:
    email = EmailMessage()
    email["From"] = f"Ana {RLO}zeréh{LRI} <ana{ZWSP}@client.example>"
    email["To"] = "support@acme.example"
    email["Subject"] = f"Your invoice {RLO}fdp.exe"
    email["Message-ID"] = "<rlo@client.example>"
    email.set_content("Please find the invoice attached.")
    email.add_attachment(
        b"MZ\x90\x00",
        maintype="application",
        subtype="octet-stream",
        filename=f"invoice{RLO}fdp.exe",
    )
    return email.as_bytes()


def test_the_conversation_and_the_inbox_show_bidi_controls_written_out(people) -> None:
    [message] = deliver(hostile_mail())
    assert RLO in message.attachments.get().filename  # kept as sent; only the display escapes
    client = logged_in(people["chris"])

    page = client.get(reverse("desk:conversation", args=[message.conversation_id]))
    text = page.content.decode()
    assert "invoice⟨U+202E⟩fdp.exe" in text
    assert "Your invoice ⟨U+202E⟩fdp.exe" in text
    assert "Ana ⟨U+202E⟩zeréh⟨U+2066⟩" in text
    assert "ana⟨U+200B⟩@client.example" in text
    for hidden in (RLO, LRI, ZWSP):
        assert hidden not in text

    inbox = client.get(reverse("desk:inbox")).content.decode()
    assert "Your invoice ⟨U+202E⟩fdp.exe" in inbox
    assert RLO not in inbox


def test_the_download_is_named_as_shown(people) -> None:
    [message] = deliver(hostile_mail())
    attachment = message.attachments.get()
    response = logged_in(people["chris"]).get(reverse("desk:attachment", args=[attachment.pk]))
    disposition = response["Content-Disposition"]
    assert RLO not in disposition
    assert disposition.isascii()
    assert 'filename="invoice_U+202E_fdp.exe"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "invoice⟨U+202E⟩fdp.exe"
