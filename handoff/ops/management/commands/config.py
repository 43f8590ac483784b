"""handoff config apply FILE.toml | handoff config dump: the team, calendars, SLA policies,
founder rules and routing rules as one TOML file (see README, "Team, routing and SLA")."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from handoff.routing.config.apply import apply_text
from handoff.routing.config.dump import dump


class Command(BaseCommand):
    help = "Apply or print the team, calendar, SLA policy and routing configuration."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        apply = sub.add_parser("apply", help="make the desk match FILE (- for standard input)")
        apply.add_argument("file", metavar="FILE", help="the configuration, TOML")
        apply.add_argument(
            "--check", action="store_true", help="report what would change, change nothing"
        )
        sub.add_parser("dump", help="print the current configuration in the same format")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "dump":
            self.stdout.write(dump(), ending="")
            return
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{name}: {error}") from None
        outcome = apply_text(text, timezone.now(), dry_run=options["check"])
        label = "-" if name == "-" else name
        for warning in outcome.warnings:
            self.stderr.write(f"{label}: warning: {warning}")
        if not outcome.ok:
            for problem in outcome.errors:
                self.stderr.write(f"{label}: {problem}")
            raise CommandError(f"{label}: {len(outcome.errors)} error(s); nothing was changed")
        for change in outcome.changes:
            self.stdout.write(change)
        verb = "would change" if options["check"] else "applied"
        self.stdout.write(
            f"{verb}: {len(outcome.changes)} change(s)" if outcome.changes else "no changes"
        )
