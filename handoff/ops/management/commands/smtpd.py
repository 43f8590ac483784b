"""handoff smtpd: the built-in SMTP receiver. Stored mail is handed to `handoff work`."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from handoff.mailin.smtpd import serve, tls_context
from handoff.pipeline.tasks import process_incoming


def enqueue(raw_ids: list[int]) -> None:
    process_incoming.enqueue(raw_ids)


class Command(BaseCommand):
    help = "Receive mail over SMTP for the active mailboxes and HANDOFF_SMTPD_DOMAINS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8025, help="SMTP port (default 8025)")
        parser.add_argument(
            "--hostname", default=None, help="name in the greeting (default: this machine's)"
        )
        parser.add_argument("--tls-cert", default=None, help="PEM certificate chain: STARTTLS")
        parser.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
        parser.add_argument(
            "--require-starttls",
            action="store_true",
            help="refuse mail from senders that do not switch to TLS first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["tls_cert"]) != bool(options["tls_key"]):
            raise CommandError("--tls-cert and --tls-key go together")
        if options["require_starttls"] and not options["tls_cert"]:
            raise CommandError("--require-starttls needs --tls-cert and --tls-key")
        context = None
        if options["tls_cert"]:
            try:
                context = tls_context(options["tls_cert"], options["tls_key"])
            except (OSError, ValueError) as error:
                raise CommandError(f"cannot load the TLS certificate: {error}") from None

        if settings.LOG_LEVEL != "DEBUG":
            # aiosmtpd logs every command of every session at INFO; the receiver
            # logs one line per stored message, which is what an operator reads.
            logging.getLogger("mail.log").setLevel(logging.WARNING)
        stopping = threading.Event()

        def stop(signum: int, frame: object) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            receiver = serve(
                options["host"],
                options["port"],
                enqueue,
                context,
                require_starttls=options["require_starttls"],
                hostname=options["hostname"],
            )
        except OSError as error:
            where = f"{options['host']}:{options['port']}"
            raise CommandError(f"cannot listen on {where}: {error}") from None
        tls = " (STARTTLS)" if context else ""
        self.stdout.write(f"Handoff receives mail on {options['host']}:{receiver.port}{tls}")
        self.stdout.flush()
        stopping.wait()
        # Stops accepting, then waits for a store in progress: a sender cut off
        # before our 250 retries, and the store recognises the retry.
        receiver.stop()
        self.stdout.write("SMTP receiver stopped")
