"""Plus addressing: which address is the base's, and its tag."""

from __future__ import annotations

import pytest

from handoff.lib.subaddress import tag_of


@pytest.mark.parametrize(
    ("address", "base", "tag"),
    [
        ("ledger@acme.example", "ledger@acme.example", ""),
        ("Ledger+ABC@Acme.Example", "ledger@acme.example", "abc"),
        ("ledger+a+b@acme.example", "ledger@acme.example", "a+b"),
        ("me+ledger+tok@gmail.com", "me+ledger@gmail.com", "tok"),  # a base with a plus
        ("ledger+tok@other.example", "ledger@acme.example", None),  # another host
        ("ledgers+tok@acme.example", "ledger@acme.example", None),  # another local part
        ("ledger@acme.example", "me+ledger@gmail.com", None),
        ("tok@acme.example", "@acme.example", None),  # no local part: nothing matches
    ],
)
def test_tag_of(address: str, base: str, tag: str | None) -> None:
    assert tag_of(address, base) == tag
