"""The desk's keyboard and bulk actions in a real Chromium, in English and in French: `?`
lists the shortcuts, `j`/`k` move through a list, `r` opens the reply, nothing fires while
typing; twenty conversations solved at once; "not noise" moves a message into the team's
queues. Screenshots of the inbox, a conversation and its customer panel are kept in
test-results/desk/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from handoff.routing.actions import route
from handoff.tickets.models import Conversation
from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "desk"
TITLES = {"en": ("Keyboard shortcuts", "20 conversations solved."),
          "fr": ("Raccourcis clavier", "20 conversations résolues.")}  # fmt: skip


@pytest.mark.parametrize("language", ["en", "fr"])
def test_keys_bulk_solve_and_not_noise(live_server, people, page: Page, language: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    messages = deliver(
        *(mail(f"k{i}@c.example", subject=f"Question {i:02d}", sender=f"c{i}@c.example", date=now)
          for i in range(20))
    )  # fmt: skip
    decided(None, lane="team", category="support")
    (spam,) = deliver(
        mail("w@bulk.example", subject="Cheap watches", sender="p@bulk.example", date=now)
    )
    decided(spam, lane="noise", category="spam")
    route([m.conversation_id for m in [*messages, spam]])
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="username"]').fill("sophie@acme.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    page.goto(f"{live_server.url}/?queue=unassigned")
    expect(page.locator("tr[data-item]")).to_have_count(20)

    title, solved = TITLES[language]
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_be_visible()
    expect(page.locator("#shortcuts h2")).to_have_text(title)
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts")).to_be_hidden()
    rows = page.locator("tr[data-item]")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class("current")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class("current")
    page.screenshot(path=ARTEFACTS / f"inbox-{language}.png", full_page=True)
    page.keyboard.press("Enter")  # the row's link has the focus
    expect(page.locator("#reply-text")).to_be_visible()
    page.keyboard.press("r")
    expect(page.locator("#reply-text")).to_be_focused()
    page.keyboard.type("just typing: j k s ?")  # no shortcut fires in a field
    expect(page.locator("#reply-text")).to_have_value("just typing: j k s ?")
    expect(page.locator("#shortcuts")).to_be_hidden()
    page.screenshot(path=ARTEFACTS / f"conversation-{language}.png", full_page=True)
    page.locator("aside.customer").screenshot(path=ARTEFACTS / f"customer-{language}.png")

    page.goto(f"{live_server.url}/?queue=unassigned")
    page.locator("input.select-all").check()
    page.locator('#bulk button[value="solve"]').click()
    expect(page.locator(".notices")).to_contain_text(solved)
    assert Conversation.objects.filter(status="solved").count() == 20

    page.goto(f"{live_server.url}/?queue=noise")
    expect(page.locator("tr[data-item]")).to_have_count(1)
    page.locator(f'form[action="/c/{spam.conversation_id}/not-noise/"] button').click()
    expect(page.locator("tr[data-item]")).to_have_count(0)
    page.goto(f"{live_server.url}/?queue=unassigned")
    expect(page.locator("tr[data-item]")).to_have_count(1)
    expect(page.locator("tr[data-item]")).to_contain_text("Cheap watches")
