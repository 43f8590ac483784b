"""What routing needs to know about a conversation, read in one place.

``facts_for`` is the only reader of triage's decisions. Until the triage app is
installed (or when a conversation has no decision yet) the defaults apply: lane
``team``, category ``support``, language ``en``, priority ``normal``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Model

from handoff.mailin.models import Mailbox
from handoff.tickets.models import Conversation, Message

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
    """Mail a person wrote: not noise, not an automatic message (our acknowledgements)."""
    automatic = headers.get("auto-submitted", "no").split(";")[0].strip().lower()
    return not noise and automatic in {"", "no"}


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
    decisions = _triage(ids)
    found = {}
    for conversation_id in ids:
        customer, recipients = first_in.get(conversation_id, ("", []))
        mailbox = next(
            (r[1].lower() for r in recipients if len(r) > 1 and r[1].lower() in desk_addresses), ""
        )
        decision = decisions.get(conversation_id, {})
        found[conversation_id] = Facts(
            lane=decision.get("lane") or DEFAULT_LANE,
            category=decision.get("category") or DEFAULT_CATEGORY,
            language=(decision.get("language") or DEFAULT_LANGUAGE).lower(),
            priority=decision.get("priority") or DEFAULT_PRIORITY,
            mailbox=mailbox,
            customer=customer,
            customer_domain=customer.rpartition("@")[2],
            tags=tuple(decision.get("tags") or ()),
            team=decision.get("team") or "",
        )
    return found


def triage_model() -> type[Model] | None:
    """Triage's per-message decision model (``handoff.triage.models.Decision``: the one with
    ``message``, ``lane`` and ``category``), once its table exists."""
    if not apps.is_installed("handoff.triage"):
        return None
    for model in apps.get_app_config("triage").get_models():
        names = {f.name for f in model._meta.get_fields()}
        if {"message", "lane", "category"} <= names and _has_table(model._meta.db_table):
            return model
    return None


_TABLES: set[str] = set()


def _has_table(name: str) -> bool:
    """Whether triage's migration ran (only a yes is remembered: it may run later)."""
    if name not in _TABLES and name in connection.introspection.table_names():
        _TABLES.add(name)
    return name in _TABLES


def _triage(conversation_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The latest decision on an inbound message of each conversation (corrections included)."""
    model = triage_model()
    if model is None or not conversation_ids:
        return {}
    plain = {f.name for f in model._meta.get_fields() if not f.is_relation}
    wanted = [n for n in ("lane", "category", "language", "priority", "tags", "team") if n in plain]
    rows = model._default_manager.filter(
        message__conversation_id__in=conversation_ids, message__direction=Message.Direction.IN
    ).values("message__conversation_id", "message__received_at", "pk", *wanted)
    latest: dict[int, tuple[datetime, int, dict[str, Any]]] = {}
    for row in rows:
        key = row["message__conversation_id"]
        order = (row["message__received_at"], row["pk"])
        if key not in latest or order > latest[key][:2]:
            latest[key] = (*order, row)
    return {key: value[2] for key, value in latest.items()}
