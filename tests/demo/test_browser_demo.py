"""What `./run serve` shows, in a real Chromium: the demo desk works for an agent and the founder,
and a reply written on a conversation page is delivered into the mail folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from handoff.mailout.models import Outgoing
from handoff.ops.management.commands.demo import DEMO_PASSWORD
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation
from handoff.triage.lanes import founder_lane
from tests.demo.test_demo_pipeline import FOUNDER_SUBJECTS, ONLY_INES_WORKS, run_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGENT = "ines@acme-reports.example"
FOUNDER = "camille@acme-reports.example"
QUEUES = ("Mine", "Unassigned", "Due soon")


@pytest.fixture
def mail_folder(settings, tmp_path: Path) -> Path:
    """The embedded default (HANDOFF_MAIL_OUT=file), pointed at a folder of this test."""
    folder = tmp_path / "sent-mail"
    settings.MAIL_DIR = folder
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


def log_in(page: Page, url: str, email: str) -> None:
    """Logged in, then the desk in English whatever the person's own language (which the
    desk takes up at login: the French pages have tests of their own)."""
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("form.logout button")).to_be_visible()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": url}])
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def rows(page: Page):
    return page.locator("table.list tbody tr")


def test_the_demo_desk_for_an_agent_and_the_founder(live_server, page: Page, mail_folder) -> None:
    # Inès alone on shift: she takes what she has room for, the rest waits in the queue.
    run_demo(ONLY_INES_WORKS)
    founder_only = Conversation.objects.filter(founder_lane())
    secret = founder_only.get(subject=FOUNDER_SUBJECTS[0])
    log_in(page, live_server.url, AGENT)

    # The agent's queues: conversations with their answer-by times (where a response clock
    # runs: not after a customer's thanks), none of the founder's.
    for queue in QUEUES:
        page.get_by_role("navigation").get_by_role("link", name=queue, exact=True).click()
        expect(page.get_by_role("heading", name=queue)).to_be_visible()
        expect(rows(page).first.locator("a")).to_be_visible()
        answer_by = rows(page).locator("td:nth-child(7) time")  # after the selection box
        shown = [int(n) for n in rows(page).locator("td:nth-child(2)").all_inner_texts()]
        running = Clock.objects.filter(pk__in=shown).exclude(respond_by=None).count()
        assert running > 0 or queue == "Unassigned", queue
        expect(answer_by).to_have_count(running)
        if running:
            expect(answer_by.first).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d$"))
        for subject in FOUNDER_SUBJECTS:
            expect(page.get_by_role("link", name=subject)).to_have_count(0)
    expect(page.get_by_role("link", name="Founder lane")).to_have_count(0)

    # The founder's conversation is not there for the agent, even by its address.
    response = page.goto(f"{live_server.url}/c/{secret.pk}/")
    assert response is not None
    assert response.status == 404

    # A reply from the conversation page leaves through the outbox into the mail folder.
    page.goto(f"{live_server.url}/?queue=mine")
    mine = Clock.objects.filter(assignee__email=AGENT, is_open=True).exclude(respond_by=None)
    conversation = mine.order_by("respond_by").first().conversation
    page.get_by_role("link", name=conversation.subject, exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/c/{conversation.pk}/$"))
    page.get_by_label("Reply to the customer").fill("Hello from the demo desk, all sorted!")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply queued for sending.")).to_be_visible()
    outgoing = Outgoing.objects.get(conversation=conversation)
    call_command("work", batch=True)
    outgoing.refresh_from_db()
    assert outgoing.state == Outgoing.State.SENT, outgoing.last_error
    sent = [p.read_text() for p in mail_folder.iterdir()]
    assert any("Hello from the demo desk, all sorted!" in text for text in sent)
    assert any(outgoing.recipient in text for text in sent)

    # The founder finds it in her lane.
    log_out(page)
    log_in(page, live_server.url, FOUNDER)
    page.get_by_role("link", name="Founder lane").click()
    expect(page.get_by_role("heading", name="Founder lane")).to_be_visible()
    for subject in FOUNDER_SUBJECTS:
        expect(page.get_by_role("link", name=subject)).to_be_visible()
    page.get_by_role("link", name=FOUNDER_SUBJECTS[0]).click()
    expect(page).to_have_url(re.compile(rf"/c/{secret.pk}/$"))
