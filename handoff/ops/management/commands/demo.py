"""handoff demo: a realistic desk for a demo company, with months behind it.

The team, shifts, SLA policies and founder rules are a configuration file applied as
``handoff config apply`` would (``handoff/demo/config.toml``). Then two kinds of mail:

- months of history (``handoff.ops.history``), written in bulk as the rows the pipeline,
  routing and the desk would have left, so that the cockpit has something to show;
- a few recent conversations (``handoff.demo.content``), each message through the one
  pipeline (parse, thread, triage, route) as imported mail is.
"""

from __future__ import annotations

import time
from datetime import datetime
from importlib import resources
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import transaction
from django.utils import timezone

from handoff.accounts.models import User
from handoff.cockpit import snapshots
from handoff.demo.content import DEMO_PEOPLE, DEMO_SAVED_REPLIES, demo_deliveries
from handoff.desk.models import SavedReply
from handoff.mailin.models import Mailbox, RawMessage
from handoff.mailin.store import Incoming, Stored, store_many
from handoff.ops import history
from handoff.ops.demo_corrections import correct_recent
from handoff.ops.demo_ledger import write_ledger
from handoff.ops.demo_tags import tag_recent
from handoff.pipeline import indexing
from handoff.pipeline.process import process
from handoff.routing.config.apply import apply_text

# Demo logins only: printed on the console, never used outside `handoff demo`.
DEMO_PASSWORD = "handoff-demo"  # noqa: S105
# The demo company's own addresses: mail from them is the desk's, shown as sent.
DEMO_MAILBOXES = (
    "support@acme-reports.example",
    "sales@acme-reports.example",
    "camille@acme-reports.example",
    "ledger@acme-reports.example",
)
BATCH = 500  # messages stored and processed together: one transaction per stage
LIVE = 40  # recent conversations through the pipeline, by default
LIVE_MOST = 1000  # above this, --conversations counts conversations of history
HISTORY = 3000  # conversations of history, by default


def split(conversations: int, history: int) -> tuple[int, int]:
    """(recent conversations through the pipeline, conversations of history) for the
    options ``--conversations`` and ``--history``: a thousand conversations and more are
    history's business (the pipeline would take minutes), with the usual recent ones."""
    if conversations > LIVE_MOST:
        return LIVE, conversations
    return conversations, history


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


class Progress:
    """A bar on a terminal; elsewhere a line every tenth of the way."""

    def __init__(self, stream: OutputWrapper, label: str) -> None:
        self.stream, self.label = stream, label
        self.shown = -1
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        share = done / total if total else 1.0
        seconds = time.perf_counter() - self.started
        if self.stream.isatty():
            bar = "#" * int(share * 30)
            line = f"\r{self.label} [{bar:<30}] {done:,}/{total:,} {seconds:.0f}s"
            self.stream.write(line, ending="\n" if done >= total else "")
            self.stream.flush()
        elif int(share * 10) > self.shown:
            self.shown = int(share * 10)
            self.stream.write(f"{self.label}: {done:,}/{total:,} conversations, {seconds:.0f}s")


class Command(BaseCommand):
    help = (
        "Fill the desk with a demo company: its team, shifts, SLA policies and founder rules "
        "(replacing the desk's own), logins, months of history written in bulk for the "
        "cockpit, and a few recent conversations made by the pipeline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--conversations",
            "--tickets",
            dest="tickets",
            type=int,
            default=LIVE,
            help=f"up to {LIVE_MOST:,}: how many recent conversations to make through the "
            f"pipeline (default {LIVE}); above {LIVE_MOST:,}: how many conversations of "
            f"history to write in bulk, with the {LIVE} recent ones (100,000 conversations, "
            "about a million messages, take a few minutes)",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=HISTORY,
            help=f"conversations of history over the months before today, written in bulk "
            f"(default {HISTORY:,}; 0: none). Written once: a desk that has a history keeps it",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=7,
            help="seed of the random choices: the same seed on the same day makes the same mail",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        live, past = split(options["tickets"], options["history"])
        if live < 0 or past < 0:
            raise CommandError("the numbers of conversations cannot be negative")
        self.set_up(now)
        if past:
            progress = Progress(self.stderr, "demo: history")
            written = history.write_history(past, now=now, seed=options["seed"], progress=progress)
            if written.skipped:
                self.stdout.write(
                    "demo: the desk already has its history (a fresh database gets a new one)"
                )
            else:
                self.stdout.write(
                    f"demo: history of {written.conversations:,} conversations, "
                    f"{written.messages:,} messages"
                )
                indexing.populate()  # written in bulk, past the pipeline that indexes mail
        self.pipeline(live, now, options["seed"])
        done = timezone.now()  # after the pipeline's conversations
        head = next(p.email for p in DEMO_PEOPLE if p.role == "head")
        tagged = tag_recent(head)
        self.stdout.write(f"demo: {tagged} conversations tagged by the head")
        corrected = correct_recent(head, options["seed"])
        self.stdout.write(f"demo: {corrected} messages the desk had sorted wrong, corrected")
        ledger = write_ledger(done, options["seed"])  # a few tasks from those conversations
        kept = " (already there)" if ledger.skipped else ""
        self.stdout.write(f"demo: ledger of {ledger.tasks} tasks{kept}")
        snapshots.refresh(done, everything=True)
        for person in DEMO_PEOPLE:
            self.stdout.write(
                f"  log in as {person.email} ({person.role}), password {DEMO_PASSWORD}"
            )

    def set_up(self, now: datetime) -> None:
        for address in DEMO_MAILBOXES:
            Mailbox.objects.get_or_create(address=address)
        for person in DEMO_PEOPLE:
            if not User.objects.filter(email=person.email).exists():
                User.objects.create_user(
                    person.email, DEMO_PASSWORD, name=person.name, role=person.role
                )
            User.objects.filter(email=person.email).update(
                time_zone=person.time_zone, language=person.language
            )
        for title, language, body in DEMO_SAVED_REPLIES:
            SavedReply.objects.get_or_create(
                title=title, owner=None, defaults={"language": language, "body": body}
            )
        outcome = apply_text(demo_config(), now)
        for warning in outcome.warnings:
            self.stderr.write(f"demo config: warning: {warning}")
        if not outcome.ok:
            raise CommandError("demo config: " + "; ".join(outcome.errors))

    def pipeline(self, tickets: int, now: datetime, seed: int) -> None:
        """The recent conversations, each message through the pipeline. Their dates end
        today: running the demo twice in a day stores nothing new."""
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        mail = demo_deliveries(tickets=tickets, seed=seed, now=today)
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
