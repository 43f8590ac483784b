"""Bytes first: the one function every channel calls before anything else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from handoff.db import bulk
from handoff.lib import rawmail
from handoff.mailin.models import RawMessage


@dataclass(frozen=True, slots=True)
class Incoming:
    data: bytes
    channel: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Stored:
    raw_id: int
    created: bool  # False: the same delivery was already stored
    pending: bool  # not yet processed (new, or left over by an interrupted run)
    flag: str
    message_id: str


def _row(item: Incoming) -> RawMessage:
    data = item.data
    envelope = rawmail.envelope(data)
    flags = []
    if not envelope.looks_like_mail:
        flags.append("no usual mail header")
    if len(data) > settings.MAX_MESSAGE_BYTES:
        flags.append(f"larger than {settings.MAX_MESSAGE_BYTES} bytes: cut")
        data = data[: settings.MAX_MESSAGE_BYTES]
    return RawMessage(
        content_hash=envelope.content_hash,
        message_id=envelope.message_id,
        derived_id=envelope.derived_id,
        data=data,
        size=len(item.data),
        channel=item.channel,
        source=item.source[:1000],
        flag="; ".join(flags),
    )


def store_many(items: Sequence[Incoming]) -> list[Stored]:
    """Store a batch in one transaction (committed on return), in order.

    Rows that are already there are not touched: their id and state are
    returned so that an interrupted run's pending rows get processed.
    """
    try:
        return _store_many(items)
    except IntegrityError:
        # Another process stored one of these deliveries between our read and
        # our write: the second attempt sees its row.
        return _store_many(items)


def _store_many(items: Sequence[Incoming]) -> list[Stored]:
    rows = [_row(item) for item in items]
    hashes = [row.content_hash for row in rows]
    with transaction.atomic():
        existing = {
            h: (pk, state, flag)
            for h, pk, state, flag in RawMessage.objects.filter(
                content_hash__in=hashes
            ).values_list("content_hash", "id", "state", "flag")
        }
        fresh: dict[str, RawMessage] = {}
        for row in rows:
            if row.content_hash not in existing and row.content_hash not in fresh:
                fresh[row.content_hash] = row
        bulk.insert(fresh.values())
    result: list[Stored] = []
    seen: set[str] = set()
    for row in rows:
        h = row.content_hash
        if h in fresh and h not in seen:
            result.append(Stored(fresh[h].pk, True, True, row.flag, row.message_id))
        else:
            pk, state, flag = existing.get(h) or (fresh[h].pk, RawMessage.State.PENDING, row.flag)
            result.append(
                Stored(
                    pk,
                    False,
                    state == RawMessage.State.PENDING and h not in fresh,
                    flag,
                    row.message_id,
                )
            )
        seen.add(h)
    return result


def store(item: Incoming) -> Stored:
    return store_many([item])[0]
