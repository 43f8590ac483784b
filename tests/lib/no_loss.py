"""Quote and signature folding's no-loss guarantee, checked on one text (shared by the
tests of ``handoff.lib.quotes``)."""

from __future__ import annotations

from handoff.lib.quotes import Folded


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_no_loss(text: str, result: Folded) -> None:
    """The documented guarantee: two slices of the normalised text, in order,
    with only whitespace outside them."""
    n = normalise(text)
    visible, folded = result.visible, result.folded
    assert "".join((visible + folded).split()) == "".join(n.split())
    assert visible == visible.rstrip()
    assert folded == folded.rstrip()
    end = 0
    if visible:
        start = n.find(visible)
        assert start >= 0
        assert not n[:start].strip()
        assert start == 0 or n[start - 1] == "\n"
        end = start + len(visible)
    if folded:
        begin = len(n.rstrip()) - len(folded)
        assert begin >= end
        assert n[begin : begin + len(folded)] == folded
        assert not n[end:begin].strip()
        assert begin == 0 or n[begin - 1] == "\n"
    else:
        assert not n[end:].strip()
