"""One message can never stop the pipeline: hostile MIME is read within a budget, or read
from its header block and flagged, and ``read`` never raises.

The budget cases run in a subprocess under an address-space limit and a timeout, so a
blow-up fails the test instead of the machine. The budget is a guard against
pathological cost, not a benchmark: 10 s and 300 MB of extra resident memory per 10 MB
of message, where the measured worst case is under 2 s and 190 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from handoff.lib import mime, noise, rawmail, reading
from handoff.lib.htmltext import html_to_text
from tests import hostile

ROOT = Path(__file__).resolve().parents[2]
SECONDS_PER_10_MB, MB_PER_10_MB = 10.0, 300
HEAD_READ = "body not read; the raw bytes are kept"

# Measures one read() of a hostile message: time, and peak resident memory above the
# memory held once the message is built (/proc/self/clear_refs resets the peak).
_CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from handoff.lib.reading import Own, read
from tests import hostile

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(field)

data = getattr(hostile, sys.argv[2])(int(sys.argv[3]))
limit = status("VmSize") + int(sys.argv[4])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
except OSError:
    pass  # the peak then includes building the message: a stricter test
before = status("VmRSS")
start = time.perf_counter()
_, parsed, verdict = read((1, data, "hostile@attacker.example"), Own())
seconds = time.perf_counter() - start
print(json.dumps({
    "size": len(data),
    "seconds": seconds,
    "extra_mb": (status("VmHWM") - before) / 2**20,
    "warnings": parsed.warnings,
    "subject": parsed.subject,
    "sender": parsed.sender.email if parsed.sender else "",
    "text": parsed.text[:200],
    "text_length": len(parsed.text),
    "noise": verdict.kind,
}))
"""


def read_hostile(generator: str, size: int) -> dict[str, Any]:
    """Read ``hostile.<generator>(size)`` in a subprocess and check it kept to the budget."""
    tens = max(1.0, size / 10_000_000)
    seconds, megabytes = SECONDS_PER_10_MB * tens, MB_PER_10_MB * tens
    address_space = int(megabytes * 2**20 * 3)  # virtual memory runs ahead of resident
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), generator, str(size), str(address_space)],
        capture_output=True,
        text=True,
        timeout=seconds * 6,  # a hang, not a slow machine
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    assert result["seconds"] < seconds, result
    assert result["extra_mb"] < megabytes, result
    return result


# ---------------------------------------------------------------- budgets


@pytest.mark.skipif(sys.platform != "linux", reason="measures memory through /proc")
class TestHostileMailWithinBudget:
    def test_a_nesting_bomb_is_read_from_its_header_block_and_flagged(self) -> None:
        result = read_hostile("nesting_bomb", 5000)
        assert result["warnings"][0] == (
            f"MIME structure nested more than {mime.MOST_DEPTH} levels deep: {HEAD_READ}"
        )
        assert result["subject"] == "Hostile: nesting bomb"
        assert result["sender"] == "mallory@attacker.example"
        assert result["text"] == ""

    def test_an_attached_message_bomb_is_read_from_its_header_block_and_flagged(self) -> None:
        result = read_hostile("message_bomb", 5000)
        assert result["warnings"][0].startswith("MIME structure nested more than")
        assert result["subject"] == "Hostile: message bomb"

    def test_a_hundred_thousand_header_fields_are_flagged(self) -> None:
        result = read_hostile("many_headers", 100_000)
        assert result["warnings"][0] == (
            f"100,007 fields in one header block (limit {mime.MOST_FIELDS:,}): {HEAD_READ}"
        )
        assert result["sender"] == "mallory@attacker.example"

    def test_a_ten_megabyte_header_field_is_flagged(self) -> None:
        result = read_hostile("long_header", 10_000_000)
        assert result["warnings"][0].startswith("a header field of 10,000,0")
        assert result["subject"] == "Hostile: long header"

    def test_a_twenty_megabyte_line_is_read_whole(self) -> None:
        result = read_hostile("long_line", 20_000_000)
        assert result["warnings"] == []
        assert result["text_length"] == 20_000_000

    def test_ten_megabytes_of_html_give_their_text(self) -> None:
        result = read_hostile("big_html", 10_000_000)
        assert result["warnings"] == []
        assert result["text"].startswith("Hello there, & welcome back.\n\nHello there")
        assert result["text_length"] > 4_000_000


# ---------------------------------------------------------------- limits and fallbacks


