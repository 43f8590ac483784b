"""The history's stories as rows: the raw mail's bytes, and one tuple per row of every table
the pipeline, routing and the desk write, inserted with ``executemany`` (SQLite) or
``COPY`` (PostgreSQL).

Ids are taken before the rows are written (the next ones on SQLite, whose transaction
holds the write lock; ``nextval`` on PostgreSQL), so that the rows name each other
without reading anything back. Each table's columns are checked against its model: a
field added to a model stops the history with its name, rather than writing rows that
miss it.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection as default_connection
from django.db.models import Model

from handoff.demo.history_mail import raw_mail
from handoff.demo.history_story import Mail, Story
from handoff.desk.models import Peek, Rating
from handoff.lib.subjects import subject_key
from handoff.mailin.models import RawMessage
from handoff.routing.clocks import Dues
from handoff.routing.models import Clock
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event, Message, Participant, ThreadRef
from handoff.triage.models import ConversationLane, Decision

SOURCE = "demo-history"  # RawMessage.source of the history's mail
CLOCK_FIELDS = (
    "routed team_id policy_id assignee_id assigned_at lane category language customer "
    "is_open snoozed_until first_response_due first_response_warn first_responded_at "
    "next_response_started next_response_due next_response_warn resolution_due "
    "resolution_warn resolved_at respond_by earliest_due next_check_at ladder breached_at "
    "at_risk updated_at"
)
DUES = (
    "first_response_due",
    "first_response_warn",
    "first_responded_at",
    "next_response_started",
    "next_response_due",
    "next_response_warn",
    "resolution_due",
    "resolution_warn",
    "resolved_at",
)


@functools.cache
def founder_of(scores: str) -> float | None:
    """``Decision.founder_of`` of a demo decision's scores, as JSON: a few dozen of them."""
    return Decision.founder_of(json.loads(scores))


def utc(at: float) -> datetime:
    return datetime.fromtimestamp(at, UTC)


@contextmanager
def bulk_load() -> Iterator[None]:
    """While the history is written: on SQLite, a big page cache and no fsync (a crash
    leaves a demo to make again, not a desk's data), restored after. Then the planner's
    statistics, on both databases: without them SQLite reads a conversation's pauses
    through the index of every pause of the desk (a second per thousand conversations)."""
    # Not within a transaction (a test's): SQLite refuses to change its safety level there.
    sqlite = default_connection.vendor == "sqlite" and not default_connection.in_atomic_block
    cache = None
    if sqlite:
        with default_connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size = -500000")  # KiB: 500 MB
            cursor.execute("PRAGMA synchronous = OFF")
    try:
        yield
    finally:
        with default_connection.cursor() as cursor:
            if sqlite:
                cursor.execute(f"PRAGMA cache_size = {cache}")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("ANALYZE")


@dataclass(frozen=True, slots=True)
class ClockState:
    policy_id: int | None
    team_id: int | None
    dues: Dues
    is_open: bool
    ladder: dict[str, str]
    next_check: datetime | None


class Table:
    """One table's rows, as tuples in the order of ``names`` (the model's attnames)."""

    def __init__(self, model: type[Model], names: Sequence[str], connection: Any) -> None:
        meta = model._meta
        fields = {f.attname: f for f in meta.concrete_fields}
        expected = set(fields) - ({"id"} if "id" not in names else set())
        if set(names) != expected:
            raise RuntimeError(
                f"{meta.label}: the history writes {sorted(names)}, "
                f"the model has {sorted(expected)}"
            )
        quote = connection.ops.quote_name
        columns = ", ".join(quote(fields[n].column) for n in names)
        marks = ", ".join(["%s"] * len(names))
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        self.postgresql = connection.vendor == "postgresql"
        self.model = model
        self.rows: list[tuple[Any, ...]] = []

    def write(self, cursor: Any) -> int:
        if not self.rows:
            return 0
        if self.postgresql:  # COPY: several times faster than a statement per row
            with cursor.cursor.copy(self.copy) as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            cursor.executemany(self.sql, self.rows)
        return len(self.rows)


