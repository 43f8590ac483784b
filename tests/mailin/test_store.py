from __future__ import annotations

import pytest

from handoff.mailin.models import RawMessage
from handoff.mailin.store import Incoming, store, store_many
from tests.helpers import mail

pytestmark = pytest.mark.django_db


def test_the_same_delivery_twice_is_one_message() -> None:
    raw = mail("a@client.example")
    first = store(Incoming(raw, "test"))
    second = store(Incoming(raw, "test"))
    assert first.created
    assert not second.created
    assert second.raw_id == first.raw_id
    assert RawMessage.objects.count() == 1


def test_same_message_id_and_body_through_other_relays_is_one_message() -> None:
    raw = mail("a@client.example")
    store(Incoming(b"Received: from mx1.example\n" + raw, "test"))
    again = store(Incoming(b"Received: from mx2.example\n" + raw, "test"))
    assert not again.created


def test_same_message_id_with_another_body_is_kept_too() -> None:
    store(Incoming(mail("a@client.example", body="one"), "test"))
    other = store(Incoming(mail("a@client.example", body="two"), "test"))
    assert other.created
    assert RawMessage.objects.filter(message_id="a@client.example").count() == 2


def test_bytes_are_kept_exactly() -> None:
    raw = b"From: a@b.example\r\nSubject: caf\xe9\r\n\r\nC:\\Users\\julie\r\n"
    stored = store(Incoming(raw, "test"))
    assert bytes(RawMessage.objects.get(pk=stored.raw_id).data) == raw


def test_duplicates_within_one_batch_are_stored_once() -> None:
    raw = mail("a@client.example")
    results = store_many([Incoming(raw, "test"), Incoming(raw, "test")])
    assert [r.created for r in results] == [True, False]
    assert [r.pending for r in results] == [True, False]


def test_an_unprocessed_row_is_handed_back_as_pending() -> None:
    raw = mail("a@client.example")
    store(Incoming(raw, "test"))
    again = store(Incoming(raw, "test"))
    assert again.pending  # an interrupted run left it unprocessed: the next one processes it


def test_oversized_mail_is_cut_and_flagged(settings) -> None:
    settings.MAX_MESSAGE_BYTES = 2048
    stored = store(Incoming(mail("big@client.example", body="x" * 5000), "test"))
    row = RawMessage.objects.get(pk=stored.raw_id)
    assert row.size > 5000
    assert len(row.data) == 2048
    assert "cut" in row.flag
