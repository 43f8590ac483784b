"""The pure half of the pipeline, for an import's pool of processes: from stored bytes, the
parsed message, what kind of sender wrote it, and triage's features (language, the
classifier's probabilities). Plain Python, no Django: the process that writes gets it all
back and only writes (``handoff.pipeline.process.process``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.lib.mime import ParsedMessage
from handoff.lib.noise import Verdict
from handoff.lib.reading import Own, read
from handoff.triage.engine.features import Features, Text, compute

if TYPE_CHECKING:
    from handoff.triage.engine.classify import Model

Job = tuple[int, bytes, str]  # raw id, bytes, Message-ID
Read = tuple[int, ParsedMessage, Verdict, Features | None]


@dataclass(frozen=True, slots=True)
class ModelFile:
    """The active model, as its bytes in a file each process of the pool loads once."""

    key: str  # learning.version_key: which model it is
    path: str
    languages: tuple[str, ...]  # the desk's languages, for language detection


_loaded: tuple[str, Model] | None = None


def _model(found: ModelFile) -> Model:
    global _loaded
    if _loaded is None or _loaded[0] != found.key:
        from handoff.triage.engine.classify import Model

        _loaded = (found.key, Model.from_bytes(Path(found.path).read_bytes()))
    return _loaded[1]


def read_all(jobs: Sequence[Job], own: Own, model: ModelFile | None) -> list[Read]:
    """Read a share of a batch; with ``model``, triage's features too (in one call of the
    model for the whole share: it is much faster by rows than one by one)."""
    items = [read(job, own) for job in jobs]
    if model is None or not items:
        return [(raw_id, parsed, verdict, None) for raw_id, parsed, verdict in items]
    features = features_of(texts_of(items), model)
    return [
        (raw_id, parsed, verdict, found)
        for (raw_id, parsed, verdict), found in zip(items, features, strict=True)
    ]


def texts_of(items: Sequence[tuple[int, ParsedMessage, Verdict]]) -> list[Text]:
    return [Text.of(parsed.subject, parsed.text, verdict.kind) for _, parsed, verdict in items]


def features_of(texts: Sequence[Text], model: ModelFile) -> list[Features]:
    """Triage's features of messages read elsewhere (by the writing process, while the
    pool was starting)."""
    return compute(texts, _model(model), model.languages) if texts else []


def shares(jobs: Sequence[Job], count: int) -> list[list[Job]]:
    """``jobs`` cut in ``count`` shares of about the same size, in order."""
    size = -(-len(jobs) // max(count, 1))
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)] if jobs else []