def reserve(cursor: Any, connection: Any, model: type[Model], count: int) -> Sequence[int]:
    """``count`` ids for new rows of ``model``, within the caller's transaction."""
    table = model._meta.db_table
    if not count:
        return []
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]
    cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
    top = cursor.fetchone()[0] or 0
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    found = cursor.fetchone()
    first = max(top, found[0] if found else 0) + 1
    return range(first, first + count)


# -- the rows ------------------------------------------------------------------------------


class Tables:
    """The rows of a batch of stories, written together."""

    def __init__(self, connection: Any, contacts: Counter[str], version: int | None) -> None:
        self.connection, self.contacts, self.version = connection, contacts, version
        sqlite = connection.vendor == "sqlite"
        self.when = (lambda at: str(utc(at).replace(tzinfo=None))) if sqlite else utc

        def table(model: type[Model], names: str) -> Table:
            return Table(model, names.split(), connection)

        self.conversations = table(
            Conversation,
            "id subject subject_key status created_at last_message_at message_count merged_into_id",
        )
        self.raw = table(
            RawMessage,
            "id content_hash message_id derived_id data size channel "
            "source received_at state flag error",
        )
        self.messages = table(
            Message,
            "id conversation_id raw_id message_id direction "
            "from_name from_address to cc subject sent_at received_at "
            "in_reply_to references text html headers warnings noise "
            "noise_reason thanks delivery_state delivery_error",
        )
        self.decisions = table(
            Decision,
            "message_id lane category language confidence "
            "needs_triage layer explanation priority tags team scores founder_score "
            "version_id decided_at received_at",
        )
        self.events_table = table(
            Event, "conversation_id kind at actor_id person_id message_id data"
        )
        self.people = table(Participant, "conversation_id address name domain")
        self.refs = table(ThreadRef, "key conversation_id")
        self.lanes = table(
            ConversationLane,
            "conversation_id lane category language priority "
            "tags team tags_by_hand priority_by_hand moved_to moved_at moved_by_id updated_at",
        )
        self.clocks = table(Clock, f"conversation_id {CLOCK_FIELDS}")
        self.ratings = table(Rating, "conversation_id reply_id score comment at")
        self.peeks = table(Peek, "user_id kind at conversation_id what")
        self.stories: list[tuple[Story, ClockState]] = []
        self.events = 0

    def stamp(self, at: datetime | None) -> Any:
        return None if at is None else self.when(at.timestamp())

    def add(self, story: Story, clock: ClockState) -> None:
        self.stories.append((story, clock))

    def write(self) -> int:
        """Every row of the stories added; how many messages."""
        connection = self.connection
        mails = sum(len(s.mails) for s, _ in self.stories)
        with connection.cursor() as cursor:
            conversations = reserve(cursor, connection, Conversation, len(self.stories))
            raws = reserve(cursor, connection, RawMessage, mails)
            messages = reserve(cursor, connection, Message, mails)
            start = 0
            for (story, clock), number in zip(self.stories, conversations, strict=True):
                end = start + len(story.mails)
                self.story(story, clock, number, messages[start:end], raws[start:end])
                start = end
            for table in (
                self.conversations,
                self.raw,
                self.messages,
                self.decisions,
                self.events_table,
                self.people,
                self.refs,
                self.lanes,
                self.clocks,
                self.ratings,
                self.peeks,
            ):
                table.write(cursor)
        self.events = len(self.events_table.rows)
        return mails

    def story(
        self, s: Story, clock: ClockState, number: int, ids: Sequence[int], raws: Sequence[int]
    ) -> None:
        when, first = self.when, s.mails[0]
        last_at = max(m.at for m in s.mails)
        self.conversations.rows.append(
            (
                number,
                first.subject[:500],
                subject_key(first.subject),
                s.status,
                when(first.at),
                when(last_at),
                len(s.mails),
                None,
            )
        )
        people: dict[str, str] = {}
        for mail, mid, rid in zip(s.mails, ids, raws, strict=True):
            self.mail(mail, number, mid, rid, people)
            if s.lane == "founder" and s.moved is None and mail.out and not mail.kind:
                self.contacts[mail.to[1].lower()] += 1
        self.people.rows += [(number, a, n, Participant.domain_of(a)) for a, n in people.items()]
        self.events_table.rows += [
            (
                number,
                kind,
                when(at),
                actor,
                person,
                None if index is None else ids[index],
                json.dumps(timeline.check(kind, data)),
            )
            for kind, at, actor, person, index, data in s.steps
        ]
        moved = ("founder", when(s.moved[0]), s.moved[1]) if s.moved else ("", None, None)
        category = "founder" if s.lane == "founder" and s.moved is None else s.category
        self.lanes.rows.append(
            (
                *(number, s.lane, category, s.language, "", "[]", "", False, False),
                *(*moved, when(last_at + 1.5)),
            )
        )
        dues, is_open = clock.dues, clock.is_open
        self.clocks.rows.append(
            (
                number,
                s.routed,
                clock.team_id,
                clock.policy_id,
                s.assignee,
                None if s.assigned_at is None else when(s.assigned_at),
                s.lane,
                category,
                s.language,
                s.customer,
                is_open,
                None,
                *(self.stamp(getattr(dues, name)) for name in DUES),
                self.stamp(dues.respond_by if is_open else None),
                self.stamp(dues.earliest_due if is_open else None),
                self.stamp(clock.next_check),
                json.dumps(clock.ladder),
                None if s.breached_at is None else when(s.breached_at),
                False,
                when(s.routed_at or first.at),
            )
        )
        self.ratings.rows += [
            (number, ids[reply], score, comment, when(at))
            for reply, score, comment, at in s.ratings
        ]
        founder = next((step[2] for step in s.steps if step[0] == "peek"), None)
        self.peeks.rows += [(founder, "conversation", when(at), number, "") for at in s.peeks]

    def mail(self, mail: Mail, number: int, mid: int, rid: int, people: dict[str, str]) -> None:
        when = self.when
        raw, content_hash, headers = raw_mail(mail)
        at = when(mail.at)
        self.raw.rows.append(
            (
                rid,
                content_hash,
                mail.msgid,
                False,
                raw,
                len(raw),
                "demo",
                SOURCE,
                at,
                "done",
                "",
                "",
            )
        )
        sender = mail.sender[1].lower()
        parent = list(mail.references[-1:])
        self.messages.rows.append(
            (
                mid,
                number,
                rid,
                mail.msgid,
                "out" if mail.out else "in",
                mail.sender[0],
                sender,
                json.dumps([list(mail.to)]),
                "[]",
                mail.subject,
                at,
                at,
                json.dumps(parent),
                json.dumps(list(mail.references)),
                mail.text,
                "",
                headers,
                "[]",
                mail.kind,
                mail.reason,
                mail.thanks,
                "",
                "",
            )
        )
        decided = mail.decision
        version = self.version if decided.layer == "classifier" else None
        self.decisions.rows.append(
            (
                mid,
                decided.lane,
                decided.category,
                decided.language,
                decided.confidence,
                decided.needs_triage,
                decided.layer,
                decided.explanation[:500],
                "",  # priority
                "[]",  # tags
                "",  # team
                decided.scores,
                founder_of(decided.scores),
                version,
                when(mail.at + 1.5),  # the pipeline's turn
                at,
            )
        )
        people.setdefault(sender, mail.sender[0])
        people.setdefault(mail.to[1].lower(), mail.to[0])
        parents = dict.fromkeys((*parent, *mail.references, *mail.bounced))
        self.refs.rows += [(key, number) for key in parents]
