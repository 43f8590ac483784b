"""handoff triage train|eval|run|correct|status: the desk's classifier from the command line."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from handoff.desk.actions import correct_triage
from handoff.triage import labels, learning, status
from handoff.triage.engine.labels import CATEGORIES, LANES
from handoff.triage.pipeline import triage, triage_undecided

HELP = """\
Train and evaluate the desk's triage.

  handoff triage train [--labels LABELS.csv] [PATH...]
      Import PATH... (like `handoff import`, through the whole pipeline, so the
      messages are stored and threaded in the desk's database), store the labels
      of LABELS.csv (columns file,message_id,lane,category[,language]; joined
      by Message-ID) as the decisions of those messages and as training labels,
      then train a new model on the starter set and every label and correction
      the desk holds. The new model replaces the active one only if it scores
      at least as well on the held-back history (one labelled message in ten,
      never trained on). Without arguments: retrain on the stored labels.
  handoff triage eval --labels LABELS.csv [PATH...]
      Import PATH... if given, then triage the labelled messages afresh with
      the active model and rules (their stored labels ignored; no label is
      written) and print per-class precision, recall and F1, lane accuracy,
      founder recall, precision and share, and per-language figures.
  handoff triage run [--all]
      Triage the messages that have no decision yet (--all: every message;
      decisions a person made stay).
  handoff triage correct MESSAGE-ID LANE CATEGORY
      Say what a message is (e.g. `<abc@example.com> team presales`): its
      decision changes at once and the label is learned at the next training,
      like a correction made in the desk.
  handoff triage status
      What the desk has learnt: the active model (version, kind, when, examples,
      held-back score), the labels per class (corrections and imported), the
      founder's contacts and rules, and the last training (accepted or kept
      out, its held-back score against the model it would have replaced).

Each prints one JSON object.
"""


IMPORTED = "mail to import first, as `handoff import` takes it"


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="import labelled history and train a new model")
        train.add_argument("--labels", type=Path, help="labels.csv of the messages")
        train.add_argument("paths", nargs="*", metavar="PATH", help=IMPORTED)
        evaluate = sub.add_parser("eval", help="score triage against labels")
        evaluate.add_argument(
            "--labels", type=Path, required=True, help="labels.csv of the messages"
        )
        evaluate.add_argument("paths", nargs="*", metavar="PATH", help=IMPORTED)
        run = sub.add_parser("run", help="triage messages without a decision")
        run.add_argument("--all", action="store_true", help="re-triage every message")
        correct = sub.add_parser("correct", help="say what a message is: a label")
        correct.add_argument(
            "message_id", metavar="MESSAGE-ID", help="the message's Message-ID, <> optional"
        )
        correct.add_argument("lane", choices=LANES, help="the lane it belongs in")
        correct.add_argument("category", choices=CATEGORIES, help="what it is about")
        sub.add_parser("status", help="what the desk has learnt")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        action = options["action"]
        if action == "status":
            result: dict[str, Any] = status.status()
        elif action == "run":
            result = {"triaged": self._run(options["all"])}
        elif action == "correct":
            result = self._correct(options["message_id"], options["lane"], options["category"])
        else:
            rows = self._labels(options.get("labels"))
            result = {"imported": self._import(options["paths"])} if options["paths"] else {}
            if action == "train":
                result |= self._train(rows)
            else:
                assert rows is not None
                result |= labels.evaluate(rows)
        result["seconds"] = round(time.monotonic() - started, 3)
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _labels(self, path: Path | None) -> list[labels.Row] | None:
        if path is None:
            return None
        try:
            return labels.read(path)
        except (OSError, labels.LabelsError) as error:
            raise CommandError(str(error)) from None

    def _import(self, paths: list[str]) -> Any:
        output = io.StringIO()
        call_command("import", *paths, "--json", stdout=output, stderr=self.stderr)
        summary = json.loads(output.getvalue().strip().splitlines()[-1])
        # What the import did not triage (it does when the pipeline calls triage).
        summary["triaged"] = triage_undecided()
        return summary

    def _train(self, rows: list[labels.Row] | None) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if rows is not None:
            result["labels"] = labels.store(rows)
        trained = learning.train()
        result |= {"accepted": trained.accepted, "reason": trained.reason}
        if trained.version is not None:
            result["model"] = learning.describe(trained.version)
        return result

    def _correct(self, message_id: str, lane: str, category: str) -> dict[str, Any]:
        from handoff.tickets.models import Message

        message = Message.objects.filter(message_id=message_id.strip().strip("<>")).first()
        if message is None:
            raise CommandError(f"no message with the Message-ID {message_id}")
        try:
            decision = correct_triage(message, lane, category, None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        return {
            "message_id": f"<{message.message_id}>",
            "lane": decision.lane,
            "category": decision.category,
        }

    def _run(self, everything: bool) -> int:
        if not everything:
            return triage_undecided()
        from handoff.tickets.models import Message

        ids = list(Message.objects.order_by("pk").values_list("pk", flat=True))
        triage(ids)
        return len(ids)
