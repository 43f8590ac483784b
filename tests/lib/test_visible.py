from __future__ import annotations

import unicodedata

import pytest

from handoff.lib import visible


def test_a_right_to_left_override_is_written_out_not_applied() -> None:
    assert visible.escaped("invoice\u202efdp.exe") == "invoice⟨U+202E⟩fdp.exe"


@pytest.mark.parametrize(
    "char",
    [
        *"\u202a\u202b\u202c\u202d\u202e",  # embeddings and overrides
        *"\u2066\u2067\u2068\u2069",  # isolates
        *"\u200e\u200f\u061c",  # marks
        *"\u200b\u2060\ufeff\u00ad",  # zero-width and soft hyphen
        *"\r\n\t\x00\x1b\x7f\x85",  # controls
        *"\u2028\u2029",  # line and paragraph separators
    ],
)
def test_every_hidden_character_is_escaped(char: str) -> None:
    assert visible.has_hidden(f"a{char}b")
    assert visible.escaped(f"a{char}b") == f"a⟨U+{ord(char):04X}⟩b"
    assert char not in visible.stripped(f"a{char}b")


@pytest.mark.parametrize(
    "text",
    [
        "Ana López <ana@client.example>",
        "مریم\u200cها",  # a zero-width non-joiner inside a Persian name
        "👨\u200d👩\u200d👧",  # a family: emoji joined by zero-width joiners
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
        "עברית and English",  # right-to-left letters are text, not controls
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert not visible.has_hidden(text)
    assert visible.escaped(text) == text


def test_stripped_makes_a_one_line_name_for_a_header() -> None:
    name = "  <svg>\r\nBcc:\u202ex@evil\u200b.example\t "
    assert visible.stripped(name) == "<svg> Bcc:x@evil.example"


def test_the_search_pattern_finds_exactly_the_hidden_characters() -> None:
    # The pattern is written out for speed; the rule is is_hidden. They must agree on every
    # code point (a new Unicode version in a new Python may add format characters).
    disagree = [
        f"U+{code:04X} {unicodedata.category(chr(code))}"
        for code in range(0x110000)
        if visible.has_hidden(chr(code)) != visible.is_hidden(chr(code))
    ]
    assert disagree == []
