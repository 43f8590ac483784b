"""A message's HTML in a real Chromium: shown as sent, inert, its own images only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.desk.test_html import html_mail
from tests.helpers import deliver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_reads_the_html_of_a_hostile_message_safely(
    live_server, people, page: Page
) -> None:
    deliver(html_mail("hb1@client.example"))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("chris@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Devis").click()

    page.get_by_text("Show as sent (HTML)").click()
    frame = page.frame_locator("details.html iframe")
    expect(frame.locator("b", has_text="le devis")).to_be_visible()
    logo = frame.get_by_alt_text("logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.naturalWidth") == 1  # the message's own PNG, inline
    expect(frame.get_by_text("2 remote images not loaded")).to_be_visible()
    page.wait_for_timeout(300)  # time for an onerror or a script, were any left
    assert dialogs == []
    assert not [url for url in requests if "tracker.example" in url]
