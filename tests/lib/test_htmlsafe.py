"""Mail HTML made safe to show: formatting kept, nothing that runs or reaches out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handoff.lib import mime, rawmail
from handoff.lib.htmlsafe import sanitise

PIXEL = "data:image/png;base64,iVBORw0KGgo="


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">Hi <b>there</b><script>alert(1)</script></p>', "<p>Hi <b>there</b></p>"),
        ("<style>body{display:none}</style>ok", "ok"),
        ('<iframe src="https://x.example"></iframe><form><input name=a></form>ok', "ok"),
        ("<svg><script>alert(1)</script></svg>ok", "ok"),
        ("<html><head><title>T</title></head><body>b</body></html>", "b"),
        (
            '<div style="color:red; background:url(https://t.example/x); position:fixed">c</div>',
            '<div style="color:red">c</div>',
        ),
        ("<font color=red>f</font>", '<font color="red">f</font>'),
        (
            "<table width=100 bgcolor=#fff><tr><td colspan=2>t</td></tr></table>",
            '<table width="100" bgcolor="#fff"><tbody><tr><td colspan="2">t</td></tr></tbody></table>',
        ),
    ],
)
def test_formatting_stays_and_what_runs_goes(dirty: str, clean: str) -> None:
    assert sanitise(dirty).html == clean


def test_links_open_outside_and_never_run() -> None:
    html = sanitise(
        '<a href="javascript:alert(1)">j</a> <a href="https://ok.example/">ok</a>'
        ' <a href="data:text/html,<script>alert(1)</script>">d</a>'
    ).html
    assert "javascript" not in html
    assert "data:" not in html
    assert (
        '<a href="https://ok.example/" target="_blank" rel="noopener noreferrer nofollow">' in html
    )


def test_the_messages_own_images_show_and_remote_ones_are_counted_not_fetched() -> None:
    safe = sanitise(
        '<img src="cid:Logo@Acme" alt="logo"><img src="https://track.example/p.gif">'
        '<img src="x" onerror="alert(1)"><img src="cid:unknown@acme">'
        f'<img src="{PIXEL}"><img src="data:image/svg+xml;base64,PHN2Zz4=">',
        {"<logo@acme>": PIXEL},
    )
    assert safe.html.count(f'src="{PIXEL}"') == 2
    assert 'alt="logo"' in safe.html
    assert "track.example" not in safe.html
    assert "onerror" not in safe.html
    assert "svg" not in safe.html
    assert safe.blocked_images == 3  # the tracker, the relative "x", the SVG data: URL


_RUNS = re.compile(r"<(?:script|iframe|object|embed|form|style)\b|\son\w+\s*=|javascript:", re.I)


def test_every_html_part_of_the_real_corpora_comes_out_inert(corpora: Path) -> None:
    checked = 0
    folders = ["spamassassin/spam", "spamassassin/spam_2", "spamassassin/hard_ham", "mikel_mail"]
    for path in sorted(p for folder in folders for p in (corpora / folder).rglob("*")):
        if not path.is_file() or path.suffix in {".md", ".txt", ".rb", ".yml"}:
            continue
        raw = path.read_bytes()
        parsed = mime.parse(raw, rawmail.envelope(raw).message_id)
        if not parsed.html:
            continue
        safe = sanitise(parsed.html)
        assert not _RUNS.search(safe.html), path
        assert not re.search(r"<img[^>]*\ssrc=\"https?:", safe.html), path
        checked += 1
    assert checked > 500  # the spam alone has hundreds of HTML messages


def test_remote_images_go_through_the_given_rewrite_only_when_asked() -> None:
    html = (
        '<img src="https://t.example/a.png?x=1&amp;y=2"><img src=" HTTP://t.example/b.gif">'
        '<img src="cid:logo"><img src="relative.png"><img src="ftp://t.example/c.png">'
    )
    off = sanitise(html)
    assert "t.example" not in off.html
    assert (off.blocked_images, off.proxied_images) == (3, 0)  # ftp: gone before counting
    seen: list[str] = []

    def proxy(url: str) -> str:
        seen.append(url)
        return f"/image/?n={len(seen)}&amp=1"

    on = sanitise(html, remote=proxy)
    assert seen == ["https://t.example/a.png?x=1&y=2", "HTTP://t.example/b.gif"]
    assert '<img src="/image/?n=1&amp;amp=1">' in on.html
    assert "t.example" not in on.html
    assert (on.blocked_images, on.proxied_images) == (1, 2)  # the relative one stays out
