"""Two people on one conversation, each in their own Chromium context: each sees the other
there, and sees when the other writes a reply; in English and in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WORDS = {"en": ("Also here:", "writing a reply"), "fr": ("Aussi ici :", "écrit une réponse")}


def opened(browser: Browser, url: str, email: str, language: str, path: str) -> Page:
    context = browser.new_context()
    context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    page = context.new_page()
    page.goto(f"{url}/login/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator('button[type="submit"]').click()
    page.goto(f"{url}{path}")
    return page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_two_people_on_one_conversation_see_each_other(
    live_server, people, browser: Browser, language: str
) -> None:
    (message,) = deliver(mail("two@client.example", subject="Both of you?"))
    decided(message, lane="team", category="support")
    path = f"/c/{message.conversation_id}/"
    chris = opened(browser, live_server.url, "chris@acme.example", language, path)
    sophie = opened(browser, live_server.url, "sophie@acme.example", language, path)
    here, typing = WORDS[language]
    expect(sophie.locator("#presence")).to_have_text(f"{here} Chris", timeout=15_000)
    expect(chris.locator("#presence")).to_have_text(f"{here} Sophie", timeout=15_000)
    chris.locator("#reply-text").fill("Bonjour, je regarde.")
    chris.locator("#reply-text").type(" ")  # an input event, as a person types
    expect(sophie.locator("#presence")).to_have_text(f"{here} Chris ({typing})", timeout=15_000)
    chris.context.close()
    expect(sophie.locator("#presence")).to_be_hidden(timeout=40_000)  # gone once quiet
