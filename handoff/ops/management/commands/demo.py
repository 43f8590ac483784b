"""handoff demo: a realistic bilingual desk, fed through the real pipeline.

Only the mail and its dates are invented (``handoff.demo.content``). The team, shifts, SLA
policies and founder rules are a configuration file applied as ``handoff config apply``
would (``handoff/demo/config.toml``), and every message goes through the one pipeline
(parse, thread, triage, route) as imported mail does.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from handoff.accounts.models import User
from handoff.demo.content import DEMO_PEOPLE, demo_deliveries
from handoff.mailin.models import Mailbox, RawMessage
from handoff.mailin.store import Incoming, Stored, store_many
from handoff.pipeline.process import process
from handoff.routing.config.apply import apply_text

# Demo logins only: printed on the console, never used outside `handoff demo`.
DEMO_PASSWORD = "handoff-demo"  # noqa: S105
# The demo company's own addresses: mail from them is the desk's, shown as sent.
DEMO_MAILBOXES = (
    "support@acme-reports.example",
    "sales@acme-reports.example",
    "camille@acme-reports.example",
)
BATCH = 500  # messages stored and processed together: one transaction per stage


def demo_config() -> str:
    """The demo company's team, shifts, SLA policies and founder rules (TOML)."""
    return resources.files("handoff.demo").joinpath("config.toml").read_text(encoding="utf-8")


def arrive(batch: list[tuple[datetime, bytes]]) -> list[Stored]:
    """Store the messages as received at their dates (the demo's clock), not all at once
    today: the SLA clocks then tell the story of the last two weeks."""
    with transaction.atomic():
        results = store_many([Incoming(data, "demo", "demo") for _, data in batch])
        arrived = [
            RawMessage(pk=result.raw_id, received_at=when)
            for result, (when, _) in zip(results, batch, strict=True)
            if result.created
        ]
        # Small statements: the CASE of a bulk update slows down past ~100 rows on SQLite.
        RawMessage.objects.bulk_update(arrived, ["received_at"], batch_size=100)
    return results


class Command(BaseCommand):
    help = (
        "Fill the desk with a demo company: its conversations (French and English), logins, "
        "and its team, shifts, SLA policies and founder rules (replacing the desk's own)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--conversations",
            "--tickets",
            dest="tickets",
            type=int,
            default=40,
            help="how many conversations to make (default 40; 10,000 takes a few minutes)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=7,
            help="seed of the random choices: the same seed on the same day makes the same mail",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        for address in DEMO_MAILBOXES:
            Mailbox.objects.get_or_create(address=address)
        for person in DEMO_PEOPLE:
            if not User.objects.filter(email=person.email).exists():
                User.objects.create_user(
                    person.email, DEMO_PASSWORD, name=person.name, role=person.role
                )
        outcome = apply_text(demo_config(), now)
        for warning in outcome.warnings:
            self.stderr.write(f"demo config: warning: {warning}")
        if not outcome.ok:
            raise CommandError("demo config: " + "; ".join(outcome.errors))
        # Dates end today: running the demo twice in a day stores nothing new.
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        mail = demo_deliveries(tickets=options["tickets"], seed=options["seed"], now=today)
        stored = conversations = failed = 0
        while batch := list(islice(mail, BATCH)):
            results = arrive(batch)
            stored += sum(r.created for r in results)
            recorded = process([r.raw_id for r in results if r.pending], live=False, now=now)
            conversations += len(recorded.opened)
            failed += recorded.failed
        if failed:
            self.stderr.write(f"demo: {failed} messages could not be processed (see quarantine)")
        self.stdout.write(f"demo: {stored} messages stored, {conversations} conversations opened")
        for person in DEMO_PEOPLE:
            self.stdout.write(
                f"  log in as {person.email} ({person.role}), password {DEMO_PASSWORD}"
            )
