"""The ledger in a real Chromium: the founder makes a task of a conversation and delegates
it, the owner checks in, the cockpit's ledger figures move; the same pages in French; an
agent opening a task they do not own gets 404. Screenshots in English and French are kept
in test-results/ledger/ as artefacts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from handoff.ledger import actions
from handoff.ledger.actions import Draft
from handoff.ledger.models import Band, CheckIn, Task
from tests.conftest import PASSWORD
from tests.helpers import deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "ledger"


def log_in(page: Page, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def counted(page: Page, figure: str) -> str:
    return page.locator(f"#ledger-{figure}").inner_text().strip()


def test_a_task_from_a_conversation_delegated_checked_in_and_seen_in_the_cockpit(
    live_server, page: Page, people
) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for hourly in (10, 100, 1000, 10_000):
        Band.objects.create(hourly=hourly, currency="EUR")
    (message,) = deliver(mail("reseller@client.example", subject="Reselling you in Japan"))
    secret = actions.create(
        Draft("Board deck", owner="camille@acme.example"), actor=people["camille"]
    )
    today = timezone.localdate().isoformat()

    # The founder: before, nothing delegated.
    log_in(page, live_server.url, "camille@acme.example")
    page.goto(f"{live_server.url}/cockpit/")
    assert (counted(page, "delegated"), counted(page, "checkins-kept")) == ("0", "0")

    # From the conversation, a task framed and delegated to Chris, checking in today.
    page.goto(f"{live_server.url}/c/{message.conversation_id}/")
    page.get_by_role("link", name="Make it a task").click()
    expect(page.get_by_label("Title")).to_have_value("Reselling you in Japan")
    page.get_by_label("Title").fill("Decide on a reseller in Japan")
    page.get_by_label("Outcome expected").fill("Yes or no, and the margin we accept")
    page.get_by_label("Value of an hour").select_option(label="€1\u202f000/h")
    page.get_by_label("Owner").select_option("chris@acme.example")
    page.locator('input[name="checkin"]').first.fill(today)
    page.get_by_role("button", name="Create the task").click()
    expect(page.locator("h1")).to_contain_text("Decide on a reseller in Japan")
    task = Task.objects.get(title="Decide on a reseller in Japan")
    assert task.owner == people["chris"]
    assert task.conversation_id == message.conversation_id
    page.screenshot(path=ARTEFACTS / "task-en.png", full_page=True)
    page.goto(f"{live_server.url}/c/{message.conversation_id}/")
    expect(page.locator("ul.tasks")).to_contain_text(f"T-{task.pk}")

    # Chris sees his task, not the founder's, and checks in.
    log_in(page, live_server.url, "chris@acme.example")
    page.get_by_role("link", name="Ledger").click()
    expect(page.locator("table.ledger")).to_contain_text("Decide on a reseller in Japan")
    expect(page.locator("table.ledger")).not_to_contain_text("Board deck")
    expect(page.locator(".checkins-due")).to_contain_text(today)
    page.get_by_role("link", name="Decide on a reseller in Japan", exact=True).click()
    page.get_by_label("Where it stands", exact=True).select_option("on_track")
    page.get_by_label("One line on where it is").fill("Two distributors answered")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("section.checkins")).to_contain_text("Two distributors answered")
    checkin = CheckIn.objects.get(task=task)
    assert (checkin.status, checkin.answered_by) == ("on_track", people["chris"])
    response = page.request.get(f"{live_server.url}/ledger/{secret.pk}/")
    assert response.status == 404
    assert page.request.get(f"{live_server.url}/cockpit/").status == 404

    # The founder's cockpit has moved, and its figure lists the task.
    log_in(page, live_server.url, "camille@acme.example")
    page.goto(f"{live_server.url}/cockpit/")
    assert (counted(page, "delegated"), counted(page, "checkins-kept")) == ("1", "1")
    page.locator("#ledger").screenshot(path=ARTEFACTS / "cockpit-ledger-en.png")
    page.locator("#ledger-delegated").click()
    expect(page.locator("table.ledger")).to_contain_text("Decide on a reseller in Japan")
    expect(page.locator("table.ledger")).not_to_contain_text("Board deck")

    # In French.
    page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_contain_text("Registre")
    page.goto(f"{live_server.url}/ledger/{task.pk}/")
    expect(page.locator("section.checkins h2")).to_have_text("Points d’étape")
    expect(page.locator("section.checkins")).to_contain_text("En bonne voie")
    page.screenshot(path=ARTEFACTS / "task-fr.png", full_page=True)
    page.goto(f"{live_server.url}/cockpit/")
    expect(page.locator("#ledger h2")).to_contain_text("Registre")
    page.locator("#ledger").screenshot(path=ARTEFACTS / "cockpit-ledger-fr.png")
    assert re.search(r"Délégu", page.locator("#ledger").inner_text())
