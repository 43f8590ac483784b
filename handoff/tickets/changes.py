"""What a person changes on a conversation, each change on its timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from handoff.mailin.importers import CHANNEL as IMPORTED
from handoff.tickets import ingest, merging, search, timeline
from handoff.tickets.models import Conversation, Event, Message


def set_status(conversation: Conversation, status: str, *, actor_id: int | None) -> bool:
    """Set the status (new, open, waiting on the customer, solved); False if it already was."""
    if status not in Conversation.Status.values:
        raise ValueError(f"not a status: {status!r}")
    with transaction.atomic():
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if current.status == status:
            return False
        timeline.append(
            current.pk,
            Event.Kind.STATUS,
            actor_id=actor_id,
            to=status,
            **{"from": current.status},
        )
        current.status = status
        current.save(update_fields=["status"])
    conversation.status = status
    return True


def merge(source: Conversation, into: Conversation, *, actor_id: int | None) -> None:
    """A person joins two conversations that are one (the customer wrote again without
    replying): everything of ``source`` moves into ``into``, ``source`` points there. Both
    timelines say so: the target's names the source, the source's names the target."""
    if source.pk == into.pk:
        raise ValueError("a conversation cannot be merged into itself")
    with transaction.atomic():
        ingest.lock_threading()  # no message is threaded into ``source`` meanwhile
        source = Conversation.objects.select_for_update().get(pk=source.pk)
        into = Conversation.objects.select_for_update().get(pk=into.pk)
        if source.merged_into_id is not None or into.merged_into_id is not None:
            raise ValueError("one of the two conversations was merged meanwhile")
        merging.merge(source, into=into, actor_id=actor_id)
        # Written after the move, so it stays on the source (its old history went along).
        timeline.append(source.pk, Event.Kind.MERGED, actor_id=actor_id, into=into.pk)


def separate(source_id: int, into: Conversation, *, actor_id: int | None) -> Conversation:
    """Undo a person's merge of ``source_id`` into ``into``, from what the merge recorded:
    the source's messages, threading keys, timeline and people go back to it. Raises
    ValueError when it is no longer merged there, or the merge recorded nothing to undo."""
    with transaction.atomic():
        ingest.lock_threading()  # no message is threaded meanwhile
        source = Conversation.objects.select_for_update().get(pk=source_id)
        into = Conversation.objects.select_for_update().get(pk=into.pk)
        if source.merged_into_id != into.pk:
            raise ValueError("not merged into this conversation")
        merged = (
            Event.objects.filter(conversation=into, kind=Event.Kind.MERGED, data__from=source.pk)
            .order_by("-at", "-pk")
            .first()
        )
        if merged is None or "messages" not in merged.data:
            raise ValueError("this merge recorded nothing to undo")
        merging.separate(source, into=into, merged=merged)
        for pk, other in ((source.pk, into.pk), (into.pk, source.pk)):
            timeline.append(
                pk, Event.Kind.SEPARATED, actor_id=actor_id, **{"from": source.pk, "into": other}
            )
    return source


NOTE_CHARS = 20_000


def add_note(conversation: Conversation, text: str, *, actor_id: int | None) -> Event:
    """A note for the team on the conversation's timeline; never sent to anyone."""
    text = text.strip()
    if not text:
        raise ValueError("an empty note")
    if len(text) > NOTE_CHARS:
        raise ValueError(f"a note of more than {NOTE_CHARS} characters")
    event = timeline.append(conversation.pk, Event.Kind.NOTE, actor_id=actor_id, text=text)
    search.add([search.Entry(-event.pk, conversation.pk, "", "", text)])
    return event


def archive(ids: Iterable[int], before: datetime, now: datetime) -> list[int]:
    """Imported history: of these conversations, the ones known from imports alone whose last
    message is older than ``before`` are solved, their timeline saying so (no one is asked to
    answer mail the founder's old mailbox already lived with); the customer writing again
    reopens them. One solved this way before, which a later part of the same import
    reopened, is solved again without a second row. The ids of those solved."""
    with transaction.atomic():
        # Only what the desk knows from imports alone: a conversation it already handled (a
        # reply from the desk, live mail) stays as it is, whatever an old message adds to it.
        handled = Message.objects.filter(conversation=OuterRef("pk")).exclude(raw__channel=IMPORTED)
        rows = list(
            Conversation.objects.select_for_update()
            .filter(pk__in=list(ids), merged_into=None, last_message_at__lt=before)
            .exclude(status=Conversation.Status.SOLVED)
            .exclude(Exists(handled))
            .order_by("pk")
        )
        if not rows:
            return []
        last = {}  # each one's last status row: (reason, to)
        for pk, data in (
            Event.objects.filter(conversation__in=rows, kind=Event.Kind.STATUS)
            .order_by("at", "pk")
            .values_list("conversation_id", "data")
        ):
            last[pk] = ((data or {}).get("reason"), (data or {}).get("to"))
        said: dict[str, Any] = {"to": Conversation.Status.SOLVED, "reason": timeline.HISTORY}
        said["before"] = before.isoformat()
        events = [
            timeline.entry(row.pk, Event.Kind.STATUS, at=now, **(said | {"from": row.status}))
            for row in rows
            if last.get(row.pk) != (timeline.HISTORY, Conversation.Status.SOLVED)
        ]
        timeline.append_all(events)
        Conversation.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Conversation.Status.SOLVED
        )
    return [row.pk for row in rows]
