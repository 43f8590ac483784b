"""A message's HTML in a real Chromium: shown as sent, inert, its own images only; the
remote ones on demand, through the desk."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from tests.conftest import PASSWORD
from tests.desk.test_html import html_mail
from tests.desk.test_images import with_image
from tests.helpers import deliver
from tests.imageserver import image_server

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


def test_remote_images_load_on_demand_through_the_desk(
    live_server, people, page: Page, settings
) -> None:
    settings.IMAGE_PROXY_PRIVATE = True  # the sender's server is on 127.0.0.1 here
    with image_server() as sender:
        deliver(with_image("hb2@client.example", f"{sender.url}/logo.png"))
        requests: list[str] = []
        seen: list[Request] = []
        page.on("request", lambda request: (requests.append(request.url), seen.append(request)))
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Email").fill("chris@acme.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("link", name="Devis").click()
        page.get_by_text("Show as sent (HTML)").click()
        frame = page.frame_locator("details.html iframe")
        expect(frame.get_by_text("1 remote image not loaded")).to_be_visible()
        assert sender.requests == []  # nothing on open

        page.get_by_role("link", name="Load remote images").click()
        picture = frame.get_by_alt_text("catalogue")
        expect(picture).to_be_visible()
        page.wait_for_function(
            "() => document.querySelector('details.html iframe').contentDocument === null"
        )  # sandboxed: an opaque origin the page cannot reach into
        expect(picture).to_have_js_property("complete", True)
        assert picture.evaluate("image => image.naturalWidth") == 1  # the sender's PNG, shown
        assert [r["path"] for r in sender.requests] == ["/logo.png"]  # fetched by the desk
        assert not [url for url in requests if url.startswith(sender.url)]  # not the browser
        [proxied] = [r for r in seen if "/image/?" in r.url]
        # From the sandboxed frame: cross-site, no session cookie, no referrer. The
        # proxy's signature, not a login, is what lets the image through.
        headers = proxied.all_headers()
        assert headers["sec-fetch-site"] == "cross-site"
        assert "cookie" not in headers
        assert "referer" not in headers
