"""handoff reprocess: run the pipeline again for messages whose processing failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from handoff.mailin.models import RawMessage
from handoff.ops.pipeline import after_threading
from handoff.tickets import ingest


class Command(BaseCommand):
    help = "Process failed (quarantined) raw messages again, e.g. after a fix. Never acknowledges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("raw_ids", nargs="*", type=int, metavar="RAW_ID")
        parser.add_argument("--all-failed", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = RawMessage.objects.filter(state=RawMessage.State.FAILED)
        if options["raw_ids"]:
            failed = failed.filter(pk__in=options["raw_ids"])
        elif not options["all_failed"]:
            raise CommandError("name raw message ids, or --all-failed")
        ids = list(failed.values_list("pk", flat=True))
        RawMessage.objects.filter(pk__in=ids).update(state=RawMessage.State.PENDING, error="")
        total = ingest.Recorded()
        for start in range(0, len(ids), 250):
            recorded = ingest.process(ids[start : start + 250])
            after_threading(recorded, live=False)
            total.add(recorded)
        self.stdout.write(f"{total.done} processed, {total.failed} failed again")
