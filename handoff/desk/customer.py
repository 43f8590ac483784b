"""The customer at a glance, beside a conversation: who wrote it, their other conversations
(by address, and by company: the same domain, unless it is a mailbox provider's), their
language, the time it is where they are (the offset of their last message's Date header),
and the answers the desk has promised them and not yet given."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.db.models import Q, QuerySet
from django.utils import timezone

from handoff.desk.access import Viewer, visible_conversations
from handoff.tickets.models import Conversation, Message

LISTED = 8
# Where many unrelated people have an address: not a company.
PROVIDERS = frozenset([
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.fr", "outlook.com", "outlook.fr",
    "live.com", "live.fr", "msn.com", "yahoo.com", "yahoo.fr", "ymail.com", "icloud.com",
    "me.com", "mac.com", "aol.com", "gmx.de", "gmx.net", "gmx.fr", "web.de", "orange.fr",
    "wanadoo.fr", "free.fr", "laposte.net", "sfr.fr", "bbox.fr", "proton.me", "protonmail.com",
    "pm.me", "mail.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "naver.com", "uol.com.br",
    "bol.com.br", "terra.com.br", "libero.it", "t-online.de", "videotron.ca", "sympatico.ca",
])  # fmt: skip
_OFFSET = re.compile(rb"^Date:[^\r\n]*?([+-])(\d{2})(\d{2})\s*(?:\(.*\))?\s*$", re.I | re.M)


@dataclass(slots=True)
class Customer:
    address: str
    name: str
    language: str
    offset: timedelta | None  # of their last message's Date header
    by_address: list[Conversation] = field(default_factory=list)
    by_domain: list[Conversation] = field(default_factory=list)
    promised: list[Conversation] = field(default_factory=list)  # open, an answer due

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2].lower()

    @property
    def local_time(self) -> datetime | None:
        if self.offset is None:
            return None
        return timezone.now().astimezone(dt_timezone(self.offset))


def customer(conversation: Conversation, user: Viewer) -> Customer | None:
    latest = (
        conversation.messages.filter(direction=Message.Direction.IN)
        .exclude(from_address="")
        .select_related("raw")
        .only("from_address", "from_name", "raw__data")
        .order_by("-received_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    lane = getattr(conversation, "lane", None)
    found = Customer(
        latest.from_address.lower(),
        latest.from_name,
        lane.language if lane is not None else "",
        _offset(bytes(latest.raw.data[:16384]) if latest.raw else b""),
    )
    others = visible_conversations(user).exclude(pk=conversation.pk).select_related("clock")
    # Addresses are kept in lower case: an exact match, on its index.
    mine = others.filter(participants__address=found.address).distinct()
    found.by_address = list(mine.order_by("-last_message_at")[:LISTED])
    if found.domain and found.domain not in PROVIDERS:
        company = others.filter(participants__domain=found.domain).exclude(
            participants__address=found.address
        )
        found.by_domain = list(company.distinct().order_by("-last_message_at")[:LISTED])
    found.promised = _promised(conversation, mine)
    return found


def _promised(conversation: Conversation, mine: QuerySet[Conversation]) -> list[Conversation]:
    """This conversation and the customer's others with an answer due, soonest first."""
    both = Conversation.objects.filter(Q(pk=conversation.pk) | Q(pk__in=mine.values("pk")))
    due = both.filter(clock__is_open=True, clock__respond_by__isnull=False)
    return list(due.select_related("clock").order_by("clock__respond_by")[:LISTED])


def _offset(head: bytes) -> timedelta | None:
    found = _OFFSET.search(head.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0])
    if found is None:
        return None
    sign, hours, minutes = found.groups()
    value = timedelta(hours=int(hours), minutes=int(minutes))
    if value > timedelta(hours=14):
        return None  # not a real offset
    return -value if sign == b"-" else value
