"""What routing needs to know about a conversation, read in one place.

``trails_for`` reads the human messages the clocks count. ``facts_for`` reads triage's one
answer per conversation (``ConversationLane``, kept by ``handoff.triage.lanes``). A
conversation triage has not seen yet gets the defaults: lane ``team``, category
``support``, language ``en``, priority ``normal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from handoff.lib.thanks import asks_nothing
from handoff.mailin.models import Mailbox
from handoff.routing.pauses import Pause
from handoff.tickets.models import Conversation, Message
from handoff.triage.lanes import lanes_for

DEFAULT_LANE = "team"
DEFAULT_CATEGORY = "support"
DEFAULT_LANGUAGE = "en"
DEFAULT_PRIORITY = "normal"


@dataclass(frozen=True, slots=True)
class Facts:
    lane: str = DEFAULT_LANE
    category: str = DEFAULT_CATEGORY
    language: str = DEFAULT_LANGUAGE
    priority: str = DEFAULT_PRIORITY
    mailbox: str = ""  # the desk address the customer wrote to
    customer: str = ""  # the customer's address, lower case
    customer_domain: str = ""
    tags: tuple[str, ...] = ()
    team: str = ""  # a team triage's admin rules chose, by name

    def values(self, key: str) -> tuple[str, ...]:
        """The fact(s) a policy or rule condition ``key`` is compared with."""
        return {
            "lane": (self.lane,),
            "category": (self.category,),
            "language": (self.language,),
            "priority": (self.priority,),
            "mailbox": (self.mailbox,),
            "customer": (self.customer,),
            "domain": _domain_and_parents(self.customer_domain),
            "tag": self.tags,
        }.get(key, ())


CONDITION_KEYS = (
    "lane",
    "category",
    "language",
    "priority",
    "mailbox",
    "customer",
    "domain",
    "tag",
)


def _domain_and_parents(domain: str) -> tuple[str, ...]:
    parts = domain.split(".")
    return tuple(".".join(parts[i:]) for i in range(len(parts) - 1)) if domain else ()


def matches(conditions: dict[str, Any], facts: Facts) -> bool:
    for key, wanted in conditions.items():
        allowed = {str(w).lower() for w in (wanted if isinstance(wanted, list) else [wanted])}
        if not allowed & {v.lower() for v in facts.values(key)}:
            return False
    return True


def is_human(direction: str, noise: str, headers: dict[str, str]) -> bool:
    """Mail a person wrote: not noise, not an automatic message (our acknowledgements).
    The desk's copy of its own reply is marked "own" (not a customer's mail to triage), but
    a person wrote it: it answers the customer and stops the response clock."""
    automatic = headers.get("auto-submitted", "no").split(";")[0].strip().lower()
    if automatic not in {"", "no"}:
        return False
    return not noise or (noise == "own" and direction == "out")


def facts(conversation: Conversation) -> Facts:
    return facts_for([conversation.pk])[conversation.pk]


FirstIn = dict[int, tuple[str, list[list[str]]]]  # conversation: (sender, [[name, address]])


def facts_for(conversation_ids: Sequence[int], first_in: FirstIn | None = None) -> dict[int, Facts]:
    """Facts of each conversation, in a fixed number of queries. ``first_in``: the sender and
    recipients of each conversation's first customer message, when the caller has them."""
    ids = list(conversation_ids)
    if first_in is None:
        first_in = {}
        rows = (
            Message.objects.filter(
                conversation_id__in=ids, direction=Message.Direction.IN, noise=""
            )
            .order_by("received_at", "pk")
            .values_list("conversation_id", "from_address", "to", "cc")
        )
        for conversation_id, sender, to, cc in rows:
            first_in.setdefault(conversation_id, (sender.lower(), [*to, *cc]))
    desk_addresses = set(a.lower() for a in Mailbox.objects.values_list("address", flat=True))
    decisions = lanes_for(ids)
    found = {}
    for conversation_id in ids:
        customer, recipients = first_in.get(conversation_id, ("", []))
        mailbox = next(
            (r[1].lower() for r in recipients if len(r) > 1 and r[1].lower() in desk_addresses), ""
        )
        decision = decisions.get(conversation_id)
        if decision is None:
            found[conversation_id] = Facts(
                mailbox=mailbox, customer=customer, customer_domain=customer.rpartition("@")[2]
            )
            continue
        found[conversation_id] = Facts(
            lane=decision.lane or DEFAULT_LANE,
            category=decision.category or DEFAULT_CATEGORY,
            language=(decision.language or DEFAULT_LANGUAGE).lower(),
            priority=decision.priority or DEFAULT_PRIORITY,
            mailbox=mailbox,
            customer=customer,
            customer_domain=customer.rpartition("@")[2],
            tags=tuple(decision.tags or ()),
            team=decision.team or "",
        )
    return found


@dataclass
class Trail:
    inbound: list[datetime] = field(default_factory=list)  # what the customer wrote
    outbound: list[datetime] = field(default_factory=list)  # what the team wrote
    status_at: datetime | None = None  # the last status change the timeline knows
    pauses: list[Pause] = field(default_factory=list)  # the clocks' pauses, from the timeline


def trails_for(ids: Sequence[int]) -> tuple[dict[int, Trail], FirstIn]:
    """Each conversation's human messages (not noise, not automatic), and who wrote the
    first customer message to which addresses (for the facts), in one query. A customer's
    reply that only thanks (``Message.thanks``) right after the team's answer asks for no
    other: it starts no response clock."""
    found = {i: Trail() for i in ids}
    first_in: FirstIn = {}
    rows = (
        Message.objects.filter(conversation_id__in=ids)
        .order_by("received_at", "pk")
        .values_list(
            "conversation_id",
            "direction",
            "received_at",
            "noise",
            "headers",
            "from_address",
            "to",
            "cc",
            "thanks",
        )
    )
    for conversation_id, direction, received_at, noise, headers, sender, to, cc, thanks in rows:
        inbound = direction == Message.Direction.IN
        if inbound and not noise:
            first_in.setdefault(conversation_id, (sender.lower(), [*to, *cc]))
        if is_human(direction, noise, headers or {}):
            trail = found[conversation_id]
            if inbound and asks_nothing(thanks, trail.inbound, trail.outbound):
                continue
            (trail.inbound if inbound else trail.outbound).append(received_at)
    return found, first_in
