"""Triage quality and speed on the public founder mailbox, as one JSON object.

    .venv/bin/python bench/triage.py [--mailbox ../shared/bench/founder-mailbox/public]
                                     [--folds 5] [--seed 0] [--no-speed]

Quality: stratified k-fold cross-validation over the labelled messages. Each
fold trains the desk model exactly as `handoff triage train` does (the
starter set plus the fold's labelled history, same features, same
calibrated model), then decides the held-back fold with the same layers the
desk runs (noise recognition from headers and content, then the classifier
and the confidence threshold; the benchmark names no founder or admin rules).
Language is detected on every labelled message. "fresh_desk" is the starter
model and rules alone, on the whole mailbox. "..._unseen_company_names" scores
the same folds with the fictional company names of this part's founder mail
swapped for another (the held-out part uses other names).

Speed: the classifier alone (prepare + features + calibrated model) on the
mailbox's texts; training on 10,000 messages (the mailbox repeated) in a process of its own
that also holds lingua restricted to the default languages, and that
process's peak memory (the bench's own peak is reported apart: it holds the
parsed mailbox and the cross-validation's models).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import resource
import sys
import time
from dataclasses import asdict, dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoff.lib import mime, noise, rawmail  # noqa: E402
from handoff.triage.engine.classify import Model  # noqa: E402
from handoff.triage.engine.decide import Decision, Policy, decide  # noqa: E402
from handoff.triage.engine.language import detect  # noqa: E402
from handoff.triage.engine.metrics import Outcome, report  # noqa: E402
from handoff.triage.engine.rules import Facts  # noqa: E402
from handoff.triage.engine.starter import fit as starter_fit  # noqa: E402
from handoff.triage.engine.starter import with_history  # noqa: E402
from handoff.triage.engine.text import prepare  # noqa: E402


def default_mailbox() -> Path:
    for folder in [ROOT, *ROOT.parents]:
        candidate = folder / "shared" / "bench" / "founder-mailbox" / "public"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "bench" / "founder-mailbox" / "public"


@dataclass(frozen=True, slots=True)
class Labelled:
    facts: Facts
    noise: tuple[str, str]
    text: str  # prepared for the model
    lane: str
    category: str
    language: str


def load(mailbox: Path) -> list[Labelled]:
    found = []
    with (mailbox / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            raw = (mailbox / "msgs" / row["file"]).read_bytes()
            parsed = mime.parse(raw, rawmail.envelope(raw).message_id)
            verdict = noise.recognise(raw, parsed)
            facts = Facts(
                sender=parsed.sender.email.lower() if parsed.sender else "",
                recipients=tuple(a.email.lower() for a in (*parsed.to, *parsed.cc)),
                subject=parsed.subject,
                body=parsed.text,
                headers=parsed.headers,
            )
            found.append(
                Labelled(
                    facts=facts,
                    noise=(verdict.kind, verdict.reason),
                    text=prepare(parsed.subject, parsed.text, verdict.kind),
                    lane=row["lane"],
                    category=row["category"],
                    language=row["language"],
                )
            )
    return found


def fit(history: list[Labelled]) -> Model:
    """As `handoff triage train` does: the starter set, weighted, beside the history."""
    if not history:
        return starter_fit()
    return Model.fit(*with_history([m.text for m in history], [m.category for m in history]))


def decide_all(model: Model, messages: list[Labelled], policy: Policy) -> list[Decision]:
    predictions = model.predict([m.text for m in messages])
    return [
        decide(m.facts, noise=m.noise, prediction=p, policy=policy)
        for m, p in zip(messages, predictions, strict=True)
    ]


def outcomes(
    messages: list[Labelled], decisions: list[Decision], languages: list[str]
) -> list[Outcome]:
    return [
        Outcome(m.lane, m.category, m.language, d.lane, d.category, lang, d.needs_triage)
        for m, d, lang in zip(messages, decisions, languages, strict=True)
    ]


# The fictional company names that replaced "Enron" in this part's founder mail; the
# held-out part uses others (README). Swapping them in the scored folds only
# estimates what a model that leaned on them loses on the held-out part.
COMPANY_NAMES = re.compile(r"altamira|brightline|corvana|halvorsen|meridex|tallis")


def cross_decisions(
    messages: list[Labelled], folds: int, seed: int, policy: Policy, *, swap: bool = False
) -> list[Decision]:
    labels = np.array([m.category for m in messages])
    decisions: list[Decision | None] = [None] * len(messages)
    split = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in split.split(np.zeros(len(labels)), labels):
        model = fit([messages[i] for i in train])
        scored = [messages[i] for i in test]
        if swap:
            scored = [replace(m, text=COMPANY_NAMES.sub("zephyrine", m.text)) for m in scored]
        for i, decision in zip(test, decide_all(model, scored, policy), strict=True):
            decisions[i] = decision
    return [d for d in decisions if d]


def quality(messages: list[Labelled], folds: int, seed: int, policy: Policy) -> dict[str, Any]:
    decisions = cross_decisions(messages, folds, seed, policy)
    languages = detect([f"{m.facts.subject}\n{m.facts.body}" for m in messages])
    return report(outcomes(messages, decisions, languages)) | {
        "protocol": f"stratified {folds}-fold cross-validation, seed {seed}"
    }


def unseen_names(messages: list[Labelled], folds: int, seed: int, policy: Policy) -> dict[str, Any]:
    decisions = cross_decisions(messages, folds, seed, policy, swap=True)
    result = report(outcomes(messages, decisions, ["und"] * len(messages)))
    return {key: result[key] for key in ("lane_accuracy", "lane_confusion", "founder")}


def fresh_desk(messages: list[Labelled], policy: Policy) -> dict[str, Any]:
    decisions = decide_all(fit([]), messages, policy.for_starter())
    result = report(outcomes(messages, decisions, ["und"] * len(messages)))
    keep = (
        "lane_accuracy",
        "lane_confusion",
        "founder",
        "team_to_noise",
        "noise_to_founder",
        "needs_triage",
        "team_macro_f1",
        "classes",
    )
    return {key: result[key] for key in keep}


def train_alone(texts: list[str], categories: list[str]) -> tuple[float, int]:
    """Train as a retraining job does, in a process that also detects languages
    (lingua with the default languages loaded): seconds, and the process's peak RSS in MB."""
    detect(["Bonjour, je voudrais un devis.", "Hello, I need a quote."])
    started = time.perf_counter()
    Model.fit(texts, categories)
    seconds = time.perf_counter() - started
    return seconds, round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def speed(messages: list[Labelled]) -> dict[str, Any]:
    model = fit(messages)
    raw = [(m.facts.subject, m.facts.body, m.noise[0]) for m in messages]
    started = time.perf_counter()
    rounds = 3
    for _ in range(rounds):
        model.predict([prepare(*r) for r in raw])
    predict_rate = rounds * len(raw) / (time.perf_counter() - started)
    texts = [m.text for m in messages]
    categories = [m.category for m in messages]
    repeat = -(-10_000 // len(texts))
    with get_context("spawn").Pool(1) as pool:  # a process of its own: its memory alone
        train_seconds, train_rss = pool.apply(
            train_alone, ((texts * repeat)[:10_000], (categories * repeat)[:10_000])
        )
    started = time.perf_counter()
    detect([f"{m.facts.subject}\n{m.facts.body}" for m in messages])
    language_rate = len(messages) / (time.perf_counter() - started)
    return {
        "classifier_predict_per_second": round(predict_rate),
        "train_10000_seconds": round(train_seconds, 2),
        "train_10000_peak_rss_mb": train_rss,
        "language_per_second": round(language_rate),
        "model_bytes": len(model.to_bytes()),
        "bench_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mailbox", type=Path, default=default_mailbox())
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-speed", action="store_true")
    options = parser.parse_args()
    policy = Policy()
    started = time.perf_counter()
    messages = load(options.mailbox)
    result: dict[str, Any] = {"mailbox": str(options.mailbox), "policy": asdict(policy)}
    result["cross_validated"] = quality(messages, options.folds, options.seed, policy)
    result["cross_validated_unseen_company_names"] = unseen_names(
        messages, options.folds, options.seed, policy
    )
    result["fresh_desk"] = fresh_desk(messages, policy)
    if not options.no_speed:
        result["speed"] = speed(messages)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
