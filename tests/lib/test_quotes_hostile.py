"""Quote and signature folding of hostile input: in linear time (a quadratic pattern would take
minutes, the bound is ten times what it takes here), nothing lost. How fast folding is on real
mail is measured by ``bench/trimming.py``, not here."""

from __future__ import annotations

import time

import pytest

from handoff.lib.quotes import fold
from tests.lib.no_loss import assert_no_loss

HOSTILE = {
    "one 200 KB line": "a" * 200_000,
    "one line of attribution starts": "On 3 Feb 2025, " * 14_000 + "wrote:",
    "angle brackets": "<" * 200_000,
    "quote markers": ">" * 200_000,
    "blank lines": "\n" * 200_000,
    "delimiter lines": "-\n--\n" * 40_000,
    "quoted lines": "> x\n" * 50_000,
    "wrapped attribution starts": "On 12 Feb 2020 <a@b.c\n" * 9_000,
    "header blocks": "Bob\nFrom: x\nSent: 1\nTo: y\nSubject: z\n" * 5_000,
    "signatures": "t\n" + "Sent from my iPhone\n" * 10_000 + "t",
    "fences": "```\n" * 50_000,
    "markdown links": "[" * 100_000 + "](" * 50_000,
    "name wrote": "Bob wrote:\n\n" * 16_000 + "> q",
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_200kb_input_is_fast(text: str) -> None:
    start = time.perf_counter()
    result = fold(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0  # ~0.2 s here; anything quadratic would take minutes
    assert_no_loss(text, result)
