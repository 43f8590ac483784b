"""handoff ledger add|list|checkin|time|done|bands: the delegation ledger from the command line.

Every change goes through ``handoff.ledger.actions``, as on the desk and by mail, so the
same input is refused for the same reason; a ``Refused`` is shown as it is, without a
traceback. ``list --json`` writes one object a line: that shape is a contract for scripts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet

from handoff.accounts.models import Role, User
from handoff.ledger import actions, checkins
from handoff.ledger.actions import Draft, Refused
from handoff.ledger.models import Band, CheckIn, Task
from handoff.lib.durations import shown
from handoff.tickets.models import Conversation

TASK = "the task: 12 or T-12"
BY = "the email address of the desk person doing it"
DURATION = "a duration such as 45m, 1h30, 2h or 1.5d"
# Beyond this an hour's value is a typing mistake (as on the desk's bands page).
MOST_HOURLY = 10_000_000
MOST_BAND_NAME = 80
TABLE = ("TASK", "STATUS", "OWNER", "BAND", "DUE", "CHECK-IN", "SPENT", "ESTIMATE", "TITLE")


class Command(BaseCommand):
    help = "The delegation ledger: add, list, check in, record time, finish tasks; value bands."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        _add_parser(sub.add_parser("add", help="add a task to the ledger; prints T-<id>"))
        _list_parser(sub.add_parser("list", help="the tasks, newest first"))
        _checkin_parser(
            sub.add_parser("checkin", help="say where a task stands (its owner or a manager)")
        )
        _time_parser(sub.add_parser("time", help="record time spent on a task"))
        _done_parser(
            sub.add_parser("done", help="mark a task done, with the last time spent on it")
        )
        _bands_parser(sub.add_parser("bands", help="list the value bands, or add one"))

    def handle(self, *args: Any, **options: Any) -> None:
        does: dict[str, Callable[[dict[str, Any]], None]] = {
            "add": self.add,
            "list": self.list_tasks,
            "checkin": self.checkin,
            "time": self.time,
            "done": self.done,
            "bands": self.bands,
        }
        try:
            does[options["action"]](options)
        except Refused as error:
            raise CommandError(str(error)) from None

    def add(self, options: dict[str, Any]) -> None:
        draft = Draft(
            title=options["title"],
            description=options["description"],
            outcome=options["outcome"],
            band=options["band"],
            owner=options["owner"],
            due=options["due"],
            checkins=tuple(options["checkin"] or ()),
            estimate=options["estimate"],
        )
        task = actions.create(
            draft,
            actor=_manager(options["by"]),
            source=Task.Source.COMMAND,
            conversation=_conversation(options["conversation"]),
        )
        if options["json"]:
            self.stdout.write(json.dumps(_row(_with_details(task.pk), 0), ensure_ascii=False))
        else:
            self.stdout.write(f"T-{task.pk}")

    def list_tasks(self, options: dict[str, Any]) -> None:
        tasks = list(_tasks(options["status"], options["owner"]))
        spent = actions.spent(t.pk for t in tasks)
        if options["json"]:
            for task in tasks:
                self.stdout.write(json.dumps(_row(task, spent.get(task.pk, 0)), ensure_ascii=False))
        elif tasks:
            self.table([_table_line(t, spent.get(t.pk, 0)) for t in tasks])
        else:
            self.stdout.write("no tasks")

    def table(self, lines: list[tuple[str, ...]]) -> None:
        """Columns as wide as their widest cell, under the header, for a reader's eye."""
        lines = [TABLE, *lines]
        widths = [max(len(line[i]) for line in lines) for i in range(len(TABLE))]
        for line in lines:
            cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())

    def checkin(self, options: dict[str, Any]) -> None:
        task = _task(options["task"])
        person = _acting_on(task, options["by"], "check in for it")
        checkins.answer(task, options["status"], options["text"], actor=person)
        self.stdout.write(f"T-{task.pk}: {CheckIn.Status(options['status']).label.lower()}")

    def time(self, options: dict[str, Any]) -> None:
        task = _task(options["task"])
        person = _acting_on(task, options["by"], "record time on it")
        day = actions.day_of(options["on"])
        entry = actions.record_time(task, options["duration"], actor=person, on=day)
        self.stdout.write(f"T-{task.pk}: {shown(entry.minutes)} recorded on {entry.on}")

    def done(self, options: dict[str, Any]) -> None:
        task = _task(options["task"])
        person = _acting_on(task, options["by"], "finish it")
        # The last time spent and the status together, or neither: no half-finished task.
        with transaction.atomic():
            if options["spent"].strip():
                actions.record_time(task, options["spent"], actor=person)
            actions.set_status(task, Task.Status.DONE, actor=person)
        self.stdout.write(f"T-{task.pk}: done")

    def bands(self, options: dict[str, Any]) -> None:
        if options["bands_action"] == "add":
            band = _new_band(options["hourly"], options["currency"], options["name"])
            self.stdout.write(f"added the band {band}")
            return
        for band in Band.objects.all():
            self.stdout.write(f"{band.hourly:>10}  {band.currency}  {band.name}".rstrip())


