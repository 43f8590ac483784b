"""The database's tables, created or brought up to date before a Handoff command uses them."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

# Any fixed number: every Handoff process on one PostgreSQL server agrees on it.
MIGRATE_LOCK = 0x48616E646F6666  # "Handoff"


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def unapplied(connection: BaseDatabaseWrapper) -> int:
    """How many migrations the database lacks (the migration files against the recorder's
    table: two queries, about 30 ms, when it lacks none)."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_schema(stderr: Writer) -> None:
    """Migrate when the database is new or behind, as `handoff migrate` would, saying so."""
    connection = connections[DEFAULT_DB_ALIAS]
    if not unapplied(connection):
        return
    with exclusive(connection):
        # Another process may have migrated while this one waited for the lock.
        missing = unapplied(connection)
        if not missing:
            return
        where = describe(connection)
        if MigrationRecorder(connection).has_table():
            plural = "s" if missing > 1 else ""
            stderr.write(f"handoff: applying {missing} new database migration{plural} ({where})\n")
        else:
            stderr.write(f"handoff: new database, creating its tables ({where})\n")
        call_command("migrate", interactive=False, verbosity=0)
        from handoff.pipeline import indexing  # models: only once Django is set up

        if added := indexing.populate():  # the search index of a desk that had none
            stderr.write(f"handoff: {added} messages and notes added to the search index\n")


@contextmanager
def exclusive(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """One migrating process at a time: several workers may start together after an upgrade."""
    if connection.vendor == "sqlite":
        with sqlite_lock(connection.settings_dict["NAME"]):
            yield
        return
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK])


@contextmanager
def sqlite_lock(name: object) -> Iterator[None]:
    # flock() on the database file: independent of the fcntl() locks SQLite takes on it.
    if str(name).startswith(":memory:") or str(name).startswith("file:"):
        yield
        return
    with open(str(name), "ab") as database:
        fcntl.flock(database, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(database, fcntl.LOCK_UN)


def describe(connection: BaseDatabaseWrapper) -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite at {database['NAME']}"
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"{connection.display_name} database {database['NAME']} on {host}{port}"
