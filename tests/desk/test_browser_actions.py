"""The conversation's actions in a real Chromium: take it, solve it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.helpers import deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_takes_a_conversation_then_solves_it(live_server, people, page: Page) -> None:
    from handoff.routing.actions import route
    from handoff.routing.models import Clock

    [message] = deliver(mail("ba1@c.example", subject="Facture en double"))
    route([message.conversation_id])
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("chris@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Facture en double").click()

    page.get_by_label("Assignee").select_option(label="Chris")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_label("Assignee")).to_have_value(str(people["chris"].pk))
    page.get_by_role("link", name="Mine").click()
    expect(page.get_by_role("link", name="Facture en double")).to_be_visible()

    page.get_by_role("link", name="Facture en double").click()
    page.get_by_role("button", name="Solved").click()
    expect(page.locator("p.meta")).to_contain_text("Solved")
    assert not Clock.objects.get(pk=message.conversation_id).is_open
    page.get_by_role("link", name="Mine").click()
    expect(page.get_by_role("link", name="Facture en double")).to_have_count(0)