# ------------------------------------------------------------------ the arguments


def _add_parser(add: CommandParser) -> None:
    add.add_argument("title", metavar="TITLE", help="what is to be done, in a line")
    add.add_argument(
        "--description", metavar="TEXT", default="", help="the details (default: none)"
    )
    add.add_argument(
        "--outcome", metavar="TEXT", default="", help="what done looks like, the limits, the budget"
    )
    add.add_argument(
        "--band",
        metavar="HOURLY",
        default="",
        help="the value band, by its hourly value (e.g. 100)",
    )
    add.add_argument(
        "--owner", metavar="EMAIL", default="", help="the owner's email address (default: nobody)"
    )
    add.add_argument("--due", metavar="YYYY-MM-DD", default="", help="the due date, YYYY-MM-DD")
    add.add_argument(
        "--checkin",
        metavar="YYYY-MM-DD",
        action="append",
        help="a check-in date, YYYY-MM-DD (repeat for more)",
    )
    add.add_argument(
        "--estimate", metavar="DURATION", default="", help=f"the founder's estimate: {DURATION}"
    )
    add.add_argument(
        "--conversation", metavar="N", type=int, help="the conversation it comes from, by number"
    )
    add.add_argument(
        "--by",
        metavar="EMAIL",
        default="",
        help="the founder or head adding it (default: the desk itself)",
    )
    add.add_argument("--json", action="store_true", help="print the task as one JSON object")


def _list_parser(listing: CommandParser) -> None:
    listing.add_argument("--json", action="store_true", help="print one JSON object a line")
    listing.add_argument(
        "--owner", metavar="EMAIL", default="", help="only the tasks this email address owns"
    )
    listing.add_argument(
        "--status",
        choices=[*Task.Status.values, "all"],
        default=Task.Status.OPEN,
        help="only the tasks in this state (default: open)",
    )


def _checkin_parser(checkin: CommandParser) -> None:
    checkin.add_argument("task", metavar="TASK", help=TASK)
    checkin.add_argument("status", choices=CheckIn.Status.values, help="where it stands")
    checkin.add_argument("text", nargs="?", default="", metavar="TEXT", help="a word more")
    checkin.add_argument("--by", metavar="EMAIL", required=True, help=BY)


def _time_parser(time: CommandParser) -> None:
    time.add_argument("task", metavar="TASK", help=TASK)
    time.add_argument("duration", metavar="DURATION", help=DURATION)
    time.add_argument("--by", metavar="EMAIL", required=True, help=BY)
    time.add_argument(
        "--on", metavar="YYYY-MM-DD", default="", help="the day it was worked (default: today)"
    )


def _done_parser(done: CommandParser) -> None:
    done.add_argument("task", metavar="TASK", help=TASK)
    done.add_argument("--by", metavar="EMAIL", required=True, help=BY)
    done.add_argument(
        "--spent", metavar="DURATION", default="", help=f"time to record first: {DURATION}"
    )


def _bands_parser(bands: CommandParser) -> None:
    sub = bands.add_subparsers(dest="bands_action")
    add = sub.add_parser("add", help="add a value band")
    add.add_argument("hourly", metavar="HOURLY", help="what an hour is worth, a whole number")
    add.add_argument(
        "--currency", metavar="CODE", default="EUR", help="a three-letter code (default: EUR)"
    )
    add.add_argument(
        "--name", metavar="TEXT", default="", help="what the band is called (default: none)"
    )


# ------------------------------------------------------------------ reading the arguments


