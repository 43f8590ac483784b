"""handoff import PATH...: .eml files, directories, Maildir and mbox through the whole pipeline."""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from functools import partial
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from handoff.lib.reading import read
from handoff.mailin import importers
from handoff.mailin.importers import Rejected
from handoff.mailin.store import Incoming, Stored, store_many
from handoff.pipeline.process import process
from handoff.pipeline.read import ModelFile, Read, read_all, shares
from handoff.pipeline.tasks import process_imported
from handoff.tickets import ingest
from handoff.tickets.models import Conversation, Message
from handoff.triage import learning
from handoff.triage.engine.starter import train_starter
from handoff.triage.models import ModelVersion, TriageSettings

BATCH = 250
# Batches given to the pool ahead of the one being written: with one, the pool sat idle
# whenever it finished before the writer; with two, both cores stay busy.
AHEAD = 2


def has_model() -> bool:
    return ModelVersion.objects.filter(active=True).exists()


class Command(BaseCommand):
    triage: Triage | None = None
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

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {"read": 0, "stored": 0, "duplicates": 0, "quarantined": 0, "rejected": 0}
        conversations: set[int] = set()
        queries = 0

        def count_query(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        started = time.monotonic()
        progress = Progress(enabled=sys.stderr.isatty() and not options["json"])
        pool = _pool(options["jobs"]) if not options["background"] else None
        waiting: deque[tuple[list[int], AsyncResult[list[list[Read]]]]] = deque()
        own = ingest.own_context()
        triage = self.triage = Triage(pool) if pool else None
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
                            process_imported.enqueue(pending)
                        continue
                    jobs = _jobs(incoming, stored)
                    job = None
                    if pool and triage and jobs:
                        share = partial(read_all, own=own, model=triage.model_file())
                        job = pool.map_async(share, shares(jobs, options["jobs"]))
                    if job:
                        waiting.append((pending, job))
                    while len(waiting) > AHEAD or (waiting and not job):
                        counts["quarantined"] += self._record(waiting.popleft(), conversations)
                    if not job and jobs:
                        parsed = [ingest.Parsed(*read(j, own)) for j in jobs]
                        recorded = process(pending, live=False, parsed=parsed)
                        counts["quarantined"] += recorded.flagged + recorded.failed
                        conversations.update(_conversations_of(pending))
                    progress.show(counts["read"], time.monotonic() - started)
                while waiting:
                    counts["quarantined"] += self._record(waiting.popleft(), conversations)
            finally:
                if pool:
                    pool.terminate()
                if triage:
                    triage.close()
        progress.done()
        merged = dict(
            Conversation.objects.filter(pk__in=conversations).values_list("pk", "merged_into_id")
        )
        summary: dict[str, Any] = {
            **counts,
            "tickets": len({target or pk for pk, target in merged.items()}),
            "seconds": round(time.monotonic() - started, 3),
            "queries": queries,
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
        else:
            self.stdout.write(", ".join(f"{value} {name}" for name, value in summary.items()))

    def _record(
        self,
        waiting: tuple[list[int], AsyncResult[list[list[Read]]]],
        conversations: set[int],
    ) -> int:
        pending, job = waiting
        items = [item for share in job.get() for item in share]
        parsed = [ingest.Parsed(raw_id, message, verdict) for raw_id, message, verdict, _ in items]
        found = {raw_id: f for raw_id, _, _, f in items if f is not None}
        key = self.triage.key if self.triage else ""
        result = process(pending, live=False, parsed=parsed, features=(key, found) if key else None)
        conversations.update(_conversations_of(pending))
        return result.flagged + result.failed


def _pool(jobs: int) -> Pool | None:
    if jobs <= 1:
        return None
    # forkserver: the processes import the parser and the classifier (once, in the server
    # they are forked from), never Django or its open database connection.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["handoff.pipeline.read", "handoff.triage.engine.classify"])
    return context.Pool(jobs)


class Triage:
    """The active model for the pool: its bytes in a temporary file the processes load once.
    A fresh desk's starter model is trained by the pool, not by this process, which then
    never loads scikit-learn: it only writes."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.starter = None if has_model() else pool.apply_async(train_starter)
        self.file: ModelFile | None = None

    def model_file(self) -> ModelFile:
        if self.file is None:
            version = learning.active_version(starter=self.starter.get if self.starter else None)
            handle, path = tempfile.mkstemp(prefix="handoff-model-", suffix=".bin")
            with os.fdopen(handle, "wb") as out:
                out.write(learning.model_bytes(version))
            languages = TriageSettings.current().language_codes()
            self.file = ModelFile(learning.version_key(version), path, languages)
        return self.file

    @property
    def key(self) -> str:
        return self.file.key if self.file else ""

    def close(self) -> None:
        if self.file is not None:
            Path(self.file.path).unlink(missing_ok=True)


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
