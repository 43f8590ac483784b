"""Which conversation a message belongs to.

In order: the desk's own subject token; then parent and child links by
Message-ID in both directions (the messages this one names in In-Reply-To and
References, and the messages that name this one), so that a reply stored
before its parent meets it when the parent comes; then, for a reply none of
whose parents we have, the same normalised subject with the same people within
``FALLBACK_WINDOW`` -- never for list mail, where one subject is many threads.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q

from handoff.lib.subjects import desk_token, has_reply_prefix, subject_key
from handoff.tickets.models import Conversation, Message, ThreadRef

FALLBACK_WINDOW = timedelta(days=30)


def parent_ids(*groups: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for group in groups for item in group))


def candidates(
    *,
    message_id: str,
    parents: list[str],
    subject: str,
    sender: str,
    recipients: set[str],
    at: datetime,
    is_list: bool,
) -> list[int]:
    """Conversation ids the message belongs to, oldest first (several: merge them)."""
    found: set[int] = set()
    token = desk_token(subject)
    if token is not None:
        found.update(Conversation.objects.filter(pk=token).values_list("pk", flat=True))
    if parents:
        found.update(
            Message.objects.filter(message_id__in=parents).values_list("conversation_id", flat=True)
        )
    found.update(ThreadRef.objects.filter(key=message_id).values_list("conversation_id", flat=True))
    if found:
        return sorted(_resolve_merged(found))
    key = subject_key(subject)
    if key and sender and recipients and not is_list and (parents or has_reply_prefix(subject)):
        # The same people: the sender already took part, and so did one of the recipients.
        match = (
            Conversation.objects.filter(
                subject_key=key,
                merged_into=None,
                last_message_at__gte=at - FALLBACK_WINDOW,
                last_message_at__lte=at + FALLBACK_WINDOW,
                participants__address=sender,
            )
            .filter(participants__address__in=recipients)
            .order_by("-last_message_at")
            .values_list("pk", flat=True)
            .first()
        )
        if match is not None:
            return [match]
    return []


def _resolve_merged(ids: set[int]) -> set[int]:
    rows = dict(Conversation.objects.filter(Q(pk__in=ids)).values_list("pk", "merged_into_id"))
    return {target or pk for pk, target in rows.items()}


def is_list_mail(headers: dict[str, str]) -> bool:
    precedence = headers.get("precedence", "").strip().lower()
    return "list-id" in headers or "list-unsubscribe" in headers or precedence in {"list", "bulk"}
