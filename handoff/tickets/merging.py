"""Two conversations that are one, joined (by threading when a reply's parent arrives
late, or by a person), and a person's merge undone: ``merge`` records on the target's
MERGED event what moved, ``separate`` moves it back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Max

from handoff.tickets import search, timeline
from handoff.tickets.models import Conversation, Event, Message, Participant, ThreadRef


def merge(source: Conversation, *, into: Conversation, actor_id: int | None = None) -> None:
    """Move everything of ``source`` into ``into``; ``source`` stays as a pointer."""
    if source.pk == into.pk:
        return
    # What moves, recorded on the target's MERGED event: enough to separate them again.
    participants = [
        list(p)
        for p in Participant.objects.filter(conversation=source).values_list(
            "address", "name", "domain"
        )
    ]
    moved: dict[str, Any] = {
        "messages": list(Message.objects.filter(conversation=source).values_list("pk", flat=True)),
        "refs": list(ThreadRef.objects.filter(conversation=source).values_list("key", flat=True)),
        "events": list(Event.objects.filter(conversation=source).values_list("pk", flat=True)),
        "pointers": list(
            Conversation.objects.filter(merged_into=source).values_list("pk", flat=True)
        ),
        "participants": participants,
        "created": into.created_at.isoformat(),
    }
    Message.objects.filter(conversation=source).update(conversation=into)
    ThreadRef.objects.filter(conversation=source).update(conversation=into)
    Event.objects.filter(conversation=source).update(conversation=into)
    search.move(source.pk, into.pk)
    existing = set(Participant.objects.filter(conversation=into).values_list("address", flat=True))
    moved["joined"] = [p[0] for p in participants if p[0] not in existing]
    Participant.objects.filter(conversation=source, address__in=existing).delete()
    Participant.objects.filter(conversation=source).update(conversation=into)
    Conversation.objects.filter(merged_into=source).update(merged_into=into)
    source.merged_into = into
    source.message_count = 0
    source.save(update_fields=["merged_into", "message_count"])
    first = min(into.created_at, source.created_at)
    last = max(into.last_message_at, source.last_message_at)
    count = Message.objects.filter(conversation=into).count()
    Conversation.objects.filter(pk=into.pk).update(
        created_at=first, last_message_at=last, message_count=count
    )
    into.created_at, into.last_message_at, into.message_count = first, last, count
    timeline.append(into.pk, Event.Kind.MERGED, actor_id=actor_id, **{"from": source.pk}, **moved)


def separate(source: Conversation, *, into: Conversation, merged: Event) -> None:
    """Undo ``merge``: what the MERGED event ``merged`` recorded goes back to ``source``
    (mail that arrived in ``into`` since stays there); both conversations' counts and
    dates follow their messages again."""
    data = merged.data
    Message.objects.filter(pk__in=data["messages"], conversation=into).update(conversation=source)
    ThreadRef.objects.filter(key__in=data["refs"], conversation=into).update(conversation=source)
    Event.objects.filter(pk__in=data["events"], conversation=into).update(conversation=source)
    search.reassign([*data["messages"], *(-pk for pk in data["events"])], source.pk, into.pk)
    Participant.objects.filter(conversation=into, address__in=data["joined"]).delete()
    Participant.objects.bulk_create(
        [
            Participant(conversation=source, address=a, name=n, domain=d)
            for a, n, d in data["participants"]
        ]
    )
    Conversation.objects.filter(pk__in=data["pointers"], merged_into=into).update(
        merged_into=source
    )
    source.merged_into = None
    source.save(update_fields=["merged_into"])
    Conversation.objects.filter(pk=into.pk).update(
        created_at=datetime.fromisoformat(data["created"])
    )
    for conversation in (source, into):
        found = Message.objects.filter(conversation=conversation).aggregate(
            count=Count("pk"), last=Max("received_at")
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            message_count=found["count"], last_message_at=found["last"] or conversation.created_at
        )