def test_a_message_nested_a_hundred_levels_deep_is_still_read_whole() -> None:
    raw = hostile.nesting_bomb(mime.MOST_DEPTH - 1)
    assert rawmail.shape(raw, most_depth=100, most_parts=1000).depth == mime.MOST_DEPTH
    parsed = mime.parse(raw, "x@attacker.example")
    assert (parsed.text, parsed.warnings) == ("The bottom.", [])


def test_the_shape_scan_stops_as_soon_as_a_limit_is_passed() -> None:
    found = rawmail.shape(hostile.nesting_bomb(5000), most_depth=100, most_parts=1000)
    assert (found.depth, found.parts) == (101, 101)
    flat = b"Content-Type: multipart/mixed; boundary=b\n\n" + b"--b\n\nx\n" * 5000
    assert rawmail.shape(flat, most_depth=100, most_parts=1000).parts == 1001


def test_more_parts_than_the_limit_are_flagged() -> None:
    raw = b"From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n" + b"--b\n\nx\n" * 2000
    assert mime.parse(raw, "x").warnings == [f"more than 1,000 MIME parts: {HEAD_READ}"]


def test_a_parser_that_recurses_too_deep_falls_back_to_the_header_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def recurse(raw: bytes, message_id: str) -> mime.ParsedMessage:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(mime, "_parse", recurse)
    parsed = mime.parse(hostile.many_headers(10), "x@attacker.example")
    assert parsed.warnings == [
        f"MIME structure too deep or too large to read (RecursionError): {HEAD_READ}"
    ]
    assert parsed.subject == "Hostile: many headers"
    assert [a.email for a in parsed.to] == ["support@acme.example"]
    assert parsed.date is not None


def test_any_error_of_the_email_package_falls_back_to_the_header_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(raw: bytes, message_id: str) -> mime.ParsedMessage:
        raise KeyError("boom")

    monkeypatch.setattr(mime, "_parse", fail)
    parsed = mime.parse(hostile.many_headers(10), "x@attacker.example")
    assert parsed.warnings[0] == f"unreadable MIME structure (KeyError: 'boom'): {HEAD_READ}"
    assert parsed.sender == mime.Address("Mallory", "mallory@attacker.example")


def test_read_never_raises_even_when_parse_and_recognise_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(reading, "parse", fail)
    monkeypatch.setattr(reading, "recognise", fail)
    raw_id, parsed, verdict = reading.read((7, b"From: a@b.example\n\nx", "m@b"), reading.Own())
    assert (raw_id, parsed.message_id, verdict) == (7, "m@b", noise.Verdict("", ""))
    assert parsed.warnings == [
        "parsing failed (MemoryError: ); the raw bytes are kept",
        "noise recognition failed (MemoryError: ); the raw bytes are kept",
    ]


def test_noise_is_recognised_from_the_header_block_of_a_hostile_message() -> None:
    raw = b"Auto-Submitted: auto-replied\r\n" + hostile.nesting_bomb(5000)
    _, parsed, verdict = reading.read((1, raw, "x@attacker.example"), reading.Own())
    assert parsed.headers["auto-submitted"] == "auto-replied"
    assert verdict == noise.Verdict("autoreply", "Auto-Submitted: auto-replied")


def test_raw_header_reading_is_linear_in_folded_lines() -> None:
    raw = b"From: a@b.example\nSubject: a\n" + b" b\n" * 1_000_000 + b"\nx"
    start = time.perf_counter()
    fields, _ = noise.raw_headers(raw)
    assert rawmail.head_fields(rawmail.split_head(raw)[0])[b"subject"].startswith(b"a b b")
    assert fields["subject"].startswith("a b b")
    assert time.perf_counter() - start < 10  # was quadratic: 23 s each


# ---------------------------------------------------------------- HTML


def test_html_text_is_linear_on_unclosed_constructs() -> None:
    start = time.perf_counter()
    for html in ("<a " * 1_000_000, '<a x="' * 1_000_000, "<!--" * 1_000_000, "<" * 3_000_000):
        html_to_text(html)
    assert time.perf_counter() - start < 10  # the standard HTMLParser never ends on the first


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Bonjour</p><script>x()</script><p>Merci</p>", "Bonjour\n\nMerci"),
        ("<html><head><title>T</title><body><p>Hi</p>", "Hi"),  # a head never closed
        ('<a title="a>b" href=x>link</a> ok', "link ok"),
        ("<img alt=don't>text &amp; more&nbsp;!", "text & more !"),
        ("one<br/>two<!-- hidden -->", "one\ntwo"),
        ("<p>cut short <b", "cut short"),
    ],
)
def test_html_text_reads_sloppy_html_as_a_browser_does(html: str, text: str) -> None:
    assert html_to_text(html) == text
