"""The desk in a real Chromium: log in, find a conversation, read it, unfold the quotes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_logs_in_and_reads_a_french_conversation(live_server, people, page: Page) -> None:
    body = (
        "Bonjour,\n\nL'export PDF échoue depuis C:\\Users\\julie\\Downloads.\n\nMerci !\n\n"
        "Le lun. 2 nov. 2026 à 10:00, Chris <chris@acme.example> a écrit :\n> Pouvez-vous réessayer ?\n"
    )
    deliver(
        mail("b1@c.example", subject="Export PDF cassé", body="L'export PDF ne marche plus."),
        mail("b2@c.example", subject="Re: Export PDF cassé", body=body, in_reply_to="b1@c.example"),
        mail("b3@c.example", subject="<img src=x onerror=alert(1)>", sender="zoe@else.example"),
    )
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Email").fill("chris@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("link", name="Export PDF cassé")).to_be_visible()
    # Mail content is text, never markup: the hostile subject shows as typed.
    expect(page.get_by_role("link", name="<img src=x onerror=alert(1)>")).to_be_visible()

    page.get_by_role("link", name="Export PDF cassé").click()
    expect(page.locator("article.message")).to_have_count(2)
    expect(page.get_by_text("C:\\Users\\julie\\Downloads")).to_be_visible()
    quoted = page.get_by_text("Pouvez-vous réessayer ?")
    expect(quoted).to_be_hidden()
    page.get_by_text("Show quoted text").click()
    expect(quoted).to_be_visible()


def test_the_desk_speaks_french(live_server, people, page: Page) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("sophie@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Language").select_option("fr")
    expect(page.get_by_role("columnheader", name="Dernier message")).to_be_visible()
    expect(page.get_by_role("link", name="Quarantaine")).to_be_visible()


def test_the_head_sorts_an_unsure_message_from_her_queue(live_server, people, page: Page) -> None:
    from handoff.triage.models import Label
    from handoff.triage.pipeline import triage

    [message] = deliver(mail("u1@c.example", subject="Devis pour 40 postes ?"))
    triage([message.pk])
    decided(message, lane="team", category="support", needs_triage=True)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("sophie@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Needs triage").click()
    page.get_by_role("link", name="Devis pour 40 postes ?").click()
    expect(page.get_by_text("needs triage", exact=True)).to_be_visible()
    page.get_by_label("What this message is").select_option("team/presales")
    page.get_by_role("button", name="Correct").click()

    expect(page.get_by_text("Thank you: the desk learns from this.")).to_be_visible()
    expect(page.locator("span.tag", has_text="team · presales")).to_be_visible()
    expect(page.get_by_label("What this message is")).to_have_value("team/presales")
    expect(page.get_by_text("needs triage", exact=True)).to_have_count(0)
    assert Label.objects.get().by == people["sophie"]
    page.get_by_role("link", name="Needs triage").click()
    expect(page.get_by_role("link", name="Devis pour 40 postes ?")).to_have_count(0)


def test_the_pages_load_clean_no_failed_request_no_script_error(
    live_server, people, page: Page
) -> None:
    """What a newcomer's browser console would show: every request answered, no script
    error, from the login page (its icon included) through the pages of the top bar."""
    [message] = deliver(mail("clean@c.example", subject="Clean page"))
    decided(message, lane="team", category="support")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Email").fill("sophie@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Clean page")).to_be_visible()
    links = page.locator("header.top nav a").evaluate_all("links => links.map(a => a.href)")
    assert len(links) >= 5, links  # cockpit, conversations, ledger, the queues...
    for url in [*links, f"{live_server.url}/c/{message.conversation_id}/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert problems == []
