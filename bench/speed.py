"""Classifier and training speed against a previous version, in one run, as ratios.

    .venv/bin/python bench/speed.py [--against REV] [--current REV] [--rounds 2]
                                    [--mailbox ../shared/bench/founder-mailbox/public]

The machine's speed changes from hour to hour (other jobs share its two cores), so a
rate measured today says little against one measured yesterday. This runs the same
measurements on two versions of `handoff/` in the same run, alternating them round by
round, each round in a fresh process: the working tree (or ``--current REV``) and
``--against REV`` (default HEAD), each extracted with `git archive` into a temporary
folder (nothing in the working tree or the repository changes).

Each round, on the labelled mailbox: the classifier alone (prepare + features +
calibrated model, three passes over every message, with a model trained on the starter
set and the mailbox as `handoff triage train` trains); training on 10,000 messages (the
mailbox repeated); training the starter model (a fresh desk's first step). Prints one
JSON object: each version's best and every round, the ratios current / previous, and the
issue's floors (>= 2,000 messages/s, < 30 s for 10,000).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def default_mailbox() -> Path:
    for folder in [ROOT, *ROOT.parents]:
        candidate = folder / "shared" / "bench" / "founder-mailbox" / "public"
        if candidate.is_dir():
            return candidate
    return ROOT.parent / "shared" / "bench" / "founder-mailbox" / "public"


def extract(rev: str, into: Path) -> Path:
    """`handoff/` as it was at ``rev``, in a folder of its own."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev, "handoff"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def worker(tree: str, mailbox: str) -> dict[str, Any]:
    """One round in this process, with ``tree``'s `handoff` package (run as --worker)."""
    sys.path.insert(0, tree)
    from handoff.lib import mime, noise, rawmail
    from handoff.triage.engine import starter
    from handoff.triage.engine.classify import Model
    from handoff.triage.engine.text import prepare

    raw, categories = [], []
    with (Path(mailbox) / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            data = (Path(mailbox) / "msgs" / row["file"]).read_bytes()
            parsed = mime.parse(data, rawmail.envelope(data).message_id)
            raw.append((parsed.subject, parsed.text, noise.recognise(data, parsed).kind))
            categories.append(row["category"])
    texts = [prepare(*r) for r in raw]
    if hasattr(starter, "with_history"):
        model = Model.fit(*starter.with_history(texts, categories))
    else:  # before the trained desk kept starter sections beside its history
        start_texts, start_categories = starter.texts()
        model = Model.fit(start_texts + texts, start_categories + categories)
    passes = 3
    started = time.perf_counter()
    for _ in range(passes):
        model.predict([prepare(*r) for r in raw])
    predict_rate = passes * len(raw) / (time.perf_counter() - started)
    repeat = -(-10_000 // len(texts))
    started = time.perf_counter()
    Model.fit((texts * repeat)[:10_000], (categories * repeat)[:10_000])
    train_seconds = time.perf_counter() - started
    _, starter_seconds = starter.train_starter()
    return {
        "classifier_predict_per_second": round(predict_rate),
        "train_10000_seconds": round(train_seconds, 2),
        "starter_train_seconds": round(starter_seconds, 2),
    }


def run_round(tree: Path, mailbox: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(tree), "--mailbox", str(mailbox)],
        check=True,
        capture_output=True,
        cwd=tempfile.gettempdir(),  # never the working tree's package by accident
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def best(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "classifier_predict_per_second": max(r["classifier_predict_per_second"] for r in rounds),
        "train_10000_seconds": min(r["train_10000_seconds"] for r in rounds),
        "starter_train_seconds": min(r["starter_train_seconds"] for r in rounds),
        "classifier_predict_per_second_median": statistics.median(
            r["classifier_predict_per_second"] for r in rounds
        ),
        "train_10000_seconds_median": statistics.median(r["train_10000_seconds"] for r in rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mailbox", type=Path, default=default_mailbox())
    parser.add_argument("--against", default="HEAD", help="the previous version (a git revision)")
    parser.add_argument("--current", default="", help="a git revision (default: working tree)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker:
        print(json.dumps(worker(options.worker, str(options.mailbox))))
        return
    revs = {
        "previous": subprocess.run(
            ["git", "rev-parse", options.against],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    }
    with tempfile.TemporaryDirectory(prefix="handoff-speed-") as tmp:
        trees = {"previous": extract(revs["previous"], Path(tmp) / "previous")}
        if options.current:
            revs["current"] = subprocess.run(
                ["git", "rev-parse", options.current],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            trees["current"] = extract(revs["current"], Path(tmp) / "current")
        else:
            revs["current"] = "working tree"
            trees["current"] = ROOT
        rounds: dict[str, list[dict[str, Any]]] = {"current": [], "previous": []}
        started = time.perf_counter()
        for _ in range(options.rounds):
            for name in ("current", "previous"):
                rounds[name].append(run_round(trees[name], options.mailbox))
    current, previous = best(rounds["current"]), best(rounds["previous"])
    result = {
        "mailbox": str(options.mailbox),
        "versions": revs,
        "current": current,
        "previous": previous,
        "ratios_current_over_previous": {
            key: round(current[key] / previous[key], 3) if previous[key] else None
            for key in current
        },
        "floors": {
            "classifier >= 2000 messages/s": current["classifier_predict_per_second"] >= 2000,
            "train 10000 < 30 s": current["train_10000_seconds"] < 30,
        },
        "rounds": rounds,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
