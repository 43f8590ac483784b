"""Hostile messages, as bytes: structures built to exhaust a parser's stack, time or memory.

Pure generators, shared by the tests of every door (import, SMTP, IMAP, webhooks):
each returns a whole message that a door must store, flag and quarantine without
stopping the pipeline.
"""

from __future__ import annotations

_HEAD = (
    b"From: Mallory <mallory@attacker.example>\r\n"
    b"To: support@acme.example\r\n"
    b"Subject: %s\r\n"
    b"Date: Mon, 02 Jun 2025 10:00:00 +0000\r\n"
    b"Message-ID: <%s@attacker.example>\r\n"
    b"MIME-Version: 1.0\r\n"
)


def _head(kind: str) -> bytes:
    return _HEAD % (f"Hostile: {kind}".encode(), kind.replace(" ", "-").encode())


def nesting_bomb(depth: int = 5000) -> bytes:
    """``multipart/mixed`` inside ``multipart/mixed``, ``depth`` levels deep (330 KB at 5,000).

    Each level declares its own boundary and opens the next level in its only part,
    so a recursive parser recurses ``depth`` times; a short text part sits at the bottom.
    """
    opening = b"".join(
        b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (level, level + 1)
        for level in range(1, depth)
    )
    closing = b"".join(b"\n--b%d--\n" % level for level in range(depth, 0, -1))
    return (
        _head("nesting bomb")
        + b"Content-Type: multipart/mixed; boundary=b1\r\n\r\n"
        + opening
        + b"--b%d\nContent-Type: text/plain\n\nThe bottom.\n" % depth
        + closing
    )


def message_bomb(depth: int = 5000) -> bytes:
    """A message attached (``message/rfc822``) to a message attached to ..., ``depth`` deep:
    the same recursion as :func:`nesting_bomb` without a single boundary."""
    level = b"From: a@attacker.example\nContent-Type: message/rfc822\n\n"
    return (
        _head("message bomb")
        + b"Content-Type: message/rfc822\r\n\r\n"
        + level * (depth - 1)
        + b"Subject: the bottom\n\nThe bottom.\n"
    )


def many_headers(n: int = 100_000) -> bytes:
    """``n`` ``X-Foo: bar`` header lines between the usual fields and a one-line body."""
    return (
        _head("many headers")
        + b"X-Foo: bar\r\n" * n
        + b"Content-Type: text/plain\r\n\r\nA short body.\r\n"
    )


def long_line(size: int = 20_000_000) -> bytes:
    """A text body that is one line of ``size`` bytes, with no newline at all."""
    return _head("long line") + b"Content-Type: text/plain\r\n\r\n" + b"x" * size


def long_header(size: int = 10_000_000) -> bytes:
    """A ``Cc`` field of ``size`` bytes of addresses on one line: the standard header
    parser spends over a second on each 100 KB of them, and more as they grow."""
    addresses = b"a@attacker.example, " * (size // 20)
    return _head("long header") + b"Cc: " + addresses + b"b@attacker.example\r\n\r\nHello.\r\n"


def big_html(size: int = 10_000_000) -> bytes:
    """An HTML-only message of about ``size`` bytes: many short paragraphs and nested tags,
    so the text derived from it has to be produced from a large document."""
    paragraph = b"<div><p>Hello <b>there</b>, &amp; welcome&nbsp;back.</p></div>\r\n"
    count = max(1, size // len(paragraph))
    return (
        _head("big html")
        + b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        + b"<html><body>"
        + paragraph * count
        + b"</body></html>\r\n"
    )
