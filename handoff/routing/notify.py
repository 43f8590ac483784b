"""Notifications are rows: the tick sends them through the outbox (mail out is downstream).

``unsent()`` lists what waits; ``mark_sent(ids, at)`` records that it left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from handoff.accounts.models import Role, User
from handoff.routing.models import Notification


def heads() -> list[int]:
    """Who hears about breaches: the heads of customer happiness, else the admins."""
    found = list(
        User.objects.filter(role=Role.HEAD, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return found or list(
        User.objects.filter(role=Role.ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# A notification's words: a plain text, or a function that says them in the language
# active when it is called (each reader's own: ``in_their_language``).
Text = str | Callable[[], str]


def in_their_language(users: Iterable[int]) -> Callable[[int, Text], str]:
    """``say(user_id, text)``: the text in that person's language (one query for all)."""
    languages = dict(User.objects.filter(pk__in=list(users)).values_list("pk", "language"))

    def say(user_id: int, text: Text) -> str:
        if isinstance(text, str):
            return text
        with translation.override(languages.get(user_id) or settings.LANGUAGE_CODE):
            return text()

    return say


def notify(
    kind: str,
    users: Iterable[int],
    text: Text,
    at: datetime,
    conversation_id: int | None = None,
) -> list[Notification]:
    readers = list(dict.fromkeys(users))
    say = in_their_language(readers)
    return Notification.objects.bulk_create(
        Notification(
            kind=kind, user_id=u, conversation_id=conversation_id, text=say(u, text), created_at=at
        )
        for u in readers
    )


def notify_once(
    kind: str, users: Sequence[int], text: str, at: datetime, *, every: timedelta
) -> int:
    """The same text at most once per ``every`` (misconfiguration found by every sweep)."""
    if Notification.objects.filter(kind=kind, text=text, created_at__gt=at - every).exists():
        return 0
    return len(notify(kind, users, text, at))


def unsent() -> QuerySet[Notification]:
    return (
        Notification.objects.filter(sent_at=None)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def mark_sent(ids: Iterable[int], at: datetime) -> int:
    return Notification.objects.filter(pk__in=list(ids), sent_at=None).update(sent_at=at)
