"""Each person's own ledger address: the ledger's, with a secret after a plus
(``ledger+3f9c0a…@acme.example``).

A From line is whatever the sender typed, so it cannot say who mailed a task: anyone can
write "From: the founder". The secret part can: only the person reads it, on their Ledger
page, and mail to it is theirs. It is derived from ``SECRET_KEY``, the person and their
address (nothing stored, nothing to leak from the database); a new ``SECRET_KEY`` or a new
address gives a new one. A reply to a check-in reminder needs none: it cites the
reminder's Message-ID, a random id only the owner was sent.

Plus addressing ("subaddressing") is delivered to the base address by the usual mail
services and servers (Gmail, Microsoft 365, Fastmail, Postfix, Dovecot); the desk's own
SMTP receiver accepts it for a ledger mailbox."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.utils.crypto import constant_time_compare, salted_hmac

from handoff.accounts.models import User
from handoff.lib.subaddress import tag_of
from handoff.mailin.models import Mailbox

SALT = "handoff.ledger.address"
TOKEN_CHARS = 20  # hexadecimal: 80 bits


def token(user: User) -> str:
    value = f"{user.pk}:{user.email.lower()}"
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()[:TOKEN_CHARS]


def tags(recipients: Iterable[str], ledgers: Collection[str]) -> list[str] | None:
    """The tags of the recipients that are a ledger address, or None when none is."""
    found = [
        tag
        for address in recipients
        for base in ledgers
        if (tag := tag_of(address, base)) is not None
    ]
    return found if found else None


def is_theirs(tags_: Iterable[str], user: User) -> bool:
    """Whether one of ``tags_`` is ``user``'s secret."""
    expected = token(user)
    return any(constant_time_compare(tag, expected) for tag in tags_)


def ledger_addresses() -> list[str]:
    return list(
        Mailbox.objects.filter(purpose=Mailbox.Purpose.LEDGER, active=True)
        .order_by("address")
        .values_list("address", flat=True)
    )


def personal(user: User) -> str | None:
    """``user``'s own address on the (first) ledger mailbox, or None without one."""
    found = ledger_addresses()
    if not found:
        return None
    local, _, host = found[0].rpartition("@")
    return f"{local}+{token(user)}@{host}"