def _task(text: str) -> Task:
    """A task by its number as the desk shows it (T-12) or as typed (12)."""
    number = text.strip().upper().removeprefix("T-")
    if not number.isdigit():
        raise CommandError(f"“{text}” is not a task: write 12 or T-12")
    task = Task.objects.select_related("owner").filter(pk=int(number)).first()
    if task is None:
        raise CommandError(f"no task T-{int(number)}")
    return task


def _person(email: str) -> User:
    """An active desk person: a disabled login no longer acts on the ledger."""
    person = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if person is None:
        raise CommandError(f"No one on the desk has the address {email.strip()}.")
    return person


def _manager(email: str) -> User | None:
    """Who adds a task: the founder or the head, or nobody named (the desk itself)."""
    if not email.strip():
        return None
    person = _person(email)
    if not actions.can_manage(person):
        raise CommandError(
            f"{person.email} may not add tasks to the ledger (the founder and the head do)."
        )
    return person


def _acting_on(task: Task, email: str, doing: str) -> User:
    """The managers do anything to a task; its owner what keeps it moving (as on the desk)."""
    person = _person(email)
    if person != task.owner and not actions.can_manage(person):
        raise CommandError(f"{person.email} does not own T-{task.pk} and may not {doing}.")
    return person


def _conversation(number: int | None) -> Conversation | None:
    if number is None:
        return None
    found = Conversation.objects.filter(pk=number).first()
    if found is None:
        raise CommandError(f"no conversation {number}")
    return found


def _new_band(hourly: str, currency: str, name: str) -> Band:
    digits = hourly.strip().replace(",", "").replace(" ", "")
    if not digits.isdigit() or not 0 < int(digits) <= MOST_HOURLY:
        raise CommandError(
            f"the value of an hour is a whole number from 1 to {MOST_HOURLY:,}, not “{hourly}”"
        )
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise CommandError(f"a currency is a three-letter code like EUR or USD, not “{currency}”")
    if len(name.strip()) > MOST_BAND_NAME:
        raise CommandError(f"a band's name is at most {MOST_BAND_NAME} characters")
    if Band.objects.filter(hourly=int(digits)).exists():
        raise CommandError(f"there is already a band of {int(digits)} an hour")
    return Band.objects.create(hourly=int(digits), currency=code, name=name.strip())


# ------------------------------------------------------------------ showing tasks


def _tasks(status: str, owner: str) -> QuerySet[Task]:
    """The tasks ``list`` shows, with what a row needs fetched in a few queries."""
    tasks = Task.objects.select_related("owner", "band").prefetch_related("checkins")
    if status != "all":
        tasks = tasks.filter(status=status)
    if owner.strip():
        email = owner.strip().lower()
        if not User.objects.filter(email=email).exists():
            raise CommandError(f"No one on the desk has the address {owner.strip()}.")
        tasks = tasks.filter(owner__email=email)
    return tasks


def _with_details(pk: int) -> Task:
    return Task.objects.select_related("owner", "band").prefetch_related("checkins").get(pk=pk)


def _row(task: Task, spent: int) -> dict[str, Any]:
    """A task as ``list --json`` writes it, one per line: scripts rely on these keys."""
    band, owner = task.band, task.owner
    return {
        "id": task.pk,
        "title": task.title,
        "status": task.status,
        "owner": owner.email if owner else None,
        "kept": owner is not None and owner.role == Role.FOUNDER,
        "band": band.hourly if band else None,
        "currency": band.currency if band else None,
        "due": task.due.isoformat() if task.due else None,
        "checkins": [
            {
                "on": c.on.isoformat(),
                "status": c.status or None,
                "text": c.text,
                "missed": c.missed_at is not None,
            }
            for c in task.checkins.all()
        ],
        "estimate_minutes": task.estimate_minutes,
        "spent_minutes": spent,
        "conversation": task.conversation_id,
        "created_at": task.created_at.isoformat(),
    }


def _table_line(task: Task, spent: int) -> tuple[str, ...]:
    """A task as the readable list shows it; the next check-in is the first unanswered."""
    band = task.band
    waiting = [c.on.isoformat() for c in task.checkins.all() if c.answered_at is None]
    return (
        f"T-{task.pk}",
        task.status,
        task.owner.email if task.owner else "—",
        f"{band.hourly} {band.currency}/h" if band else "—",
        task.due.isoformat() if task.due else "—",
        waiting[0] if waiting else "—",
        shown(spent) if spent else "—",
        shown(task.estimate_minutes),
        task.title,
    )
