"""The one timeline of each conversation: every stage appends to it through ``entry`` (for
bulk writes) or ``append``, and each kind's payload is checked against its schema here, so
the readers (the conversation page, the cockpit, the ledger) can rely on its keys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from handoff.db import bulk
from handoff.tickets.models import Conversation, Event, Message

Kind = Event.Kind

MERGE_RECORD = ("messages", "refs", "events", "pointers", "participants", "joined")

# Each kind's payload: its keys and their types (every key optional unless the stage
# always knows it). A key that is not here is a bug in the writer, not data.
# Why an imported conversation is solved as it comes in: a status row's reason.
HISTORY = "history"

PAYLOADS: dict[str, dict[str, type | tuple[type, ...]]] = {
    Kind.CREATED: {},
    Kind.MESSAGE: {"direction": str, "sender": str},
    Kind.TRIAGED: {"lane": str, "category": str, "layer": str, "confidence": (int, float)},
    Kind.CORRECTED: {"lane": str, "category": str},
    Kind.MOVED: {"to": str},
    Kind.CLOCK: {"clock": str, "due": str, "policy": str},
    Kind.ASSIGNED: {
        "from": int,
        "manual": bool,
        "rule": bool,
        "reason": str,
        "from_queue": bool,
        # A language the person does not read: nobody who does is on shift before it is due.
        "unread": str,
    },
    Kind.QUEUED: {"from": int, "manual": bool, "reason": str, "back": str},
    Kind.HANDOVER: {"from": int, "reason": str, "back": str, "unread": str},
    Kind.REMINDED: {"clock": str, "due": str},
    Kind.BREACHED: {"clock": str, "due": str},
    Kind.REASSIGNED: {"from": int, "clock": str, "due": str, "unread": str},
    Kind.PAUSED: {"reason": str, "start": str, "until": str},
    Kind.RESUMED: {"reason": str, "end": str},
    # reason HISTORY: imported with its last message older than ``before`` (``changes.archive``).
    Kind.STATUS: {"from": str, "to": str, "reason": str, "before": str},
    Kind.MERGED: {
        "from": int,
        "into": int,
        # On the target: what moved, for undoing it (``merging.separate``).
        "messages": list,
        "refs": list,
        "events": list,
        "pointers": list,
        "participants": list,
        "joined": list,
        "created": str,
    },
    Kind.SEPARATED: {"from": int, "into": int},
    Kind.NOTE: {"text": str},
    Kind.HELD: {"reason": str, "to": str},
    Kind.DELIVERY_FAILED: {"reason": str, "to": str},
    Kind.PEEK: {"what": str},
    Kind.RATED: {"score": str, "comment": str},
    Kind.TASK: {"task": int, "title": str},
    Kind.TAGGED: {"added": list, "removed": list},
    Kind.PRIORITY: {"to": str},
}


# What routing writes: who has the conversation, and its clocks' pauses and ladder.
ROUTING = (
    Kind.ASSIGNED,
    Kind.QUEUED,
    Kind.HANDOVER,
    Kind.REMINDED,
    Kind.BREACHED,
    Kind.REASSIGNED,
    Kind.PAUSED,
    Kind.RESUMED,
)


def check(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    schema = PAYLOADS.get(kind)
    if schema is None:
        raise ValueError(f"not a timeline kind: {kind!r}")
    for key, value in data.items():
        if key not in schema:
            raise ValueError(f"{kind}: unexpected key {key!r}")
        if value is not None and not isinstance(value, schema[key]):
            raise ValueError(f"{kind}: {key} is {type(value).__name__}")
    return data


def entry(
    conversation: int | Conversation,
    kind: str,
    *,
    at: datetime | None = None,
    actor_id: int | None = None,
    person_id: int | None = None,
    message: int | Message | None = None,
    **data: Any,
) -> Event:
    """An unsaved timeline row, its payload checked: for writers that save many at once.
    ``conversation`` and ``message`` may be rows not saved yet (saved before this one)."""
    event = Event(
        kind=kind,
        at=at or timezone.now(),
        actor_id=actor_id,
        person_id=person_id,
        data=check(kind, data),
    )
    if isinstance(conversation, Conversation):
        event.conversation = conversation
    else:
        event.conversation_id = conversation
    if isinstance(message, Message):
        event.message = message
    else:
        event.message_id = message
    return event


def append(conversation_id: int, kind: str, **fields: Any) -> Event:
    event = entry(conversation_id, kind, **fields)
    event.save()
    return event


def append_all(events: Iterable[Event]) -> None:
    bulk.insert(events)


def of(conversation_id: int) -> QuerySet[Event]:
    """The whole timeline, oldest first, with the people it names."""
    return (
        Event.objects.filter(conversation_id=conversation_id)
        .select_related("actor", "person")
        .order_by("at", "pk")
    )
