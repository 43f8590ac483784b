"""handoff serve: run the web desk and a worker (the `handoff` command migrates first)."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from handoff.mailin.models import Mailbox
from handoff.tickets.models import Conversation


class Command(BaseCommand):
    help = "Run the desk: web server and background worker, on the configured database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="web port (default 8000)")
        parser.add_argument(
            "--web-workers",
            type=int,
            default=2,
            help="web server processes, of four threads each (default 2)",
        )
        parser.add_argument(
            "--demo", action="store_true", help="fill an empty desk with demo data first"
        )
        parser.add_argument(
            "--smtpd-port", type=int, default=0, help="also receive mail over SMTP on this port"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["demo"] and not Conversation.objects.exists():
            call_command("demo")
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "handoff.wsgi",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["web_workers"]),
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
        handoff = [sys.executable, "-m", "handoff.cli"]
        commands = [web, [*handoff, "work"]]
        if Mailbox.objects.filter(active=True).exclude(imap_host="").exists():
            commands.append([*handoff, "fetchmail"])
        if options["smtpd_port"]:
            commands.append(
                [*handoff, "smtpd", "--host", options["host"], "--port", str(options["smtpd_port"])]
            )
        processes = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"Handoff is serving on http://{options['host']}:{options['port']}/")
        if settings.MAIL_OUT == "file":
            self.stdout.write(
                f"Mail out is written into {settings.MAIL_DIR} (nothing leaves this machine); "
                "for a real server set HANDOFF_MAIL_OUT=smtp and HANDOFF_SMTP_HOST, _PORT, "
                "_USER, _PASSWORD, _SECURITY."
            )

        def stop(signum: int, frame: object) -> None:
            for process in processes:
                process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        # When one dies, stop the others: a desk without its worker silently stops processing.
        while all(p.poll() is None for p in processes):
            try:
                processes[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
        stop(signal.SIGTERM, None)
        for process in processes:
            process.wait()
