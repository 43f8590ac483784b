"""Characters that change how text is shown without being seen, made visible or taken out.

A right-to-left override turns ``invoice\\u202efdp.exe`` into what reads as
``invoice…exe.pdf``, and reverses an address around it; zero-width and other format
characters hide a difference between two names that look the same. In what the desk
shows of a message's sender, subject and attachments they are written out as
``⟨U+202E⟩``, never applied; in what the desk writes into a header they are dropped.

Zero-width joiners and non-joiners (U+200C, U+200D) and the tag characters of flag
emoji are kept: they join letters in Persian and Indic names and emoji into one
picture, and cannot reorder text.
"""

from __future__ import annotations

import re
import unicodedata

# The bidirectional controls: embeddings, overrides, isolates and marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_KEPT_FORMAT = frozenset(["\u200c", "\u200d", *map(chr, range(0xE0020, 0xE0080))])
# Line and paragraph separators: a line break in a one-line field.
_SEPARATORS = frozenset(["\u2028", "\u2029"])


def is_hidden(char: str) -> bool:
    """A control or format character that shows as nothing, or reorders what follows."""
    if char in BIDI_CONTROLS or char in _SEPARATORS:
        return True
    category = unicodedata.category(char)
    return category == "Cc" or (category == "Cf" and char not in _KEPT_FORMAT)


# Every hidden character, found by one search (most text has none): the characters
# ``is_hidden`` names, as of Unicode 15 (a test compares them over all code points).
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001]"
)


def escaped(text: str) -> str:
    """``text`` with each hidden character written out as ``⟨U+202E⟩``."""
    return _HIDDEN.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", text)


def stripped(text: str) -> str:
    """``text`` without its hidden characters, whitespace runs as one space: a display
    name that can go into a header (no CR, no LF, nothing that reorders it)."""
    return " ".join(_HIDDEN.sub(_space_or_nothing, text).split())


def _space_or_nothing(found: re.Match[str]) -> str:
    # A control or separator parted two words (a line break); a format character, none.
    char = found.group()
    return " " if char in _SEPARATORS or unicodedata.category(char) == "Cc" else ""


def has_hidden(text: str) -> bool:
    return _HIDDEN.search(text) is not None
