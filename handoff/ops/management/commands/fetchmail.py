"""handoff fetchmail: IMAP with IDLE (or polling), every active mailbox that has a host."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from handoff.mailin import imap, imap_watch
from handoff.mailin.models import Mailbox
from handoff.pipeline.tasks import process_incoming


def enqueue(raw_ids: list[int]) -> None:
    # In the same database as the rows: a worker picks them up. If this process
    # dies before enqueueing, `handoff work` finds the pending rows at start.
    process_incoming.enqueue(raw_ids)


class Command(BaseCommand):
    help = "Fetch mail over IMAP into the desk: IDLE where the server has it, polling otherwise."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="fetch every folder once, then exit"
        )
        parser.add_argument(
            "--mailbox",
            action="append",
            default=[],
            metavar="ADDRESS",
            help="only this mailbox (repeatable; default: every active one with an IMAP host)",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="seconds between checks where IDLE is off or unsupported (default 60)",
        )
        parser.add_argument("--no-idle", action="store_true", help="poll even if IDLE works")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["poll"] <= 0:
            raise CommandError("--poll must be a positive number of seconds")
        mailboxes = list(Mailbox.objects.filter(active=True).exclude(imap_host="").order_by("pk"))
        if options["mailbox"]:
            wanted = {address.lower() for address in options["mailbox"]}
            mailboxes = [m for m in mailboxes if m.address.lower() in wanted]
            unknown = wanted - {m.address.lower() for m in mailboxes}
            if unknown:
                raise CommandError(
                    f"no active mailbox with an IMAP host: {', '.join(sorted(unknown))}"
                )
        if not mailboxes:
            raise CommandError("no active mailbox with an IMAP host")
        if options["once"]:
            self._once(mailboxes)
            return
        stop = threading.Event()

        def on_signal(signum: int, frame: object) -> None:
            # The watchers finish the batch in hand (stored, flagged) and log out.
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.stderr.write(
            f"fetching {', '.join(m.address for m in mailboxes)}"
            f" ({'polling' if options['no_idle'] else 'IDLE'})"
        )
        imap_watch.run(
            mailboxes,
            enqueue,
            idle=not options["no_idle"],
            poll_seconds=options["poll"],
            stop=stop,
        )

    def _once(self, mailboxes: list[Mailbox]) -> None:
        failed = []
        for mailbox in mailboxes:
            result = imap.fetch_once(mailbox, enqueue)
            line = f"{mailbox.address}: {result.fetched} fetched, {result.created} new"
            for error in result.errors:
                line += f"; error: {error}"
            self.stdout.write(line)
            if result.errors:
                failed.append(mailbox.address)
        if failed:
            raise CommandError(f"fetching failed for {', '.join(failed)}")
