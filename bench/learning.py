"""How fast a fresh desk learns from the head's corrections, as one JSON object.

    .venv/bin/python bench/learning.py [--mailbox ../shared/bench/founder-mailbox/public]
                                       [--evaluate 0.2] [--retrain-every 25]

A throwaway SQLite desk with no history (the starter model and rules alone). The
labelled mailbox, in its file order (a hash order: it says nothing of the labels), is cut
in two: the last ``--evaluate`` share (413 messages by default) is never shown to anyone;
the rest arrives message by message through the desk's pipeline, decided by the model
active at that moment. A simulated head reads each arrival and corrects every wrong lane or
category through the desk's own correction function (``handoff.desk.actions.correct_triage``);
what it leaves as it was, the desk learns from too, as untouched decisions
(``learning.UNTOUCHED_WEIGHT``). The never-shown messages are stored (to be decided at each
checkpoint) without a decision, as mail not yet arrived. The desk retrains a while after the
first of a run of corrections (``learning.RETRAIN_DELAY_SECONDS``, 600 s): here, after every
``--retrain-every`` corrections, with the desk's own training (``learning.train``: held-back
history, a new model only if no worse).

At 0, 50, 100, 200, 500 and 1,000 corrections (those reached), the messages never shown are
decided by the active model (``triage.pipeline.decisions_for``, nothing stored) and scored
as bench/triage.py scores. "fully_trained": the same messages, after `handoff triage train`
on every label of the shown part (the desk a head who labelled everything would have). The
default share lets the head make 215 corrections, past the 200 checkpoint; with 0.3 it made
199 and that checkpoint was never scored.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from triage import default_mailbox  # bench/triage.py, next to this file  # noqa: E402

CHECKPOINTS = (0, 50, 100, 200, 500, 1000)
KEEP = ("lane_accuracy", "team_macro_f1", "founder", "team_to_noise", "lane_confusion", "classes")


def setup(data: Path) -> None:
    os.environ["HANDOFF_DATA_DIR"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "handoff.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mailbox", type=Path, default=default_mailbox())
    parser.add_argument("--evaluate", type=float, default=0.2)
    parser.add_argument("--retrain-every", type=int, default=25)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="handoff-learning-") as tmp:
        setup(Path(tmp))
        print(json.dumps(run(options.mailbox, options.evaluate, options.retrain_every), indent=2))


def run(mailbox: Path, evaluate: float, every: int) -> dict[str, Any]:
    from handoff.accounts.models import Role, User
    from handoff.desk.actions import correct_triage
    from handoff.mailin.store import Incoming, store_many
    from handoff.pipeline.process import process
    from handoff.tickets.models import Message
    from handoff.triage import learning
    from handoff.triage.models import Decision, Label

    started = time.perf_counter()
    with (mailbox / "labels.csv").open(newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["file"])
    cut = len(rows) - round(len(rows) * evaluate)
    shown, hidden = rows[:cut], rows[cut:]
    head = User.objects.create_user(email="head@desk.example", password=None, role=Role.HEAD)

    def arrive(batch: list[dict[str, str]]) -> list[Message]:
        stored = store_many(
            [Incoming((mailbox / "msgs" / r["file"]).read_bytes(), "import") for r in batch]
        )
        process([s.raw_id for s in stored if s.pending], live=False)
        found = {m.raw_id: m for m in Message.objects.filter(raw_id__in=[s.raw_id for s in stored])}
        return [found[s.raw_id] for s in stored]

    hidden_messages = list(zip(hidden, arrive(hidden), strict=True))
    # Stored only to be decided at each checkpoint: mail that has not arrived yet keeps no
    # decision, so that nothing learns from it (the desk learns from untouched decisions).
    Decision.objects.filter(message__in=[m for _, m in hidden_messages]).delete()
    curve = [checkpoint(0, 0, hidden_messages)]
    corrections, seen, since_training, trainings = 0, 0, 0, 0
    targets = [c for c in CHECKPOINTS if c > 0]
    for row in shown:
        (message,) = arrive([row])
        seen += 1
        decision = Decision.objects.get(message=message)
        if (decision.lane, decision.category) == (row["lane"], row["category"]):
            continue
        correct_triage(message, row["lane"], row["category"], head)
        corrections += 1
        since_training += 1
        if since_training >= every:
            learning.train()
            trainings += 1
            since_training = 0
        if targets and corrections >= targets[0]:
            if since_training:
                learning.train()
                trainings += 1
                since_training = 0
            curve.append(checkpoint(corrections, seen, hidden_messages))
            targets.pop(0)
    curve.append(checkpoint(corrections, seen, hidden_messages))  # the stream's end
    # Every message of the shown part labelled (what the head corrected, and the rest as
    # the desk decided it, which was right), then trained on, as `triage train` would.
    labelled = set(Label.objects.values_list("message_id", flat=True))
    by_id = {m.message_id: m for m in Message.objects.filter(raw__channel="import")}
    for row in shown:
        found = by_id.get(row["message_id"].strip("<>"))
        if found is not None and found.pk not in labelled:
            learning.correct(found, row["lane"], row["category"], head)
    learning.train()
    full = checkpoint(corrections, seen, hidden_messages)
    return {
        "mailbox": str(mailbox),
        "shown": len(shown),
        "scored": len(hidden),
        "retrain_every": every,
        "trainings": trainings + 1,
        "corrections_made": corrections,
        "checkpoints_not_reached": targets,
        "curve": curve,
        "fully_trained": full,
        "seconds": round(time.perf_counter() - started, 1),
    }


def checkpoint(
    corrections: int, seen: int, hidden: list[tuple[dict[str, str], Any]]
) -> dict[str, Any]:
    from handoff.triage.engine.metrics import Outcome, report
    from handoff.triage.learning import active_version
    from handoff.triage.pipeline import decisions_for

    decided = decisions_for([m.pk for _, m in hidden])
    outcomes = []
    for row, message in hidden:
        decision, language = decided[message.pk]
        outcomes.append(
            Outcome(
                row["lane"],
                row["category"],
                row["language"],
                decision.lane,
                decision.category,
                language,
                decision.needs_triage,
            )
        )
    result = report(outcomes)
    version = active_version()
    return {
        "corrections": corrections,
        "messages_seen": seen,
        "model": f"v{version.pk} ({version.kind})",
        **{key: result[key] for key in KEEP},
    }


if __name__ == "__main__":
    main()
