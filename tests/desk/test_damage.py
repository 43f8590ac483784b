"""What each kind of parser warning means, as the desk shows it beside the warning."""

from __future__ import annotations

import pytest
from django.utils import translation

from handoff.desk.templatetags.damage import damage, damages

WARNINGS = {
    "header date: implausible year 1601": "Unreadable date",
    "header block unreadable (HeaderParseError)": "Unreadable headers",
    "header subject: undecodable bytes recovered": "Malformed header",
    "unknown charset 'x-klingon'": "Unknown character set: text read as well as possible",
    "text is not valid utf-8": "Wrong character set: text read as well as possible",
    "part payload: ValueError: bad base64": "A part could not be decoded",
    "NUL characters replaced by U+FFFD": "Null characters replaced",
    "noise recognition failed (KeyError: 'x'); the raw bytes are kept": (
        "Not checked for auto-replies and bounces"
    ),
    "StartBoundaryNotFoundDefect: ": "Damaged message structure",
    "multipart/mixed without parts: read as text": "Damaged message structure",
}


@pytest.mark.parametrize(("warning", "meaning"), WARNINGS.items(), ids=list(WARNINGS))
def test_each_warning_says_what_it_means(warning: str, meaning: str) -> None:
    with translation.override("en"):
        assert damage(warning) == meaning


def test_a_messages_warnings_say_each_meaning_once_in_french() -> None:
    warnings = ["StartBoundaryNotFoundDefect: ", "text is not valid us-ascii", "CloseBoundary: "]
    with translation.override("fr"):
        assert damages(warnings) == (
            "Structure du message abîmée; Jeu de caractères erroné : texte lu au mieux"
        )
