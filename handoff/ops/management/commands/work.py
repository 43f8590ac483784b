"""handoff work: the background worker. Several may run, on several machines."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from handoff.cockpit.tasks import ensure_tick as ensure_cockpit_tick
from handoff.pipeline.tasks import ensure_tick


class Command(BaseCommand):
    help = "Run background jobs (Django tasks, database backend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="drain the queue, then exit")
        parser.add_argument(
            "--worker-id",
            default=None,
            help="this worker's name on the jobs it claims, unique among workers (default: random)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The tick picks up what a crash left behind, then keeps the periodic jobs going.
        ensure_tick()
        ensure_cockpit_tick()  # the roll-up and the weekly digests
        extra = ["--batch"] if options["batch"] else []
        if options["worker_id"]:
            extra += ["--worker-id", options["worker_id"]]
        call_command("db_worker", "--no-reload", "--interval", "0.5", *extra)
