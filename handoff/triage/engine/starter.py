"""The starter set: short messages in English and French, composed from the sentence
banks of starter.txt, so that a desk triages before it has any history."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.triage.engine.labels import CATEGORIES

if TYPE_CHECKING:
    from handoff.triage.engine.classify import Model

SOURCE = Path(__file__).with_name("starter.txt")
# Messages composed per (category, language). 80 (was 40) for the starter model: its
# sentences are sampled, and with 40 the day-one figures moved by 0.02 of macro-F1 with
# every sentence added anywhere; measured on the public founder mailbox, team macro-F1
# 0.549 -> 0.572 and founder recall 0.07 -> 0.27. Beside a history, BESIDE_PER_SECTION.
PER_SECTION = 80
BESIDE_PER_SECTION = 40
SEED = "handoff-starter-v1"
# Beside a desk's own history, the starter set's first two languages only: measured on the
# public founder mailbox (5-fold cross-validation), the German, Spanish and Portuguese
# sections, which make a fresh desk's categories right (team macro-F1 0.36 -> 0.44),
# cost a trained desk 0.02 of macro-F1 and 2 of 142 founder messages; at a third of the
# weight of the desk's own examples, the whole set cost more.
BESIDE_HISTORY = ("en", "fr")


@dataclass(frozen=True, slots=True)
class Example:
    category: str
    language: str
    subject: str
    body: str


@dataclass(slots=True)
class _Bank:
    subjects: list[str]
    sentences: list[str]
    openings: list[str]
    closings: list[str]


def _read(text: str) -> dict[tuple[str, str], _Bank]:
    banks: dict[tuple[str, str], _Bank] = {}
    current: _Bank | None = None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            category, _, language = line[1:-1].partition(" ")
            if category != "common" and category not in CATEGORIES:
                raise ValueError(f"{SOURCE.name}:{number}: unknown category {category!r}")
            current = banks.setdefault((category, language), _Bank([], [], [], []))
            continue
        if current is None:
            raise ValueError(f"{SOURCE.name}:{number}: text before the first [section]")
        kind, _, value = line.partition(":") if not line.startswith("- ") else ("-", "", line[2:])
        target = {
            "-": current.sentences,
            "subject": current.subjects,
            "open": current.openings,
            "close": current.closings,
        }.get(kind)
        if target is None:
            raise ValueError(f"{SOURCE.name}:{number}: expected '- ', subject:, open: or close:")
        target.append(value.strip())
    return banks


@cache
def examples(per_section: int = PER_SECTION) -> tuple[Example, ...]:
    """Deterministic: the same messages on every machine and in every process."""
    banks = _read(SOURCE.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    found: list[Example] = []
    for (category, language), bank in sorted(banks.items()):
        if category == "common":
            continue
        common = banks.get(("common", language), _Bank([], [], [], []))
        openings = bank.openings or common.openings
        closings = bank.closings or common.closings
        for _ in range(per_section):
            count = rng.choice((1, 1, 2, 2, 3))
            sentences = rng.sample(bank.sentences, min(count, len(bank.sentences)))
            parts = [rng.choice(openings)] if openings and rng.random() < 0.8 else []
            parts += [" ".join(sentences)]
            parts += [rng.choice(closings)] if closings and rng.random() < 0.8 else []
            subject = rng.choice(bank.subjects) if bank.subjects else ""
            found.append(Example(category, language, subject, "\n\n".join(parts)))
    return tuple(found)


def with_history(texts_: list[str], categories: list[str]) -> tuple[list[str], list[str]]:
    """The starter set (``BESIDE_HISTORY``'s languages) and a labelled history, for training."""
    own, own_categories = texts(BESIDE_HISTORY, BESIDE_PER_SECTION)
    return own + texts_, own_categories + categories


def weighted_history(
    texts_: list[str], categories: list[str], weights: list[float]
) -> tuple[list[str], list[str], list[float]]:
    """:func:`with_history`, with a weight for each example of the history (the starter
    set's weigh one)."""
    found, found_categories = with_history(texts_, categories)
    return found, found_categories, [1.0] * (len(found) - len(weights)) + weights


def texts(
    languages: Sequence[str] | None = None, per_section: int = PER_SECTION
) -> tuple[list[str], list[str]]:
    """The starter set as the model reads it (in ``languages``, or all), and its categories."""
    from handoff.triage.engine.text import prepare

    items = [e for e in examples(per_section) if languages is None or e.language in languages]
    return [prepare(e.subject, e.body) for e in items], [e.category for e in items]


def fit() -> Model:
    """The starter model: the whole starter set, and a plain SVM (see ``Model.fit``)."""
    from handoff.triage.engine.classify import Model  # scikit-learn: only here, when asked

    return Model.fit(*texts(), scaled=False)


def train_starter() -> tuple[bytes, float]:
    """The starter model's bytes and the seconds it took: plain Python, so that a process
    of an import's pool can train it while the writing process stores the first mail."""
    started = time.monotonic()
    data = fit().to_bytes()
    return data, round(time.monotonic() - started, 3)
