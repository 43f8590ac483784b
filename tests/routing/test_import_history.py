"""A founder's mailbox holds years of mail: `handoff import` brings the old conversations in
as history (solved, searchable, nobody's work, out of the cockpit's figures) and the recent
ones as the team's work; a customer writing again wakes an old one with a fresh clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from handoff.cockpit.models import Outcome
from handoff.cockpit.rollup import refresh
from handoff.desk.timeline import describe
from handoff.mailin.store import Incoming, store
from handoff.pipeline.tasks import tick
from handoff.routing.actions import route
from handoff.routing.models import Clock, Notification
from handoff.routing.sweep import sweep
from handoff.tickets import changes, timeline
from handoff.tickets.models import Conversation, Event, Message
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # a Monday: Anna and Marc (Paris) on shift
DAY = timedelta(days=1)


def run_import(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("import", *args, "--json", "--jobs", "1", stdout=out, stderr=StringIO())
    return dict(json.loads(out.getvalue()))


def history_rows(conversation_id: int) -> list[Event]:
    return list(
        Event.objects.filter(
            conversation_id=conversation_id, kind=Event.Kind.STATUS, data__reason=timeline.HISTORY
        )
    )


@pytest.fixture
def mailbox(tmp_path: Path) -> Path:
    old = [
        mail("old-1@client.example", subject="Old question", date=NOW - 40 * DAY),
        mail(
            "old-2@client.example",
            subject="Re: Old question",
            in_reply_to="old-1@client.example",
            date=NOW - 39 * DAY,
        ),
    ]
    recent = mail("new-1@client.example", subject="New question", sender="bo@client.example",
                  date=NOW - 2 * DAY)  # fmt: skip
    for number, raw in enumerate([*old, recent]):
        (tmp_path / f"{number}.eml").write_bytes(raw)
    return tmp_path


def test_old_conversations_are_history_and_recent_ones_the_teams_work(team, mailbox) -> None:
    with time_machine.travel(NOW, tick=False):
        summary = run_import(str(mailbox))
        assert (summary["tickets"], summary["history"]) == (2, 1)
        old = Message.objects.get(message_id="old-1@client.example").conversation
        new = Message.objects.get(message_id="new-1@client.example").conversation
        assert (old.status, new.status) == ("solved", "new")
        (row,) = history_rows(old.pk)
        with translation.override("fr"):
            assert describe(row) == (
                "Importée comme historique et résolue : son dernier message date d'avant le "
                "2026-10-19"
            )
        assert describe(row) == (
            "Imported as history and solved: its last message is from before 2026-10-19"
        )
        held = Clock.objects.get(pk=old.pk)
        assert (held.is_open, held.assignee_id, held.earliest_due) == (False, None, None)
        working = Clock.objects.get(pk=new.pk)
        assert working.is_open
        assert working.assignee_id is not None
        assert working.earliest_due is not None
        assert working.earliest_due > NOW

    with time_machine.travel(NOW + 3 * DAY, tick=False):
        sweep()
        assert not Notification.objects.filter(conversation=old).exists()
        refresh([old.pk, new.pk])
        assert not Outcome.objects.get(pk=old.pk).needs_answer  # not the desk's to answer
        assert Outcome.objects.get(pk=new.pk).needs_answer

        again = run_import(str(mailbox))  # the same files: nothing new, nothing twice
        assert (again["stored"], again["tickets"], again["history"]) == (0, 0, 0)
        assert len(history_rows(old.pk)) == 1


def test_the_customer_writing_again_wakes_an_old_conversation(team, mailbox) -> None:
    with time_machine.travel(NOW, tick=False):
        run_import(str(mailbox))
        old = Message.objects.get(message_id="old-1@client.example").conversation
    later = NOW + 2 * DAY
    with time_machine.travel(later, tick=False):
        (message,) = deliver(
            mail(
                "old-3@client.example",
                subject="Re: Old question",
                in_reply_to="old-2@client.example",
                date=later,
            )
        )
        assert message.conversation_id == old.pk
        route([old.pk], later)
        woken = Clock.objects.get(pk=old.pk)
        assert Conversation.objects.get(pk=old.pk).status == "open"
        assert woken.is_open
        assert woken.assignee_id is not None
        # The clock counts from the new message, not from the import two days before.
        assert woken.earliest_due is not None
        assert woken.earliest_due > later
        assert woken.breached_at is None
        refresh([old.pk])
        outcome = Outcome.objects.get(pk=old.pk)
        assert outcome.needs_answer
        assert outcome.opened_at == message.received_at


def test_solved_again_without_a_second_row_unless_a_person_reopened_it(team) -> None:
    """A thread split across the import's batches: a later batch's message reopens it on
    the way in, and the batch solves it again, saying it once. Mail that came another way
    (live, or the desk's own) is the desk's: never history."""
    with time_machine.travel(NOW, tick=False):
        (message,) = deliver(mail("a@client.example", date=NOW - 30 * DAY), channel="import")
        pk = message.conversation_id
        before = NOW - 14 * DAY
        (live,) = deliver(mail("b@client.example", sender="bo@client.example", date=NOW - 30 * DAY))
        assert changes.archive([live.conversation_id], before, NOW) == []  # the desk's own
        assert changes.archive([pk], before, NOW) == [pk]
        Conversation.objects.filter(pk=pk).update(status="open")  # as ingest reopens
        assert changes.archive([pk], before, NOW) == [pk]
        assert len(history_rows(pk)) == 1
        changes.set_status(Conversation.objects.get(pk=pk), "open", actor_id=team["sophie"].pk)
        assert changes.archive([pk], before, NOW) == [pk]
        assert len(history_rows(pk)) == 2
        assert changes.archive([pk], NOW - 60 * DAY, NOW) == []  # newer than that: kept


def test_a_negative_number_of_days_is_refused(mailbox) -> None:
    with pytest.raises(CommandError, match="--open-days must be 0 or more"):
        run_import(str(mailbox), "--open-days", "-1")


def test_what_a_killed_import_left_stored_the_worker_takes_as_history(team) -> None:
    """The import died after storing: the worker's tick processes the rest, with the default
    cut-off; old mail that came live (here by SMTP) is still the team's work."""
    with time_machine.travel(NOW, tick=False):
        old = mail("killed@client.example", subject="Old", date=NOW - 40 * DAY)
        late = mail("smtp@client.example", subject="Late", sender="bo@client.example",
                    date=NOW - 40 * DAY)  # fmt: skip
        store(Incoming(old, "import"))
        store(Incoming(late, "smtp"))
        tick.call()
        imported = Message.objects.get(message_id="killed@client.example").conversation
        live = Message.objects.get(message_id="smtp@client.example").conversation
        assert (imported.status, live.status) == ("solved", "new")
        assert len(history_rows(imported.pk)) == 1
        assert Clock.objects.get(pk=live.pk).is_open
