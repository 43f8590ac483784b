"""Full-text search over the desk's mail and notes: who wrote (name and address), the
subject, the text, and the team's notes. SQLite's FTS5 on the embedded default, PostgreSQL's
full-text search (a ``tsvector`` under a GIN index, each message in the configuration of its
language) on PostgreSQL; the same two functions either way.

The index is written as mail is recorded (the pipeline, which also fills a new index and
the demo's bulk history: ``handoff.pipeline.indexing``; a note), never on a page view. One
row per message (its id) and per note (minus its event's id), each naming its conversation.
What a person types is never query syntax: it is cut into words, each quoted, so ``"``,
``*``, ``NEAR`` or an unbalanced parenthesis are just characters.

A common word matches most of a large desk: the matches are ranked among the most recent
``RECENT`` of them, which is what a person searching a help desk looks for, and keeps a
search fast whatever the size of the desk."""

# ruff: noqa: S608 - the table's name is a constant; what a person typed is always a parameter

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "tickets_search"
RECENT = 2000  # matches ranked, the most recent first
MOST_BODY = 50_000  # characters of a message's text indexed
MOST_WORDS = 12
CONFIGS = {"fr": "french", "en": "english", "de": "german", "es": "spanish", "pt": "portuguese"}
START, END = "\x01", "\x02"  # around a matching word in a snippet (escaped, then marked)
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Entry:
    key: int  # the message's id, or minus a note's event id
    conversation: int
    sender: str
    subject: str
    body: str
    language: str = ""


@dataclass(frozen=True, slots=True)
class Hit:
    conversation: int
    key: int
    rank: float  # higher is better


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:MOST_WORDS]


def postgres() -> bool:
    return connection.vendor == "postgresql"


# ------------------------------------------------------------------ the schema


def create(schema_connection: BaseDatabaseWrapper) -> None:
    with schema_connection.cursor() as cursor:
        if schema_connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, conversation integer NOT NULL, "
                "sender text NOT NULL, subject text NOT NULL, body text NOT NULL, "
                "document tsvector NOT NULL)"
            )
            cursor.execute(f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin (document)")
        else:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {TABLE} USING fts5(conversation UNINDEXED, sender, "
                "subject, body, tokenize = 'unicode61 remove_diacritics 2')"
            )


def drop(schema_connection: BaseDatabaseWrapper) -> None:
    with schema_connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


# ------------------------------------------------------------------ writing


def add(entries: Iterable[Entry]) -> None:
    rows = list(entries)
    if not rows:
        return
    with connection.cursor() as cursor:
        if postgres():
            cursor.executemany(
                f"INSERT INTO {TABLE} (id, conversation, sender, subject, body, document) "
                "VALUES (%s, %s, %s, %s, %s, "
                "setweight(to_tsvector('simple', translate(%s, '@.', '  ')), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'C')) ON CONFLICT (id) DO UPDATE SET "
                "conversation = EXCLUDED.conversation, sender = EXCLUDED.sender, "
                "subject = EXCLUDED.subject, body = EXCLUDED.body, document = EXCLUDED.document",
                [
                    (
                        e.key, e.conversation, e.sender, e.subject, e.body[:MOST_BODY],
                        e.sender, _config(e.language), e.subject, _config(e.language),
                        e.body[:MOST_BODY],
                    )
                    for e in rows
                ],
            )  # fmt: skip
            return
        cursor.executemany(
            f"INSERT OR REPLACE INTO {TABLE} (rowid, conversation, sender, subject, body) "
            "VALUES (%s, %s, %s, %s, %s)",
            [(e.key, e.conversation, e.sender, e.subject, e.body[:MOST_BODY]) for e in rows],
        )


def _config(language: str) -> str:
    return CONFIGS.get(language, "simple")


def move(source: int, into: int) -> None:
    """A merge: the source's rows now name the conversation they were merged into."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET conversation = %s WHERE conversation = %s", [into, source]
        )


def reassign(keys: Sequence[int], to: int, was: int) -> None:
    """A merge undone: these rows (of ``was``) name their own conversation again."""
    with connection.cursor() as cursor:
        key = "id" if postgres() else "rowid"
        for start in range(0, len(keys), 500):
            chunk = list(keys[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {TABLE} SET conversation = %s WHERE conversation = %s "
                f"AND {key} IN ({marks})",
                [to, was, *chunk],
            )


# ------------------------------------------------------------------ reading


def find(text: str) -> list[Hit]:
    """The best match of each conversation, best first (an empty list for no words)."""
    found = words(text)
    if not found:
        return []
    with connection.cursor() as cursor:
        if postgres():
            plain = " ".join(found)
            cursor.execute(
                f"WITH q AS (SELECT plainto_tsquery('simple', %s) || "
                "plainto_tsquery('english', %s) || plainto_tsquery('french', %s) AS query) "
                f"SELECT id, conversation, ts_rank(document, q.query) FROM {TABLE}, q "
                "WHERE document @@ q.query ORDER BY id DESC LIMIT %s",
                [plain, plain, plain, RECENT],
            )
        else:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in found)
            cursor.execute(
                f"SELECT rowid, conversation, -bm25({TABLE}, 0, 4.0, 3.0, 1.0) FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s",
                [match, RECENT],
            )
        rows = cursor.fetchall()
    best: dict[int, Hit] = {}
    for key, conversation, rank in rows:
        if conversation not in best or rank > best[conversation].rank:
            best[conversation] = Hit(conversation, key, float(rank))
    return sorted(best.values(), key=lambda h: (-h.rank, -h.key))


def snippets(text: str, keys: Sequence[int]) -> dict[int, str]:
    """For each row of ``keys``: a few words around the matches, each match between
    ``START`` and ``END`` (to be escaped, then marked, by the page)."""
    found = words(text)
    if not found or not keys:
        return {}
    with connection.cursor() as cursor:
        if postgres():
            plain = " ".join(found)
            cursor.execute(
                "WITH q AS (SELECT plainto_tsquery('simple', %s) || "
                "plainto_tsquery('english', %s) || plainto_tsquery('french', %s) AS query) "
                "SELECT id, ts_headline('simple', subject || ' — ' || left(body, 5000), q.query, "
                "%s) FROM " + TABLE + ", q WHERE id = ANY(%s)",
                [plain, plain, plain, f"StartSel={START}, StopSel={END}, MaxWords=24, MinWords=8",
                 list(keys)],
            )  # fmt: skip
        else:
            match = " ".join('"' + w.replace('"', '""') + '"' for w in found)
            marks = ", ".join(["%s"] * len(keys))
            cursor.execute(
                f"SELECT rowid, snippet({TABLE}, -1, %s, %s, '…', 16) FROM {TABLE} "
                f"WHERE {TABLE} MATCH %s AND rowid IN ({marks})",
                [START, END, match, *keys],
            )
        return dict(cursor.fetchall())
