"""``handoff.db.bulk.insert`` writes what ``bulk_create`` writes, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection
from django.utils.translation import gettext_lazy

from handoff.db import bulk
from handoff.tickets.models import Conversation, Event, Message, Participant

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
COLUMNS = ["conversation_id", "kind", "at", "actor_id", "person_id", "message_id", "data"]


def conversation(subject: str = "Facture de mars") -> Conversation:
    return Conversation.objects.create(subject=subject, subject_key=subject.lower())


def events(conversation_id: int, count: int) -> list[Event]:
    return [
        Event(
            conversation_id=conversation_id,
            kind=Event.Kind.TRIAGED if i % 2 else "clock",
            at=AT + timedelta(minutes=i),
            data={"lane": "team", "confidence": 0.25 * (i % 4), "note": "été ✓", "n": [i, None]},
        )
        for i in range(count)
    ]


def rows(queryset: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in queryset.order_by("pk").values_list(*COLUMNS)]


def test_rows_and_ids_are_those_bulk_create_writes() -> None:
    first, second = conversation(), conversation("Devis")
    mine = bulk.insert(events(first.pk, 5))
    django = Event.objects.bulk_create(events(second.pk, 5))
    assert [e.pk for e in mine] == sorted(e.pk for e in mine)
    assert all(not e._state.adding for e in mine)
    ours = rows(Event.objects.filter(conversation=first))
    theirs = rows(Event.objects.filter(conversation=second))
    assert [r[1:] for r in ours] == [r[1:] for r in theirs]
    assert [e.pk for e in mine] == list(
        Event.objects.filter(conversation=first).order_by("pk").values_list("pk", flat=True)
    )
    assert Event.objects.get(pk=mine[1].pk).data == {
        "lane": "team",
        "confidence": 0.25,
        "note": "été ✓",
        "n": [1, None],
    }
    assert len(django) == 5


def test_more_rows_than_one_statement_takes() -> None:
    parent = conversation()
    many = events(parent.pk, 3 * connection.ops.bulk_batch_size(Event._meta.concrete_fields, []))
    bulk.insert(many)
    assert Event.objects.filter(conversation=parent).count() == len(many)
    assert len({e.pk for e in many}) == len(many)


def test_a_foreign_key_comes_from_the_related_object_saved_since() -> None:
    parent = Conversation(subject="Nouveau", subject_key="nouveau")
    message = Message(
        conversation=parent, message_id="a@client.example", direction="in", received_at=AT
    )
    bulk.insert([parent])
    bulk.insert([message])
    stored = Message.objects.get(pk=message.pk)
    assert stored.conversation_id == parent.pk
    assert message.conversation is parent  # the cache kept: no query to read it back


def test_an_unsaved_related_object_is_refused() -> None:
    message = Message(conversation=Conversation(subject="x"), message_id="b@client.example")
    with pytest.raises(ValueError, match="not saved"):
        bulk.insert([message])


def test_conflicts_ignored_or_updated() -> None:
    parent = conversation()
    bulk.insert([Participant(conversation=parent, address="a@client.example", name="A")])
    again = [
        Participant(conversation=parent, address="a@client.example", name="Changed"),
        Participant(conversation=parent, address="b@client.example", name="B"),
    ]
    bulk.insert(again, ignore_conflicts=True)
    assert dict(Participant.objects.values_list("address", "name")) == {
        "a@client.example": "A",
        "b@client.example": "B",
    }
    with pytest.raises(IntegrityError):
        bulk.insert([Participant(conversation=parent, address="b@client.example")])


def test_an_upsert_changes_only_the_fields_named() -> None:
    parent = conversation()
    changed = Conversation(
        pk=parent.pk,
        subject="Other subject",
        subject_key="other",
        message_count=7,
        last_message_at=AT,
        status=Conversation.Status.OPEN,
    )
    created = Conversation(subject="New one", subject_key="new one")
    bulk.insert([changed, created], update=["message_count", "last_message_at", "status"])
    parent.refresh_from_db()
    assert (parent.subject, parent.message_count, parent.last_message_at, parent.status) == (
        "Facture de mars",
        7,
        AT,
        "open",
    )
    assert Conversation.objects.get(pk=created.pk).subject == "New one"


def test_values_that_need_preparing_are_prepared() -> None:
    parent = conversation()
    # A lazy string, an id given as text, a time in another zone.
    event = Event(
        conversation_id=str(parent.pk),
        kind=gettext_lazy("note"),
        at=datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Paris")),
    )
    bulk.insert([event])
    stored = Event.objects.get(pk=event.pk)
    assert (stored.conversation_id, stored.kind, stored.at) == (parent.pk, "note", AT)
