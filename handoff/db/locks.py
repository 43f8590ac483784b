"""Advisory locks, for work that two workers must not do at once: PostgreSQL's, keyed by a
constant of the caller's (shared by every worker) and, for per-row work, each row's id.
Nothing on SQLite, where one writer at a time holds the database (the desk's transactions
are IMMEDIATE) and workers are processes of one machine."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

ID_KEYS = 2**31 - 1  # ids taken modulo this, into the lock's second (int4) key
# PostgreSQL's lock table holds 64 locks per connection by default (seen here: twelve
# thousand advisory locks in one transaction fit, twenty thousand did not: "out of shared
# memory"). Past this many ids, a caller takes the key alone, for all of them at once.
MANY = 1000


def wait(key: int, ids: Sequence[int] = ()) -> None:
    """Within a transaction, until it ends: wait for any other holder of ``key``, or of
    ``key`` with each of ``ids`` (taken in their order: two callers that sort their ids
    never wait for each other in turn).

    A caller of a few ids takes ``key`` shared, then one lock per id: callers of other ids
    go on at once. A caller of the key alone, or of more than ``MANY`` ids, takes ``key``
    exclusively: it waits for every holder of any id and they for it, and the lock table
    never fills. (A transaction that calls again keeps what it took: callers that loop
    over chunks within one transaction lock the whole first, ``lanes.refresh``.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ids and len(ids) <= MANY:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [key])
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, (id %% %s)::int) FROM unnest(%s::bigint[]) AS id",
                [key, ID_KEYS, list(ids)],
            )
        else:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@contextmanager
def alone(key: int) -> Iterator[bool]:
    """Whether no other session holds ``key``, which this one then holds until the block
    ends (without waiting: a caller that is not alone leaves the work to the other)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (first,) = cursor.fetchone()
    try:
        yield first
    finally:
        if first:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
