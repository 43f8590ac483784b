"""Remote images: never on open, on demand for one message, through the desk's own proxy,
whose links are signed for one reader, one message and one address, for an hour."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from handoff.desk.images import proxied
from handoff.tickets.models import Message
from handoff.triage.pipeline import triage
from tests.desk.test_html import html_mail
from tests.helpers import decided, deliver, logged_in, mail
from tests.imageserver import PNG, Server, image_server

pytestmark = pytest.mark.django_db

LINK = b"Load remote images"


@pytest.fixture
def sender(settings) -> Iterator[Server]:
    settings.IMAGE_PROXY_PRIVATE = True  # the sender's server is on 127.0.0.1 here
    with image_server() as server:
        yield server


def page_url(message: Message, **query: object) -> str:
    url = reverse("desk:conversation", args=[message.conversation_id])
    return f"{url}?{urlencode(query)}" if query else url


def frame_url(message: Message, query: str = "") -> str:
    return reverse("desk:message_html", args=[message.conversation_id, message.pk]) + query


def image_links(document: str) -> list[str]:
    return [html.unescape(src) for src in re.findall(r'<img src="([^"]+)"', document)]


def with_image(message_id: str, src: str) -> bytes:
    return html_mail(message_id, f'<p>Notre catalogue</p><img src="{src}" alt="catalogue">')


def test_the_link_is_offered_only_above_html_with_remote_images(people) -> None:
    [remote] = deliver(html_mail("i1@client.example"))  # a tracker among its images
    [own] = deliver(with_image("i2@client.example", "cid:logo@client.example"))
    [plain] = deliver(mail("i3@client.example", body='<img src="https://t.example/x.png">'))
    client = logged_in(people["chris"])
    page = client.get(page_url(remote)).content
    assert LINK in page
    assert f'href="?images={remote.pk}#m{remote.pk}"'.encode() in page
    assert LINK not in client.get(page_url(own)).content
    assert LINK not in client.get(page_url(plain)).content  # text only: nothing to load


def test_remote_images_are_never_loaded_on_open(people) -> None:
    [message] = deliver(html_mail("i4@client.example"))
    client = logged_in(people["chris"])
    page = client.get(page_url(message)).content.decode()
    assert f'src="{frame_url(message)}"' in page  # no ?images=1
    assert '<details class="html">' in page  # closed
    frame = client.get(frame_url(message))
    [logo] = image_links(frame.content.decode())  # the tracker left out
    assert logo.startswith("data:image/png")
    assert "/image/" not in frame.content.decode()
    assert "img-src data:;" in frame["Content-Security-Policy"]
    assert "'self'" not in frame["Content-Security-Policy"]


def test_asked_for_one_message_its_images_come_through_the_proxy(people) -> None:
    first, second = deliver(
        html_mail("i5@client.example"),
        html_mail("i6@client.example")
        .replace(b"Subject: Devis", b"Subject: Re: Devis")
        .replace(b"Message-ID: <i6", b"In-Reply-To: <i5@client.example>\nMessage-ID: <i6"),
    )
    assert first.conversation_id == second.conversation_id
    client = logged_in(people["chris"])
    page = client.get(page_url(first, images=first.pk)).content.decode()
    assert f'src="{frame_url(first, "?images=1")}"' in page
    assert f'src="{frame_url(second)}"' in page  # the other message: still off
    assert "Remote images shown, fetched by the desk" in page
    frame = client.get(frame_url(first, "?images=1"))
    assert "img-src data: 'self';" in frame["Content-Security-Policy"]
    assert "sandbox" in frame["Content-Security-Policy"]
    links = image_links(frame.content.decode())
    assert links[0].startswith("data:image/png")  # its own logo, as before
    proxy = urlsplit(links[1])
    assert proxy.path == reverse("desk:image")
    query = parse_qs(proxy.query)
    assert query["u"] == ["https://tracker.example/open.gif"]
    assert query["m"] == [str(first.pk)]
    assert 'src="https://tracker.example' not in frame.content.decode()
    assert "remote images not loaded" not in frame.content.decode()


def test_the_proxy_fetches_the_image_without_telling_the_sender_who_reads(people, sender) -> None:
    [message] = deliver(with_image("i7@client.example", f"{sender.url}/logo.png"))
    client = logged_in(people["chris"])
    client.cookies["tracked"] = "reader"
    [link] = image_links(client.get(frame_url(message, "?images=1")).content.decode())
    response = client.get(link, HTTP_REFERER="http://testserver/c/1/")
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Set-Cookie" not in response.headers  # the sender's cookie stays with the desk
    # The sandboxed frame sends no session cookie: the signature is enough.
    assert Client().get(link).content == PNG
    [seen, _again] = sender.requests
    assert not {"cookie", "referer"} & {name.lower() for name in seen}


def test_a_failed_fetch_is_a_short_502(people, sender, settings) -> None:
    [message] = deliver(with_image("i8@client.example", f"{sender.url}/logo.svg"))
    client = logged_in(people["chris"])
    [link] = image_links(client.get(frame_url(message, "?images=1")).content.decode())
    response = client.get(link)
    assert response.status_code == 502
    assert response.content == b"Image not loaded: not a picture: image/svg+xml"
    settings.IMAGE_PROXY_PRIVATE = False  # the default: the desk's own network is out of reach
    [message] = deliver(with_image("i9@client.example", f"{sender.url}/logo.png"))
    [link] = image_links(client.get(frame_url(message, "?images=1")).content.decode())
    response = client.get(link)
    assert response.status_code == 502
    assert b"private address" in response.content
    assert [r["path"] for r in sender.requests] == ["/logo.svg"]  # never the private one


def proxy_link(reader, message: Message, url: str, **changes: str) -> str:
    link = urlsplit(proxied(reader, message.pk, url))
    query = {k: v[0] for k, v in parse_qs(link.query).items()} | changes
    return f"{link.path}?{urlencode(query)}"


def test_a_link_works_only_as_it_was_signed(people, sender) -> None:
    [message] = deliver(with_image("i10@client.example", f"{sender.url}/logo.png"))
    [other] = deliver(with_image("i11@other.example", f"{sender.url}/logo.png"))
    chris = people["chris"]
    url = f"{sender.url}/logo.png"
    anonymous = Client()
    assert anonymous.get(proxy_link(chris, message, url)).status_code == 200
    refused = [
        proxy_link(chris, message, url, u=f"{sender.url}/logo.png?other"),  # another address
        proxy_link(chris, message, url, m=str(other.pk)),  # another message
        proxy_link(chris, message, url, s="1:forged:signature"),
        proxy_link(chris, message, url, m="x"),
        reverse("desk:image"),
    ]
    for link in refused:
        response = anonymous.get(link)
        assert response.status_code == 403, link
        assert response.content == b"This image link is not valid, or has expired."
    # Someone else's link, opened with one's own session.
    assert logged_in(people["sophie"]).get(proxy_link(chris, message, url)).status_code == 403
    with time_machine.travel(timezone.now() - timedelta(minutes=61), tick=False):
        stale = proxy_link(chris, message, url)
    assert anonymous.get(stale).status_code == 403  # an hour is the most
    assert len(sender.requests) == 1  # only the valid link reached the sender


def test_nobody_who_cannot_read_the_message_gets_its_images(people, sender) -> None:
    [message] = deliver(with_image("i12@client.example", f"{sender.url}/logo.png"))
    triage([message.pk])
    decided(message, lane="founder", category="founder")
    chris, camille = people["chris"], people["camille"]
    url = f"{sender.url}/logo.png"
    assert logged_in(chris).get(page_url(message, images=message.pk)).status_code == 404
    assert logged_in(chris).get(frame_url(message, "?images=1")).status_code == 404
    assert LINK in logged_in(camille).get(page_url(message)).content
    assert Client().get(proxy_link(camille, message, url)).status_code == 200
    # A link made for the agent (before the conversation went to the founder, say).
    assert Client().get(proxy_link(chris, message, url)).status_code == 403
    chris.is_active = False
    chris.save()
    decided(message, lane="team", category="support")
    assert Client().get(proxy_link(chris, message, url)).status_code == 403  # disabled since
    assert len(sender.requests) == 1


def test_the_link_speaks_french(people) -> None:
    [message] = deliver(html_mail("i13@client.example"))
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    page = client.get(page_url(message)).content.decode()
    assert "Charger les images distantes" in page
    page = client.get(page_url(message, images=message.pk)).content.decode()
    assert "Images distantes affichées" in page
