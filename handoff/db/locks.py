"""Advisory locks, for work that two workers must not do at once: PostgreSQL's, keyed by a
constant of the caller's (shared by every worker) and, for per-row work, each row's id.
Nothing on SQLite, where one writer at a time holds the database (the desk's transactions
are IMMEDIATE) and workers are processes of one machine."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection

ID_KEYS = 2**31 - 1  # ids taken modulo this, into the lock's second (int4) key


def wait(key: int, ids: Sequence[int] = ()) -> None:
    """Within a transaction, until it ends: wait for any other holder of ``key``, or of
    ``key`` with each of ``ids`` (taken in their order: two callers that sort their ids
    never wait for each other in turn). One lock per id: thousands at once would fill
    PostgreSQL's lock table (64 per connection by default): callers batch."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ids:
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
