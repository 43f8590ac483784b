"""handoff import PATH...: .eml files, directories, Maildir and mbox through the whole pipeline."""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from handoff.lib.reading import read
from handoff.mailin import importers
from handoff.mailin.importers import Rejected
from handoff.mailin.store import Incoming, Stored, store_many
from handoff.pipeline.pool import Batch, Reading, has_model
from handoff.pipeline.process import IMPORT_OPEN_DAYS, process
from handoff.pipeline.tasks import process_imported
from handoff.tickets import ingest
from handoff.tickets.models import Conversation, Message

BATCH = 250
# Batches given to the pool ahead of the one being written: with one, the pool sat idle
# whenever it finished before the writer; with two, both cores stay busy.
AHEAD = 2
# Batches read ahead while the pool is still without the model, before the first is written.
HELD = 6


class Command(BaseCommand):
    reading: Reading | None = None
    help = "Import .eml files, directories of them, Maildir folders and mbox files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help=".eml files, directories of them (recursively), Maildir folders, mbox files",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON summary")
        parser.add_argument(
            "--background",
            action="store_true",
            help="only store; `handoff work` takes the messages through the pipeline",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that parse in parallel (default: one per core)",
        )
        parser.add_argument(
            "--open-days",
            type=int,
            default=IMPORT_OPEN_DAYS,
            metavar="DAYS",
            help="conversations whose last message is older than this many days are imported "
            "as history: solved, searchable, nobody's work until the customer writes again "
            f"(default {IMPORT_OPEN_DAYS}; 0: all of them)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["open_days"] < 0:
            raise CommandError(f"--open-days must be 0 or more, not {options['open_days']}")
        started_at = timezone.now()
        self.history_before = started_at - timedelta(days=options["open_days"])
        self.history: set[int] = set()  # conversations solved as history
        counts = {"read": 0, "stored": 0, "duplicates": 0, "quarantined": 0, "rejected": 0}
        conversations: set[int] = set()
        queries = 0

        def count_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.monotonic()
        progress = Progress(enabled=sys.stderr.isatty() and not options["json"])
        own = ingest.own_context()
        pooled = not options["background"] and options["jobs"] > 1
        reading = None  # the pool, started with the first message to read
        waiting: deque[tuple[list[int], Batch]] = deque()
        with connection.execute_wrapper(count_query):
            try:
                for batch in _batches(importers.read(options["paths"]), BATCH):
                    incoming = [item for item in batch if isinstance(item, Incoming)]
                    for item in batch:
                        if isinstance(item, Rejected):
                            counts["rejected"] += 1
                            self.stderr.write(f"rejected {item.path}: {item.reason}")
                    stored = store_many(incoming)
                    counts["read"] += len(stored)
                    counts["stored"] += sum(s.created for s in stored)
                    counts["duplicates"] += sum(not s.created for s in stored)
                    pending = [s.raw_id for s in stored if s.pending]
                    if options["background"]:
                        if pending:
                            process_imported.enqueue(pending, self.history_before.isoformat())
                        continue
                    jobs = _jobs(incoming, stored)
                    if pooled and jobs:
                        if reading is None:
                            reading = self.reading = Reading(options["jobs"], own, has_model())
                        waiting.append((pending, reading.submit(jobs)))
                    while waiting and (
                        len(waiting) > (AHEAD if reading and reading.ready() else HELD) or not jobs
                    ):
                        counts["quarantined"] += self._record(*waiting.popleft(), conversations)
                    if jobs and not pooled:
                        parsed = [ingest.Parsed(*read(j, own)) for j in jobs]
                        recorded = process(
                            pending, live=False, parsed=parsed, history_before=self.history_before
                        )
                        counts["quarantined"] += recorded.flagged + recorded.failed
                        self.history |= recorded.history
                        conversations.update(_conversations_of(pending))
                    progress.show(counts["read"], time.monotonic() - started)
                while waiting:
                    counts["quarantined"] += self._record(*waiting.popleft(), conversations)
            finally:
                if reading:
                    reading.close()
        progress.done()
        merged = dict(
            Conversation.objects.filter(pk__in=conversations).values_list("pk", "merged_into_id")
        )
        summary: dict[str, Any] = {
            **counts,
            "tickets": len({target or pk for pk, target in merged.items()}),
            "history": len({pk for pk in self.history if merged.get(pk, pk) is None}),
            "seconds": round(time.monotonic() - started, 3),
            "queries": queries,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(", ".join(f"{value} {name}" for name, value in summary.items()))

    def _record(self, pending: list[int], batch: Batch, conversations: set[int]) -> int:
        if self.reading:
            self.reading.ask_deferred()
        items = batch.get()
        parsed = [ingest.Parsed(raw_id, message, verdict) for raw_id, message, verdict, _ in items]
        found = {raw_id: f for raw_id, _, _, f in items if f is not None}
        key = self.reading.key if self.reading else ""
        result = process(
            pending,
            live=False,
            parsed=parsed,
            features=(key, found) if key else None,
            history_before=self.history_before,
        )
        self.history |= result.history
        conversations.update(_conversations_of(pending))
        return result.flagged + result.failed


def _jobs(incoming: list[Incoming], stored: list[Stored]) -> list[tuple[int, bytes, str]]:
    # The bytes read are the stored bytes for new rows; a row left pending by an
    # interrupted run may differ (another copy of the same delivery): read it back.
    jobs = [
        (s.raw_id, item.data, s.message_id)
        for item, s in zip(incoming, stored, strict=True)
        if s.created
    ]
    leftover = [s.raw_id for s in stored if s.pending and not s.created]
    return jobs + (ingest.pending_rows(leftover) if leftover else [])


def _conversations_of(raw_ids: list[int]) -> Iterable[int]:
    return Message.objects.filter(raw_id__in=raw_ids).values_list("conversation_id", flat=True)


def _batches(
    items: Iterable[Incoming | Rejected], size: int
) -> Iterator[list[Incoming | Rejected]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Progress:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled

    def show(self, done: int, seconds: float) -> None:
        if self.enabled:
            rate = done / seconds if seconds else 0.0
            sys.stderr.write(f"\r{done} messages read, {rate:.0f}/s ")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
