"""An import's pool of processes: they parse stored bytes and compute triage's features,
so that the process that writes only writes (and never loads scikit-learn). Used by
`handoff import`."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from handoff.lib.reading import Own, read
from handoff.pipeline.read import Job, ModelFile, Read, features_of, read_all, shares, texts_of
from handoff.triage import learning
from handoff.triage.engine.features import Features
from handoff.triage.engine.starter import train_starter
from handoff.triage.models import ModelVersion, TriageSettings


def has_model() -> bool:
    return ModelVersion.objects.filter(active=True).exists()


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
