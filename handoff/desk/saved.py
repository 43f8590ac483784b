"""Saved replies: who may use and change which, and their placeholders filled in for one
conversation. A placeholder is ``{name.part}`` from a fixed list, replaced by a plain
lookup: never ``str.format`` on objects, which would let a template reach any attribute."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from handoff.accounts.models import User
from handoff.desk.access import HEADS
from handoff.desk.models import SavedReply
from handoff.tickets.models import Conversation, Message

PLACEHOLDER = re.compile(r"\{([a-z_]+\.[a-z_]+)\}")
NAMES = (
    "customer.first_name", "customer.name", "customer.email",
    "agent.first_name", "agent.name", "agent.email",
    "conversation.number", "conversation.subject",
)  # fmt: skip


class BadReply(ValueError):
    pass


def usable(user: User) -> QuerySet[SavedReply]:
    return SavedReply.objects.filter(Q(owner=None) | Q(owner=user))


def editable(user: User) -> QuerySet[SavedReply]:
    """The head (and admins) keep the shared ones; everyone keeps their own."""
    if user.role in HEADS:
        return usable(user)
    return SavedReply.objects.filter(owner=user)


def check(body: str) -> None:
    unknown = sorted({name for name in PLACEHOLDER.findall(body) if name not in NAMES})
    stray = re.findall(r"\{[^{}]*\}", PLACEHOLDER.sub("", body))
    if unknown or stray:
        raise BadReply(
            _("Unknown placeholder %(names)s: use %(known)s.")
            % {
                "names": ", ".join([*(f"{{{n}}}" for n in unknown), *stray]),
                "known": ", ".join(f"{{{n}}}" for n in NAMES),
            }
        )


def first_name(name: str, address: str) -> str:
    name = name.strip().strip('"')
    if "," in name:  # "Lima, Ana"
        name = name.split(",", 1)[1]
    return name.split()[0] if name.split() else address.split("@")[0]


def filled(reply: SavedReply, conversation: Conversation, agent: User) -> str:
    customer = (
        conversation.messages.filter(direction=Message.Direction.IN)
        .order_by("-received_at", "-pk")
        .values_list("from_name", "from_address")
        .first()
    ) or ("", "")
    values = {
        "customer.first_name": first_name(*customer),
        "customer.name": customer[0] or customer[1],
        "customer.email": customer[1],
        "agent.first_name": first_name(agent.name, agent.email),
        "agent.name": agent.name or agent.email,
        "agent.email": agent.email,
        "conversation.number": str(conversation.pk),
        "conversation.subject": conversation.subject,
    }
    check(reply.body)
    return PLACEHOLDER.sub(lambda found: values[found.group(1)], reply.body)


def offered(user: User, language: str) -> list[SavedReply]:
    """The replies this person may use, those in the customer's language first."""
    replies = list(usable(user))
    return sorted(replies, key=lambda r: (r.language != language, r.language != "", r.title))
