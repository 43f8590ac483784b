"""Notifications are rows: the tick sends them through the outbox (mail out is downstream).

``unsent()`` lists what waits; ``mark_sent(ids, at)`` records that it left.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import ngettext

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


# One sweep can find many late conversations at once: mail imported with its past, a desk
# whose sweep was stopped for a night, the demo's first minute. Past this many of one kind
# for one person in one sweep, they get one notification naming the conversations instead
# of one each (each would also be a mail).
GROUPED_OVER = 3
NAMED = 20  # conversations named in a grouped notification; the rest are counted

# (kind, user id, text, at, conversation id): one notification still to write.
Pending = tuple[str, int, Text, datetime, int | None]


def grouped(pending: Sequence[Pending]) -> list[Pending]:
    """``pending`` with each person's notifications of a kind about more than
    ``GROUPED_OVER`` conversations made one, where the first of them was."""
    about: dict[tuple[str, int], dict[int, None]] = {}  # the conversations, in order
    for kind, user, _, _, pk in pending:
        if pk is not None:
            about.setdefault((kind, user), {})[pk] = None
    written: list[Pending] = []
    placed = set()
    for row in pending:
        kind, user, _, at, pk = row
        if pk is None or len(about[kind, user]) <= GROUPED_OVER:
            written.append(row)
        elif (kind, user) not in placed:
            placed.add((kind, user))
            written.append((kind, user, group_text(kind, list(about[kind, user])), at, None))
    return written


def group_text(kind: str, numbers: Sequence[int]) -> Text:
    """What a grouped notification says, in the active language when called."""
    shown = ", ".join(f"#{pk}" for pk in numbers[:NAMED])
    if len(numbers) > NAMED:
        shown += " …"
    words = {"count": len(numbers), "numbers": shown}
    count = len(numbers)

    def text() -> str:
        if kind == Notification.Kind.BREACH:
            said = ngettext(
                "%(count)s conversation missed a target: %(numbers)s",
                "%(count)s conversations missed a target: %(numbers)s",
                count,
            )
        elif kind == Notification.Kind.REMINDER:
            said = ngettext(
                "%(count)s conversation is close to a target: %(numbers)s",
                "%(count)s conversations are close to a target: %(numbers)s",
                count,
            )
        elif kind == Notification.Kind.HANDOVER:
            said = ngettext(
                "%(count)s conversation handed over to you: %(numbers)s",
                "%(count)s conversations handed over to you: %(numbers)s",
                count,
            )
        else:
            said = ngettext(
                "%(count)s notification about %(numbers)s",
                "%(count)s notifications about %(numbers)s",
                count,
            )
        return said % words

    return text


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
