"""The triage's held-out evaluation, rehearsed with the desk's own commands.

    .venv/bin/python bench/holdout.py [--mailbox ../shared/bench/founder-mailbox/public]
                                      [--share 0.4] [--seed 0]

The public founder mailbox is split in two by a stable hash of each message's
file (``--share`` of it held out, stratified by category). In a throwaway
SQLite desk: `handoff triage train --labels` on the first part, `handoff
import` of the held-out part (no labels), `handoff export messages`, and the
export scored against the held-out labels with the metrics of bench/triage.py.
This is the way a held-out mailbox is scored: train on what you have, import
the rest, compare the export. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage import default_mailbox  # bench/triage.py, next to this file  # noqa: E402

from handoff.triage.engine.metrics import Outcome, report  # noqa: E402


def split(
    rows: list[dict[str, str]], share: float, seed: int
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(trained, held out): in each category, the ``share`` of files first by hash."""
    by_category: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row)
    trained, held = [], []
    for members in by_category.values():
        members.sort(key=lambda r: hashlib.sha256(f"{seed}:{r['file']}".encode()).hexdigest())
        cut = round(len(members) * share)
        held += members[:cut]
        trained += members[cut:]
    return trained, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mailbox", type=Path, default=default_mailbox())
    parser.add_argument("--share", type=float, default=0.4)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    with (options.mailbox / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    trained, held = split(rows, options.share, options.seed)
    result: dict[str, Any] = {"trained": len(trained), "held_out": len(held)}
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "HANDOFF_DATA_DIR": work}
        env.pop("DATABASE_URL", None)

        def handoff(*args: str) -> str:
            command = [sys.executable, "-m", "handoff.cli", *args]
            done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
            return done.stdout.decode()

        labels = Path(work) / "labels.csv"
        with labels.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(trained)
        msgs = options.mailbox / "msgs"
        handoff("migrate", "-v0")
        started = time.perf_counter()
        handoff(
            "triage", "train", "--labels", str(labels), *(str(msgs / r["file"]) for r in trained)
        )
        result["train_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        handoff("import", "--json", *(str(msgs / r["file"]) for r in held))
        result["import_seconds"] = round(time.perf_counter() - started, 1)
        exported = {}
        for line in handoff("export", "messages").splitlines():
            row = json.loads(line)
            exported[row["message_id"]] = row
    outcomes, wrong_lane = [], []
    for row in held:
        got = exported[row["message_id"]]
        if got["lane"] != row["lane"]:
            wrong_lane.append(
                f"{row['file']} {row['lane']}/{row['category']} -> {got['lane']}/{got['category']}"
                f" ({got['confidence']})"
            )
        outcomes.append(
            Outcome(
                row["lane"],
                row["category"],
                row.get("language") or "und",
                got["lane"] or "",
                got["category"] or "",
                got["language"] or "und",
            )
        )
    result["scores"] = report(outcomes)
    result["wrong_lane"] = wrong_lane
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
