"""Search in a real Chromium, in English and in French: from the box above the list, a
word of a message's body and its sender's name find the conversation, the word marked.
Screenshots of the results are kept in test-results/desk/ as artefacts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.helpers import deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "desk"


@pytest.mark.parametrize(
    ("language", "box", "found_label"),
    [
        ("en", "Search mail and notes", "1 conversation"),
        ("fr", "Chercher dans le courrier et les notes", "1 conversation"),
    ],
)
def test_search_by_a_word_of_the_body_and_by_the_senders_name(
    live_server, people, page: Page, language: str, box: str, found_label: str
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    deliver(
        mail("wombat@client.example", subject="Export problem",
             sender="Ingrid Solberg <ingrid@client.example>",
             body="Our export to the wombat warehouse fails every night since Monday."),
        mail("other@client.example", subject="Invoice", sender="Paul <paul@client.example>",
             body="Please send the October invoice again."),
    )  # fmt: skip
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/login/")
    page.locator('input[name="username"]').fill("chris@acme.example")
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    page.get_by_label(box).first.fill("wombat")
    page.get_by_label(box).first.press("Enter")
    results = page.locator("ol.results")
    expect(results.locator("li")).to_have_count(1)
    expect(results).to_contain_text("Export problem")
    expect(results.locator("mark")).to_have_text("wombat")
    expect(page.locator("p.meta").first).to_have_text(found_label)
    page.screenshot(path=ARTEFACTS / f"search-{language}.png", full_page=True)
    page.get_by_label(box).first.fill("Solberg")
    page.get_by_label(box).first.press("Enter")
    expect(results.locator("li")).to_have_count(1)
    expect(results).to_contain_text("Export problem")
    results.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Export problem")
