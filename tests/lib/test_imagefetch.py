"""The image proxy's fetcher against a real web server on 127.0.0.1: pictures only, small,
quick, no cookie or referrer sent, and never into a private network."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from handoff.lib import imagefetch
from handoff.lib.imagefetch import FetchError, fetch_image, image_type, is_public
from tests.imageserver import GIF, PNG, Server, image_server

LIMIT = 5 * 1024 * 1024


@pytest.fixture
def sender() -> Iterator[Server]:
    with image_server() as server:
        yield server


def fetch(url: str, **options):
    return fetch_image(
        url,
        max_bytes=options.get("max_bytes", LIMIT),
        timeout=options.get("timeout", 5),
        allow_private=options.get("allow_private", True),
    )


def test_a_picture_comes_back_typed_by_its_bytes(sender) -> None:
    image = fetch(f"{sender.url}/logo.png")
    assert (image.content_type, image.data) == ("image/png", PNG)
    gif = fetch(f"{sender.url}/pixel.gif")
    assert (gif.content_type, gif.data) == ("image/gif", GIF)


def test_the_sender_learns_nothing_about_the_reader(sender) -> None:
    fetch(f"{sender.url}/logo.png?id=reader-42")
    [seen] = sender.requests
    names = {name.lower() for name in seen}
    assert "cookie" not in names
    assert "referer" not in names
    assert seen["User-Agent"] == imagefetch.USER_AGENT
    assert "Handoff" not in seen["User-Agent"]
    assert seen["path"] == "/logo.png?id=reader-42"  # the address as written, nothing added


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/logo.svg", "not a picture: image/svg+xml"),
        ("/page.html", "not a picture: text/html"),
        ("/lying.png", "not a picture the desk shows"),
        ("/missing.png", "the server answered 404"),
        ("/huge.png", f"larger than {LIMIT} bytes"),
        ("/endless.png", f"larger than {LIMIT} bytes"),
    ],
)
def test_what_is_not_a_small_raster_picture_is_refused(sender, path, reason) -> None:
    with pytest.raises(FetchError, match=re.escape(reason)):
        fetch(f"{sender.url}{path}")


def test_redirects_are_followed_three_times_at_most(sender) -> None:
    assert fetch(f"{sender.url}/hops/3").data == PNG
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(f"{sender.url}/hops/4")


def test_a_slow_server_is_given_up_on(sender) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="too slow"):
        fetch(f"{sender.url}/slow.png", timeout=0.5)
    with pytest.raises(FetchError, match="too slow"):
        fetch(f"{sender.url}/dribble.png", timeout=1)  # each byte quick, the whole too long
    assert time.monotonic() - started < 3


def test_private_addresses_are_refused(sender) -> None:
    with pytest.raises(FetchError, match="private address"):
        fetch(f"{sender.url}/logo.png", allow_private=False)
    with pytest.raises(FetchError, match="private address"):
        fetch("http://localhost/logo.png", allow_private=False)
    assert sender.requests == []  # refused before any connection


@pytest.mark.parametrize("target", ["/to-metadata", "/to-loopback"])
def test_a_redirect_into_a_private_network_is_refused(sender, monkeypatch, target) -> None:
    # The test's server stands for a public one: 127.0.0.1 counts as public here, nothing else.
    real = imagefetch.is_public
    monkeypatch.setattr(imagefetch, "is_public", lambda a: a == "127.0.0.1" or real(a))
    assert fetch(f"{sender.url}/logo.png", allow_private=False).data == PNG
    with pytest.raises(FetchError, match="private address"):
        fetch(f"{sender.url}{target}", allow_private=False)
    assert [r["path"] for r in sender.requests] == ["/logo.png", target]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/logo.png",
        "data:image/png;base64,AAAA",
        "//example.com/logo.png",
        "https://user:secret@example.com/logo.png",
        "http://example.com:99999/logo.png",
        "https://" + "a" * 5000 + ".example/x.png",
    ],
)
def test_only_plain_http_and_https_addresses(url) -> None:
    with pytest.raises(FetchError):
        fetch(url, allow_private=False)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
    ],
)
def test_public_addresses(address, public) -> None:
    assert is_public(address) is public


def test_image_kinds_by_their_first_bytes() -> None:
    assert image_type(PNG) == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b"BM\x00\x00") == "image/bmp"
    assert image_type(b"\x00\x00\x01\x00\x01\x00") == "image/x-icon"
    assert image_type(b"<svg") == ""
    assert image_type(b"") == ""


def test_an_address_with_spaces_is_sent_as_a_browser_would(sender) -> None:
    assert fetch(f"{sender.url}/logo.png?name=le logo&é=1").data == PNG
    assert sender.requests[0]["path"] == "/logo.png?name=le%20logo&%C3%A9=1"
