"""Plus addressing (RFC 5233 "subaddress"): ``ledger+tag@acme.example`` is delivered to
``ledger@acme.example`` by the usual mail services and servers. Plain Python."""

from __future__ import annotations


def tag_of(address: str, base: str) -> str | None:
    """What follows the plus when ``address`` is ``base`` plus-addressed ("" for ``base``
    itself), None when it is another address. Case does not matter."""
    address, base = address.lower(), base.lower()
    if address == base:
        return ""
    local, _, host = base.rpartition("@")
    sent_local, _, sent_host = address.rpartition("@")
    if not local or sent_host != host or not sent_local.startswith(f"{local}+"):
        return None
    return sent_local[len(local) + 1 :]
