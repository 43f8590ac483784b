"""`handoff ledger`: tasks added, listed (one JSON object a line, a contract for scripts),
checked in, timed and finished from the command line; value bands; and every bad input
answered with the ledger's own clear message, never a traceback."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from handoff.accounts.models import Role, User
from handoff.ledger.models import Band, CheckIn, Task, TimeEntry
from tests.conftest import PASSWORD
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)  # a Tuesday
CAMILLE, SOPHIE, CHRIS = "camille@acme.example", "sophie@acme.example", "chris@acme.example"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bands() -> dict[int, Band]:
    return {h: Band.objects.create(hourly=h, currency="USD") for h in (10, 100)}


def ledger(*args: str) -> str:
    out = io.StringIO()
    call_command("ledger", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    """The message a refused command ends with."""
    with pytest.raises(CommandError) as caught:
        ledger(*args)
    return str(caught.value)


def listed(*args: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in ledger("list", "--json", *args).splitlines()]


def task_for(owner: str) -> int:
    """A task the desk itself adds, owned by ``owner``; its number."""
    return int(ledger("add", "Renew the domain", "--owner", owner).strip().removeprefix("T-"))


def test_a_task_added_with_every_option_is_listed_as_one_object_a_line(people, bands) -> None:
    (message,) = deliver(mail("q@client.example", subject="Can we resell you in Japan?"))
    added = ledger(
        "add",
        "Decide on a   Japanese reseller",
        "--description",
        "They asked twice.",
        "--outcome",
        "A yes or a no, with the margin we accept",
        "--band",
        "100",
        "--owner",
        "Sophie@Acme.example",
        "--due",
        "2026-11-30",
        "--checkin",
        "2026-11-19",
        "--checkin",
        "2026-11-12",
        "--estimate",
        "1h30",
        "--conversation",
        str(message.conversation_id),
        "--by",
        CAMILLE,
    )
    kept = ledger("add", "Sign the lease", "--owner", CAMILLE)
    first, second = Task.objects.order_by("pk")
    assert (added, kept) == (f"T-{first.pk}\n", f"T-{second.pk}\n")
    assert (first.source, first.created_by) == (Task.Source.COMMAND, people["camille"])
    assert second.created_by is None  # the desk itself
    assert listed() == [
        {
            "id": second.pk,
            "title": "Sign the lease",
            "status": "open",
            "owner": CAMILLE,
            "kept": True,
            "band": None,
            "currency": None,
            "due": None,
            "checkins": [],
            "estimate_minutes": None,
            "spent_minutes": 0,
            "conversation": None,
            "created_at": "2026-11-10T09:00:00+00:00",
        },
        {
            "id": first.pk,
            "title": "Decide on a Japanese reseller",
            "status": "open",
            "owner": SOPHIE,
            "kept": False,
            "band": 100,
            "currency": "USD",
            "due": "2026-11-30",
            "checkins": [
                {"on": "2026-11-12", "status": None, "text": "", "missed": False},
                {"on": "2026-11-19", "status": None, "text": "", "missed": False},
            ],
            "estimate_minutes": 90,
            "spent_minutes": 0,
            "conversation": message.conversation_id,
            "created_at": "2026-11-10T09:00:00+00:00",
        },
    ]


def test_add_json_prints_the_task_as_list_does(people, bands) -> None:
    (row,) = [json.loads(line) for line in ledger("add", "Price list", "--json").splitlines()]
    assert row == listed()[0]
    assert (row["title"], row["owner"], row["kept"]) == ("Price list", None, False)


def test_the_readable_list_has_a_line_a_task_under_a_header(people, bands) -> None:
    assert ledger("list") == "no tasks\n"
    number = task_for(CHRIS)
    ledger(
        "add", "Pay the accountant", "--band", "10", "--estimate", "2h", "--checkin", "2026-11-12"
    )
    columns = [re.split(r"\s{2,}", line) for line in ledger("list").splitlines()]
    assert columns == [
        ["TASK", "STATUS", "OWNER", "BAND", "DUE", "CHECK-IN", "SPENT", "ESTIMATE", "TITLE"],
        [
            f"T-{number + 1}",
            "open",
            "—",
            "10 USD/h",
            "—",
            "2026-11-12",
            "—",
            "2 h",
            "Pay the accountant",
        ],
        [f"T-{number}", "open", CHRIS, "—", "—", "—", "—", "—", "Renew the domain"],
    ]


def test_list_filters_by_status_and_owner(people) -> None:
    mine, chris = task_for(CAMILLE), task_for(CHRIS)
    ledger("done", str(mine), "--by", CAMILLE)
    assert [r["id"] for r in listed()] == [chris]
    assert [r["id"] for r in listed("--status", "done")] == [mine]
    assert [r["id"] for r in listed("--status", "all")] == [chris, mine]
    assert [r["id"] for r in listed("--status", "all", "--owner", "Chris@acme.example")] == [chris]
    assert listed("--status", "dropped") == []
    assert refused("list", "--owner", "nobody@acme.example") == (
        "No one on the desk has the address nobody@acme.example."
    )


def test_the_owner_checks_in_a_manager_may_too_anyone_else_not(people) -> None:
    number = int(ledger("add", "Japan", "--owner", CHRIS, "--checkin", "2026-11-12").strip()[2:])
    assert ledger("checkin", f"T-{number}", "needs_help", "Which margin?", "--by", CHRIS) == (
        f"T-{number}: needs help\n"
    )
    assert ledger("checkin", str(number), "on_track", "--by", SOPHIE) == f"T-{number}: on track\n"
    (row,) = listed()
    assert row["checkins"] == [
        {"on": "2026-11-10", "status": "on_track", "text": "", "missed": False},  # today's
        {"on": "2026-11-12", "status": "needs_help", "text": "Which margin?", "missed": False},
    ]
    assert CheckIn.objects.filter(answered_by=people["chris"]).count() == 1

    theirs = task_for(SOPHIE)
    assert refused("checkin", str(theirs), "blocked", "--by", CHRIS) == (
        f"{CHRIS} does not own T-{theirs} and may not check in for it."
    )
    assert not Task.objects.get(pk=theirs).checkins.exists()


def test_time_is_recorded_on_the_day_it_was_worked(people) -> None:
    number = task_for(CHRIS)
    assert ledger("time", f"T-{number}", "1h30", "--by", CHRIS, "--on", "2026-11-09") == (
        f"T-{number}: 1 h 30 recorded on 2026-11-09\n"
    )
    assert ledger("time", str(number), "45m", "--by", CAMILLE) == (
        f"T-{number}: 45 min recorded on 2026-11-10\n"
    )
    entries = TimeEntry.objects.order_by("on").values_list("user__email", "on", "minutes")
    assert list(entries) == [(CHRIS, date(2026, 11, 9), 90), (CAMILLE, date(2026, 11, 10), 45)]
    assert listed()[0]["spent_minutes"] == 135


def test_done_records_the_last_time_then_finishes_the_task(people) -> None:
    number = task_for(CHRIS)
    assert ledger("done", f"t-{number}", "--by", CHRIS, "--spent", "2h") == f"T-{number}: done\n"
    task = Task.objects.get(pk=number)
    assert (task.status, task.done_at) == (Task.Status.DONE, NOW)
    (row,) = listed("--status", "done")
    assert row["spent_minutes"] == 120


def test_done_refused_for_its_time_leaves_the_task_open(people) -> None:
    number = task_for(CHRIS)
    assert refused("done", str(number), "--by", CHRIS, "--spent=-2h") == (
        "A time cannot be negative: “-2h”."
    )
    assert Task.objects.get(pk=number).status == Task.Status.OPEN
    assert not TimeEntry.objects.exists()


def test_bands_are_listed_and_added(db: None) -> None:
    assert ledger("bands") == ""
    assert ledger("bands", "add", "1,000", "--currency", "usd", "--name", "Deals") == (
        "added the band $1\u202f000/h · Deals\n"
    )
    assert ledger("bands", "add", "100") == "added the band €100/h\n"
    assert ledger("bands").splitlines() == [
        "       100  EUR",
        "      1000  USD  Deals",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["100"], "there is already a band of 100 an hour"),
        (["0"], "the value of an hour is a whole number from 1 to 10,000,000, not “0”"),
        (["-5"], "the value of an hour is a whole number from 1 to 10,000,000, not “-5”"),
        (["12.5"], "the value of an hour is a whole number from 1 to 10,000,000, not “12.5”"),
        (["a lot"], "the value of an hour is a whole number from 1 to 10,000,000, not “a lot”"),
        (["50", "--currency", "€"], "a currency is a three-letter code like EUR or USD, not “€”"),
        (["50", "--name", "x" * 81], "a band's name is at most 80 characters"),
    ],
    ids=["duplicate", "zero", "negative", "fraction", "words", "currency", "long name"],
)
def test_a_bad_band_is_refused(db: None, args: list[str], message: str) -> None:
    Band.objects.create(hourly=100)
    assert refused("bands", "add", *args) == message
    assert list(Band.objects.values_list("hourly", flat=True)) == [100]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "  "], "A task needs a title."),
        (
            ["add", "X", "--owner", "nobody@acme.example"],
            "No one on the desk has the address nobody@acme.example.",
        ),
        (["add", "X", "--band", "7"], "There is no value band 7 (the bands are: 10, 100)."),
        (["add", "X", "--due", "2026-02-30"], "“2026-02-30” is not a date (YYYY-MM-DD)."),
        (
            ["add", "X", "--due", "2026-11-09"],
            "The due date 2026-11-09 is before today (2026-11-10).",
        ),
        (
            ["add", "X", "--checkin", "2026-11-12", "--checkin", "2026-11-09"],
            "The check-in date 2026-11-09 is before today (2026-11-10).",
        ),
        (["add", "X", "--checkin", "next week"], "“next week” is not a date (YYYY-MM-DD)."),
        (["add", "X", "--estimate", "300d"], "300 d is not believable here (at most 250 d)."),
        (
            ["add", "X", "--estimate", "soon"],
            "“soon” is not a duration: write it like 45m, 1h30, 2h or 1.5d.",
        ),
        (["add", "X", "--conversation", "999"], "no conversation 999"),
        (
            ["add", "X", "--by", CHRIS],
            f"{CHRIS} may not add tasks to the ledger (the founder and the head do).",
        ),
        (
            ["add", "X", "--by", "nobody@acme.example"],
            "No one on the desk has the address nobody@acme.example.",
        ),
    ],
    ids=[
        "no title",
        "unknown owner",
        "unknown band",
        "bad due date",
        "past due date",
        "past check-in",
        "bad check-in",
        "absurd estimate",
        "bad estimate",
        "unknown conversation",
        "agent adds",
        "unknown adder",
    ],
)
def test_a_bad_task_is_refused_clearly_and_nothing_is_added(
    people, bands, args: list[str], message: str
) -> None:
    assert refused(*args) == message
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["time", "{task}", "-30", "--by", CHRIS], "A time cannot be negative: “-30”."),
        (["time", "{task}", "0m", "--by", CHRIS], "A time must be more than zero."),
        (["time", "{task}", "30d", "--by", CHRIS], "30 d is not believable here (at most 20 d)."),
        (
            ["time", "{task}", "a while", "--by", CHRIS],
            "“a while” is not a duration: write it like 45m, 1h30, 2h or 1.5d.",
        ),
        (
            ["time", "{task}", "1h", "--by", CHRIS, "--on", "yesterday"],
            "“yesterday” is not a date (YYYY-MM-DD).",
        ),
        (
            ["time", "{task}", "1h", "--by", CHRIS, "--on", "2026-11-11"],
            "Time cannot be recorded for a day still to come.",
        ),
        (
            ["time", "{task}", "1h", "--by", "nobody@acme.example"],
            "No one on the desk has the address nobody@acme.example.",
        ),
        (
            ["time", "{task}", "1h", "--by", "lea@acme.example"],
            "lea@acme.example does not own T-{task} and may not record time on it.",
        ),
        (["time", "T-999", "1h", "--by", CHRIS], "no task T-999"),
        (["checkin", "999", "blocked", "--by", CHRIS], "no task T-999"),
        (["done", "T-x", "--by", CHRIS], "“T-x” is not a task: write 12 or T-12"),
        (
            ["done", "{task}", "--by", "lea@acme.example"],
            "lea@acme.example does not own T-{task} and may not finish it.",
        ),
    ],
    ids=[
        "negative",
        "zero",
        "absurd",
        "words",
        "bad day",
        "future day",
        "unknown person",
        "not the owner",
        "unknown task",
        "unknown task to check in",
        "not a task number",
        "not the owner to finish",
    ],
)
def test_bad_time_and_bad_people_are_refused_clearly(people, args: list[str], message: str) -> None:
    User.objects.create_user("lea@acme.example", PASSWORD, name="Léa", role=Role.AGENT)
    number = str(task_for(CHRIS))
    assert refused(*(a.format(task=number) for a in args)) == message.format(task=number)
    assert not TimeEntry.objects.exists()
    assert Task.objects.get().status == Task.Status.OPEN


def test_the_real_command_line_lists_and_refuses_without_a_traceback(make_scratch_env) -> None:
    env = make_scratch_env()

    def handoff(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "handoff.cli", "ledger", *args],
            env=env,
            capture_output=True,
            text=True,
        )

    empty = handoff("list", "--json")
    assert (empty.returncode, empty.stdout) == (0, ""), empty.stderr
    added = handoff("add", "Renew the domain", "--estimate", "30m")
    assert (added.returncode, added.stdout) == (0, "T-1\n"), added.stderr
    listed = handoff("list", "--json")
    assert listed.returncode == 0, listed.stderr
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert (row["id"], row["title"], row["estimate_minutes"]) == (1, "Renew the domain", 30)

    bad = handoff("add", "Sell more", "--band", "7")
    assert bad.returncode == 1
    assert "There is no value band 7 (the bands are: none yet)." in bad.stderr
    assert "Traceback" not in bad.stderr
    assert bad.stdout == ""
