"""handoff demo: a realistic bilingual desk, fed through the real pipeline."""

from __future__ import annotations

from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from handoff.accounts.models import User
from handoff.demo.content import DEMO_PEOPLE, demo_messages
from handoff.mailin.models import Mailbox
from handoff.mailin.store import Incoming, store_many
from handoff.tickets import ingest

# Demo logins only: printed on the console, never used outside `handoff demo`.
DEMO_PASSWORD = "handoff-demo"  # noqa: S105
# The demo company's own addresses: mail from them is the desk's, shown as sent.
DEMO_MAILBOXES = (
    "support@acme-reports.example",
    "sales@acme-reports.example",
    "camille@acme-reports.example",
)


class Command(BaseCommand):
    help = "Fill the desk with demo conversations (French and English) and demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=40)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        for address in DEMO_MAILBOXES:
            Mailbox.objects.get_or_create(address=address)
        for person in DEMO_PEOPLE:
            if not User.objects.filter(email=person.email).exists():
                User.objects.create_user(
                    person.email, DEMO_PASSWORD, name=person.name, role=person.role
                )
        # Dates end today: running the demo twice in a day stores nothing new.
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        messages = demo_messages(tickets=options["tickets"], seed=options["seed"], now=today)
        stored = 0
        while batch := list(islice(messages, 500)):
            results = store_many([Incoming(data, "demo", "demo") for data in batch])
            stored += sum(r.created for r in results)
            ingest.process([r.raw_id for r in results if r.pending])
        self.stdout.write(f"demo: {stored} messages stored")
        for person in DEMO_PEOPLE:
            self.stdout.write(
                f"  log in as {person.email} ({person.role}), password {DEMO_PASSWORD}"
            )
