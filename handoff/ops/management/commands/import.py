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
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from handoff.lib.reading import Own, read
from handoff.mailin import importers
from handoff.mailin.importers import Rejected
from handoff.mailin.store import Incoming, Stored, store_many
from handoff.pipeline.process import process
from handoff.pipeline.read import (
    Job,
    ModelFile,
    Read,
    features_of,
    read_all,
    shares,
    texts_of,
)
from handoff.pipeline.tasks import process_imported
from handoff.tickets import ingest
from handoff.tickets.models import Conversation, Message
from handoff.triage import learning
from handoff.triage.engine.features import Features
from handoff.triage.engine.starter import train_starter
from handoff.triage.models import ModelVersion, TriageSettings

BATCH = 250
# Batches given to the pool ahead of the one being written: with one, the pool sat idle
# whenever it finished before the writer; with two, both cores stay busy.
AHEAD = 2
# Batches read ahead while the pool is still without the model, before the first is written.
HELD = 6


def has_model() -> bool:
    return ModelVersion.objects.filter(active=True).exists()


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
                            process_imported.enqueue(pending)
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
                        recorded = process(pending, live=False, parsed=parsed)
                        counts["quarantined"] += recorded.flagged + recorded.failed
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
        result = process(pending, live=False, parsed=parsed, features=(key, found) if key else None)
        conversations.update(_conversations_of(pending))
        return result.flagged + result.failed


def _pool(jobs: int) -> Pool:
    # forkserver: the processes import the parser and the classifier (once, in the server
    # they are forked from), never Django or its open database connection.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["handoff.pipeline.read", "handoff.triage.engine.classify"])
    return context.Pool(jobs)


class Batch:
    """A batch being read: parsed here or by the pool; its features computed by the pool,
    with the parsing or after it (while the pool did not have the model yet)."""

    def __init__(
        self,
        *,
        items: list[Read] | None = None,
        pooled: AsyncResult[list[list[Read]]] | None = None,
        complete: bool = False,
    ) -> None:
        self.items, self.pooled, self.complete = items, pooled, complete
        self.features: AsyncResult[list[Features]] | None = None

    def read(self) -> list[Read]:
        if self.items is None:
            if self.pooled is None:
                raise RuntimeError("a batch with nothing to read")
            self.items = [item for share in self.pooled.get() for item in share]
        return self.items

    def get(self) -> list[Read]:
        items = self.read()
        if self.complete:
            return items
        if self.features is None:
            raise RuntimeError("features were never asked for")
        found = self.features.get()
        return [(r, p, v, f) for (r, p, v, _), f in zip(items, found, strict=True)]


class Reading:
    """An import's pool of processes, started in the background. Until it has the active
    model (a fresh desk's starter model is trained by the pool, so that this process,
    which only writes, never loads scikit-learn), batches are parsed without features
    (here until the pool has started, then by the pool), and the pool computes their
    features as soon as it has the model: the first seconds are not spent waiting."""

    def __init__(self, count: int, own: Own, trained: bool) -> None:
        self.count, self.own = count, own
        self.starter: AsyncResult[tuple[bytes, float]] | None = None
        self.file: ModelFile | None = None
        self.deferred: list[Batch] = []
        self.starting = ThreadPoolExecutor(1, thread_name_prefix="handoff-pool")
        self.pool = self.starting.submit(self._start, trained)

    def _start(self, trained: bool) -> Pool:
        pool = _pool(self.count)
        if not trained:
            self.starter = pool.apply_async(train_starter)
        return pool

    def ready(self) -> bool:
        """Started, with the model."""
        if not self.pool.done():
            return False
        return self.starter is None or self.starter.ready()

    def submit(self, jobs: list[Job]) -> Batch:
        if self.ready():
            self.ask_deferred()
            share = partial(read_all, own=self.own, model=self._model_file())
            pooled = self.pool.result().map_async(share, shares(jobs, self.count))
            return Batch(pooled=pooled, complete=True)
        if self.pool.done():
            share = partial(read_all, own=self.own, model=None)
            batch = Batch(pooled=self.pool.result().map_async(share, shares(jobs, self.count)))
        else:
            batch = Batch(items=[(*read(job, self.own), None) for job in jobs])
        self.deferred.append(batch)
        return batch

    def ask_deferred(self) -> None:
        """The batches parsed here get their features from the pool (waits for it)."""
        if not self.deferred:
            return
        pool = self.pool.result()
        for batch in self.deferred:
            texts = texts_of([item[:3] for item in batch.read()])
            batch.features = pool.apply_async(features_of, (texts, self._model_file()))
        self.deferred = []

    def _model_file(self) -> ModelFile:
        if self.file is None:
            self.pool.result()
            starter = self.starter
            version = learning.active_version(starter=starter.get if starter else None)
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
        self.starting.shutdown(wait=True)
        if self.pool.exception() is None:
            self.pool.result().terminate()
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
