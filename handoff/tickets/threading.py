"""Which conversation a message belongs to.

In order: the desk's own subject token, then shared Message-IDs (the
message's own, In-Reply-To, References) in either direction, so that a reply
stored before its parent still meets it; then, for a reply whose parents we
never saw, the same normalised subject between the same people within
``FALLBACK_WINDOW``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q

from handoff.lib.subjects import desk_token, has_reply_prefix, subject_key
from handoff.tickets.models import Conversation, ThreadKey

FALLBACK_WINDOW = timedelta(days=30)


def thread_keys(message_id: str, in_reply_to: Iterable[str], references: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([message_id, *in_reply_to, *references]))


def candidates(
    *,
    keys: list[str],
    subject: str,
    people: set[str],
    at: datetime,
    is_reply: bool,
) -> list[int]:
    """Conversation ids the message belongs to, oldest first (several: merge them)."""
    found: set[int] = set()
    token = desk_token(subject)
    if token is not None:
        found.update(
            Conversation.objects.filter(pk=token).values_list("pk", flat=True)
        )
    found.update(ThreadKey.objects.filter(key__in=keys).values_list("conversation_id", flat=True))
    if found:
        return sorted(_resolve_merged(found))
    key = subject_key(subject)
    if key and people and (is_reply or has_reply_prefix(subject)):
        match = (
            Conversation.objects.filter(
                subject_key=key,
                merged_into=None,
                last_message_at__gte=at - FALLBACK_WINDOW,
                last_message_at__lte=at + FALLBACK_WINDOW,
                participants__address__in=people,
            )
            .order_by("-last_message_at")
            .values_list("pk", flat=True)
            .first()
        )
        if match is not None:
            return [match]
    return []


def _resolve_merged(ids: set[int]) -> set[int]:
    rows = dict(
        Conversation.objects.filter(Q(pk__in=ids)).values_list("pk", "merged_into_id")
    )
    return {target or pk for pk, target in rows.items()}
