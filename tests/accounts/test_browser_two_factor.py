"""Two-factor sign-in in a real Chromium: turn it on from Me (the QR code and the key to
type), log out, and log in again through both steps."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_key(typed_key: str, steps_ahead: int = 0) -> str:
    """What an app shows for the key as the page prints it (``steps_ahead`` steps later)."""
    key = typed_key.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key), t0=-30 * steps_ahead):06d}"


def test_a_founder_turns_it_on_and_then_logs_in_with_a_code(
    live_server, people, page: Page
) -> None:
    page.goto(f"{live_server.url}/login/?next=/me/")
    page.get_by_label("Email").fill("camille@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_url(re.compile(r"/me/two-factor/$"))
    expect(page.locator("figure.qr svg")).to_be_visible()
    key = page.locator("code.secret").inner_text()
    page.get_by_label("Code", exact=True).fill(code_from_key(key))
    page.get_by_role("button", name="Confirm").click()
    expect(
        page.get_by_text("Two-factor sign-in is on: each login will ask for a code.")
    ).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"{live_server.url}/login/?next=/ledger/")
    page.get_by_label("Email").fill("camille@acme.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/login/code/$"))
    code = page.get_by_label("The 6-digit code your authentication app shows")
    code.fill("000000" if code_from_key(key, 1) != "000000" else "111111")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong code. Type the one your app shows now.")
    # The code of the next time step: the one typed to confirm is good once only.
    page.get_by_label("The 6-digit code your authentication app shows").fill(code_from_key(key, 1))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/ledger/$"))
