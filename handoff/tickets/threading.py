"""Which conversation a message belongs to.

In order: the desk's own subject token; then parent and child links by
Message-ID in both directions (the messages this one names in In-Reply-To and
References, and the messages that name this one), so that a reply stored
before its parent meets it when the parent comes; then, for a reply none of
whose parents we have, the same normalised subject with the same people within
``FALLBACK_WINDOW`` -- never for list mail, where one subject is many threads.

``Links`` reads the links of a whole batch up front (a few queries, not a few
per message) and is kept current as the batch's messages are added, so a
message still sees the ones before it in the same batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from handoff.lib.subjects import desk_token, has_reply_prefix, subject_key
from handoff.tickets.models import Conversation, Message, ThreadRef

FALLBACK_WINDOW = timedelta(days=30)
CHUNK = 2000  # values per IN (...): well under SQLite's limit on parameters


def parent_ids(*groups: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for group in groups for item in group))


def _chunks[T](values: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


@dataclass
class Links:
    """Message-ID links and conversations of a batch: read once, then kept in step."""

    by_message_id: dict[str, set[int]] = field(default_factory=dict)  # messages we have
    by_ref: dict[str, set[int]] = field(default_factory=dict)  # Message-IDs they name
    # By id; a conversation not saved yet goes by a negative stand-in until ``settle``.
    conversations: dict[int, Conversation] = field(default_factory=dict)
    fresh: dict[int, Conversation] = field(default_factory=dict)  # not saved yet
    settled: dict[int, int] = field(default_factory=dict)  # stand-in: id, at the last settle

    @classmethod
    def load(
        cls, message_ids: Iterable[str], parents: Iterable[str], subjects: Iterable[str]
    ) -> Links:
        links = cls()
        for chunk in _chunks(set(parents)):
            rows = Message.objects.filter(message_id__in=chunk)
            for message_id, conversation_id in rows.values_list("message_id", "conversation_id"):
                links.by_message_id.setdefault(message_id, set()).add(conversation_id)
        for chunk in _chunks(set(message_ids)):
            refs = ThreadRef.objects.filter(key__in=chunk)
            for key, conversation_id in refs.values_list("key", "conversation_id"):
                links.by_ref.setdefault(key, set()).add(conversation_id)
        wanted: set[int] = {t for s in subjects if (t := desk_token(s)) is not None}
        for found in (*links.by_message_id.values(), *links.by_ref.values()):
            wanted |= found
        links.fetch(wanted)
        links.fetch({c.merged_into_id for c in links.conversations.values() if c.merged_into_id})
        return links

    def fetch(self, ids: Iterable[int]) -> None:
        missing = set(ids) - set(self.conversations)
        for chunk in _chunks(sorted(missing)):
            self.conversations.update(Conversation.objects.in_bulk(chunk))

    def new(self, conversation: Conversation) -> int:
        """Hold a conversation to be saved later; its stand-in id (negative)."""
        stand_in = -len(self.fresh) - 1
        self.fresh[stand_in] = self.conversations[stand_in] = conversation
        return stand_in

    def settle(self) -> dict[int, int]:
        """After the fresh conversations were saved: their stand-ins become their ids."""
        ids = {stand_in: c.pk for stand_in, c in self.fresh.items()}
        if ids:
            for stand_in, pk in ids.items():
                self.conversations[pk] = self.conversations.pop(stand_in)
            for found in (*self.by_message_id.values(), *self.by_ref.values()):
                stand_ins = [pk for pk in found if pk < 0]
                if stand_ins:
                    found.difference_update(stand_ins)
                    found.update(ids[pk] for pk in stand_ins)
        self.fresh, self.settled = {}, ids
        return ids

    def resolve(self, found: list[int]) -> list[int]:
        """``found`` (from before the last ``settle``) by ids, oldest first."""
        return sorted({self.settled.get(pk, pk) for pk in found})

    def add(self, message_id: str, parents: Sequence[str], key: int) -> None:
        self.by_message_id.setdefault(message_id, set()).add(key)
        for ref in parents:
            self.by_ref.setdefault(ref[:500], set()).add(key)

    def merged(self, source: int, into: int) -> None:
        """``source`` and what was merged into it now point at ``into``."""
        for conversation in self.conversations.values():
            if conversation.pk == source or conversation.merged_into_id == source:
                conversation.merged_into_id = into

    def candidates(
        self,
        *,
        message_id: str,
        parents: list[str],
        subject: str,
        sender: str,
        recipients: set[str],
        at: datetime,
        is_list: bool,
    ) -> tuple[list[int], str]:
        """Conversation ids the message belongs to, oldest first (several: merge them);
        when there are none, the subject key to look for in ``fallback``, or ``""``."""
        found: set[int] = set()
        token = desk_token(subject)
        if token is not None and token in self.conversations:
            found.add(token)
        for parent in parents:
            found |= self.by_message_id.get(parent, set())
        found |= self.by_ref.get(message_id, set())
        if found:
            resolved = {
                self.conversations[pk].merged_into_id or pk
                for pk in found
                if pk in self.conversations
            }
            return sorted(resolved), ""
        key = subject_key(subject)
        if key and sender and recipients and not is_list and (parents or has_reply_prefix(subject)):
            return [], key
        return [], ""


def fallback(key: str, sender: str, recipients: set[str], at: datetime) -> int | None:
    """The latest live conversation on the same subject where the sender already took
    part, and so did one of the recipients."""
    return (
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


def is_list_mail(headers: dict[str, str]) -> bool:
    precedence = headers.get("precedence", "").strip().lower()
    return "list-id" in headers or "list-unsubscribe" in headers or precedence in {"list", "bulk"}
