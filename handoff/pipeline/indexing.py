"""The search index's writer for the pipeline: each recorded message, in the configuration
of the language triage found (so that PostgreSQL stems French as French), and the whole
desk at once for a new index or the demo's bulk history."""

# ruff: noqa: S608 - table names are constants; no value comes from outside

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from handoff.tickets import search
from handoff.tickets.models import Message
from handoff.tickets.search import CONFIGS, MOST_BODY, TABLE
from handoff.triage.models import Decision


def index(message_ids: Sequence[int]) -> None:
    languages = dict(
        Decision.objects.filter(message_id__in=message_ids).values_list("message_id", "language")
    )
    rows = Message.objects.filter(pk__in=message_ids).values_list(
        "pk", "conversation_id", "from_name", "from_address", "subject", "text"
    )
    search.add(
        search.Entry(pk, conversation, f"{name} {address}", subject, text, languages.get(pk, ""))
        for pk, conversation, name, address, subject, text in rows
    )


def populate() -> int:
    """Index every message and note not indexed yet, one statement each, in the database.
    Returns the number of rows added."""
    with connection.cursor() as cursor:
        if search.postgres():
            languages = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CONFIGS.items())
            cursor.execute(
                f"INSERT INTO {TABLE} (id, conversation, sender, subject, body, document) "
                "SELECT m.id, m.conversation_id, m.from_name || ' ' || m.from_address, "
                f"m.subject, left(m.text, {MOST_BODY}), "
                "setweight(to_tsvector('simple', "
                "m.from_name || ' ' || translate(m.from_address, '@.', '  ')), 'A') || "
                "setweight(to_tsvector(cfg.c::regconfig, m.subject), 'B') || "
                f"setweight(to_tsvector(cfg.c::regconfig, left(m.text, {MOST_BODY})), 'C') "
                "FROM tickets_message m LEFT JOIN triage_decision d ON d.message_id = m.id "
                f"CROSS JOIN LATERAL (SELECT CASE d.language {languages} ELSE 'simple' END AS c) "
                "cfg ON CONFLICT (id) DO NOTHING"
            )
            added = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {TABLE} (id, conversation, sender, subject, body, document) "
                "SELECT -e.id, e.conversation_id, '', '', e.data->>'text', "
                "to_tsvector('simple', e.data->>'text') FROM tickets_event e "
                "WHERE e.kind = 'note' ON CONFLICT (id) DO NOTHING"
            )
            notes = cursor.rowcount
            # The words' statistics, now: without them the planner takes a rare word for a
            # common one and reads the whole index backwards for it (2.5 s on a million
            # messages, 2 ms with them).
            cursor.execute(f"ANALYZE {TABLE}")
            return int(added + notes)
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, conversation, sender, subject, body) "
            "SELECT m.id, m.conversation_id, m.from_name || ' ' || m.from_address, "
            f"m.subject, substr(m.text, 1, {MOST_BODY}) FROM tickets_message m "
            f"WHERE m.id NOT IN (SELECT rowid FROM {TABLE} WHERE rowid > 0)"
        )
        added = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, conversation, sender, subject, body) "
            "SELECT -e.id, e.conversation_id, '', '', json_extract(e.data, '$.text') "
            "FROM tickets_event e WHERE e.kind = 'note' "
            f"AND -e.id NOT IN (SELECT rowid FROM {TABLE} WHERE rowid < 0)"
        )
        return int(added + cursor.rowcount)
