"""Day one, measured with the desk's own commands: a fresh desk imports the labelled mailbox.

    .venv/bin/python bench/fresh.py [--mailbox ../shared/bench/founder-mailbox/public]

In a throwaway SQLite desk with no history, no labels and no training (the starter
model and rules alone): `handoff import` of every message of the mailbox, then
`handoff export messages`, the export scored against the labels with the metrics of
bench/triage.py (per class and per language), and the day-one figures of the issue
"Triage a founder can trust from the first hour" beside their targets: team->noise,
noise in the founder lane, pre-sales predicted against the true count, support recall,
team macro-F1. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage import default_mailbox  # bench/triage.py, next to this file  # noqa: E402

from handoff.triage.engine.metrics import Outcome, report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mailbox", type=Path, default=default_mailbox())
    options = parser.parse_args()
    with (options.mailbox / "labels.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    result: dict[str, Any] = {"mailbox": str(options.mailbox), "messages": len(rows)}
    with tempfile.TemporaryDirectory(prefix="handoff-fresh-") as work:
        env = {**os.environ, "HANDOFF_DATA_DIR": work}
        env.pop("DATABASE_URL", None)

        def handoff(*args: str) -> str:
            command = [sys.executable, "-m", "handoff.cli", *args]
            done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
            return done.stdout.decode()

        handoff("migrate", "-v0")
        started = time.perf_counter()
        result["import"] = json.loads(handoff("import", "--json", str(options.mailbox / "msgs")))
        result["import_seconds"] = round(time.perf_counter() - started, 1)
        exported = {}
        for line in handoff("export", "messages").splitlines():
            row = json.loads(line)
            exported[row["message_id"]] = row
    outcomes = []
    for row in rows:
        got = exported[row["message_id"]]
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
    scores = report(outcomes)
    confusion = scores["lane_confusion"]
    presales = scores["classes"].get("presales", {"support": 0, "predicted": 0})
    support = scores["classes"]["support"]
    team_to_noise = scores["team_to_noise"] or 0.0
    result["targets"] = {
        "team_to_noise <= 0.01": [team_to_noise, team_to_noise <= 0.01],
        "noise in the founder lane == 0": [
            confusion.get("noise->founder", 0),
            confusion.get("noise->founder", 0) == 0,
        ],
        "presales predicted <= 2x true": [
            f"{presales['predicted']} predicted / {presales['support']} true",
            presales["predicted"] <= 2 * presales["support"],
        ],
        "support recall >= 0.70": [support["recall"], (support["recall"] or 0) >= 0.70],
        "team macro-F1 >= 0.55": [
            scores["team_macro_f1"],
            (scores["team_macro_f1"] or 0) >= 0.55,
        ],
    }
    result["scores"] = scores
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
