"""handoff reprocess: run the pipeline again for messages whose processing failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from handoff.mailin.models import RawMessage
from handoff.pipeline.process import process_stored


class Command(BaseCommand):
    help = "Process failed (quarantined) raw messages again, e.g. after a fix. Never acknowledges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "raw_ids", nargs="*", type=int, metavar="RAW_ID", help="raw messages to process again"
        )
        parser.add_argument(
            "--all-failed", action="store_true", help="every message the quarantine holds"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = RawMessage.objects.filter(state=RawMessage.State.FAILED)
        if options["raw_ids"]:
            failed = failed.filter(pk__in=options["raw_ids"])
        elif not options["all_failed"]:
            raise CommandError("name raw message ids, or --all-failed")
        ids = list(failed.values_list("pk", flat=True))
        RawMessage.objects.filter(pk__in=ids).update(state=RawMessage.State.PENDING, error="")
        total = process_stored(ids, live=False)
        self.stdout.write(f"{total.done} processed, {total.failed} failed again")
