"""Replying in a real Chromium, in English and in French: a saved reply with placeholders,
a Cc and a file reach a real SMTP server threaded, once the worker's job runs after the
undo window; a reply taken back with Undo is never sent and its text is back in the box."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from handoff.desk.models import SavedReply
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.pipeline.process import deliver_waiting
from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BUTTONS = {"en": ("Use this saved reply", "Send reply", "Undo"),
           "fr": ("Utiliser cette réponse", "Envoyer la réponse", "Annuler l’envoi")}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_saved_reply_cc_file_undo(
    live_server, people, page: Page, settings, smtp_server, tmp_path, language
) -> None:
    settings.REPLY_UNDO_SECONDS = 10
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    (question,) = deliver(
        mail("q9@client.example", sender="Ana Lima <ana@client.example>", subject="Refund?")
    )
    decided(question, lane="team", category="billing", language=language)
    SavedReply.objects.create(
        title="Refund",
        language=language,
        body="Dear {customer.first_name}, refunded. {agent.first_name}",
    )
    use, send, undo = BUTTONS[language]
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="username"]').fill("chris@acme.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    page.goto(f"{live_server.url}/c/{question.conversation_id}/")

    # Written, sent, taken back: nothing goes, the text is back.
    page.locator("#reply-text").fill("Not this one.")
    page.get_by_role("button", name=send, exact=True).click()
    page.get_by_role("button", name=undo, exact=True).click()
    expect(page.locator("#reply-text")).to_have_value("Not this one.")
    first = Outgoing.objects.get()
    assert deliver_waiting(first.pk) == "undone"

    # A saved reply, a Cc, a file: it goes once the window is over.
    page.locator("#reply-text").fill("")
    page.get_by_role("button", name=use).click()
    expect(page.locator("#reply-text")).to_have_value("Dear Ana, refunded. Chris")
    page.locator('input[name="cc"]').fill("accounts@client.example")
    credit = tmp_path / "credit-note.pdf"
    credit.write_bytes(b"%PDF-1.4 credit note")
    page.locator('input[name="attachments"]').set_input_files(str(credit))
    page.get_by_role("button", name=send, exact=True).click()
    expect(page.locator("form.waiting")).to_be_visible()
    second = Outgoing.objects.exclude(pk=first.pk).get()
    assert deliver_waiting(second.pk) == "sent"  # the worker's job, once the window is over
    (sent,) = smtp_server.received
    assert sent["In-Reply-To"] == "<q9@client.example>"
    assert sent["Cc"] == "accounts@client.example"
    assert sent.get_body(("plain",)).get_content().startswith("Dear Ana, refunded. Chris")
    assert [p.get_filename() for p in sent.iter_attachments()] == ["credit-note.pdf"]
