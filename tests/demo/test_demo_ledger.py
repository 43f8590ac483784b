"""`handoff demo` fills the delegation ledger with four months of Acme Reports' tasks: the
rows must be the ones the ledger's actions would have left (each timeline coherent with its
task), so that the desk and the cockpit can show them as they would a real founder's."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from handoff.accounts.models import User
from handoff.cockpit.ledger import ledger
from handoff.demo.ledger_tales import LANGUAGE, LINES, LINKED, TALES, ledger_plans
from handoff.ledger.models import Band, CheckIn, Task, TaskEvent, TimeEntry
from handoff.ledger.months import previous
from handoff.ops.demo_ledger import write_ledger
from handoff.tickets.models import Event

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
FOUNDER = "camille@acme-reports.example"
LANGUAGE_OF = {tale.title: tale.lang for tale in (*TALES, *(linked[0] for linked in LINKED))}
# The data each kind of timeline row carries, as handoff.ledger.actions writes it.
KEYS = {
    TaskEvent.Kind.CREATED: [{"source"}],
    TaskEvent.Kind.OWNER: [{"to", "name"}, {"to", "name", "previous"}],
    TaskEvent.Kind.CHECKIN_SET: [{"on"}],
    TaskEvent.Kind.REMINDED: [{"on", "to"}],
    TaskEvent.Kind.CHECKED_IN: [{"on", "status", "text"}],
    TaskEvent.Kind.MISSED: [{"on"}],
    TaskEvent.Kind.ESTIMATE: [{"minutes"}],
    TaskEvent.Kind.TIME: [{"minutes", "on", "timed"}],
    TaskEvent.Kind.TIMER: [{"running"}],
    TaskEvent.Kind.STATUS: [{"to", "previous"}],
    TaskEvent.Kind.CHANGED: [{"fields"}],
}


def run_demo(tickets: int = 5) -> str:
    out = StringIO()
    call_command("demo", tickets=tickets, history=0, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def demo() -> str:
    return run_demo()


def founder_today() -> date:
    return timezone.now().astimezone(PARIS).date()


def test_the_ledger_has_months_of_tasks_in_both_languages(demo: str) -> None:
    tasks = Task.objects.all()
    assert f"demo: ledger of {tasks.count()} tasks" in demo
    assert 50 <= tasks.count() <= 70
    assert {LANGUAGE_OF[title] for title in tasks.values_list("title", flat=True)} == {"fr", "en"}
    oldest = min(tasks.values_list("created_at", flat=True))
    assert timezone.now() - oldest > timedelta(days=100)
    assert set(Band.objects.values_list("hourly", "currency")) == {
        (10, "EUR"),
        (100, "EUR"),
        (1000, "EUR"),
        (10000, "EUR"),
    }
    assert {t.status for t in tasks} == {"open", "done", "dropped"}
    assert tasks.filter(status="dropped").count() in (1, 2)
    assert tasks.filter(status="done", done_at=None).count() == 0


def test_owners_the_founder_keeps_and_the_team_shares(demo: str) -> None:
    founder = User.objects.get(email=FOUNDER)
    open_ = Task.objects.filter(status=Task.Status.OPEN)
    assert open_.filter(owner=None).exists()
    assert open_.filter(checkins=None).exclude(owner=None).exists()
    delegated = Task.objects.exclude(owner=None).exclude(owner=founder)
    assert set(delegated.values_list("owner__role", flat=True)) == {"head", "agent"}
    kept = Task.objects.filter(owner=founder, estimate_minutes__isnull=False)
    spent = {t.pk: t.spent for t in kept.annotate(spent=Sum("time__minutes")) if t.spent}
    ratios = [spent[t.pk] / t.estimate_minutes for t in kept if t.pk in spent]
    assert max(ratios) >= 100  # "5 minutes" that took days
    assert any(0.8 <= ratio <= 1.25 for ratio in ratios)  # and some she got right


def test_check_ins_kept_and_missed_in_the_owners_language(demo: str) -> None:
    checkins = CheckIn.objects.select_related("answered_by", "task__owner")
    kept = checkins.filter(answered_at__isnull=False, missed_at=None)
    assert kept.exists()
    assert checkins.filter(missed_at__isnull=False, answered_at=None).exists()  # never answered
    assert checkins.filter(missed_at__isnull=False, answered_at__isnull=False).exists()  # late
    assert {c.status for c in kept} == {"on_track", "needs_help", "blocked"}
    for checkin in checkins.filter(answered_at__isnull=False):
        assert checkin.answered_by is not None
        assert (
            checkin.text in LINES[LANGUAGE[checkin.answered_by.email.split("@")[0]]][checkin.status]
        )
        assert checkin.answered_at.astimezone(PARIS).date() >= checkin.on
    for checkin in checkins.filter(missed_at__isnull=False):
        assert checkin.missed_at.astimezone(PARIS).date() > checkin.on
    # A past check-in of an open task with an owner is answered or missed: the worker's
    # tick would otherwise mark it missed (and mail the team) the moment the demo is up.
    waiting = checkins.filter(
        on__lt=founder_today(), answered_at=None, missed_at=None, task__status="open"
    )
    assert not waiting.exclude(task__owner=None).exists()


def test_the_founders_hours_this_month_and_last(demo: str) -> None:
    founder = User.objects.get(email=FOUNDER)
    today = founder_today()
    first = today.replace(day=1)
    hours = TimeEntry.objects.filter(user=founder)
    assert hours.filter(on__gte=first, on__lte=today).exists()
    assert hours.filter(on__gte=previous(first), on__lt=first).exists()
    assert not hours.filter(on__gt=today).exists()
    with timezone.override(PARIS):  # the cockpit reads in its reader's time zone
        figures = ledger(today)
    assert figures.this.minutes > 0
    assert figures.last.minutes > 0
    assert len(figures.rows) >= 2
    assert figures.estimates  # her tasks finished this month, estimate against time


def test_every_timeline_tells_its_task(demo: str) -> None:
    now = timezone.now()
    for task in Task.objects.prefetch_related("events", "checkins", "time"):
        events = list(task.events.order_by("at", "pk"))
        kinds = [e.kind for e in events]
        assert kinds[0] == TaskEvent.Kind.CREATED
        assert kinds.count("created") == 1
        assert events[0].at == task.created_at
        assert all(e.at <= now for e in events)
        for e in events:
            assert set(e.data) in KEYS[e.kind], (e.kind, e.data)
        said = {(e.kind, e.data.get("on")) for e in events}
        for checkin in task.checkins.all():
            assert ("checkin_set", checkin.on.isoformat()) in said
            if checkin.answered_at is not None:
                assert ("checked_in", checkin.on.isoformat()) in said
            if checkin.missed_at is not None:
                assert ("missed", checkin.on.isoformat()) in said
        timed = [(e.data["on"], e.data["minutes"]) for e in events if e.kind == "time"]
        assert sorted(timed) == sorted((t.on.isoformat(), t.minutes) for t in task.time.all())
        owners = [e.data["to"] for e in events if e.kind == "owner"]
        assert (owners[-1] if owners else None) == task.owner_id
        statuses = [e.data["to"] for e in events if e.kind == "status"]
        assert (statuses[-1] if statuses else "open") == task.status
        assert ("estimate" in kinds) == (task.estimate_minutes is not None)


def test_a_task_made_from_a_conversation_is_on_its_timeline(demo: str) -> None:
    linked = Task.objects.exclude(conversation=None)
    assert linked.exists()  # the DPA one: its conversation is among the first five
    for task in linked:
        assert task.source == "conversation"
        found = Event.objects.get(conversation=task.conversation, kind=Event.Kind.TASK)
        assert found.data == {"task": task.pk, "title": task.title}
        assert found.at == task.created_at
        assert task.created_at > task.conversation.last_message_at


def test_running_the_demo_twice_adds_no_task(demo: str) -> None:
    counts = [m.objects.count() for m in (Task, TaskEvent, CheckIn, TimeEntry)]
    again = run_demo()
    assert "(already there)" in again
    assert [m.objects.count() for m in (Task, TaskEvent, CheckIn, TimeEntry)] == counts


def test_the_ledger_is_written_in_well_under_two_seconds(demo: str) -> None:
    Task.objects.all().delete()
    started = time.perf_counter()
    written = write_ledger(timezone.now(), seed=7)
    assert time.perf_counter() - started < 2
    assert written.tasks == Task.objects.count() > 50


def test_just_after_midnight_on_the_first_of_a_month() -> None:
    """Today's hours are written a minute ago, never in the future, and this month has some."""
    moment = datetime(2026, 2, 28, 23, 10, tzinfo=UTC)  # 00:10 on 1 March in Paris
    with time_machine.travel(moment, tick=False):
        run_demo(tickets=0)
        today = founder_today()
        assert today == date(2026, 3, 1)
        assert not TaskEvent.objects.filter(at__gt=moment).exists()
        assert not Task.objects.filter(Q(created_at__gt=moment) | Q(done_at__gt=moment)).exists()
        with timezone.override(PARIS):
            figures = ledger(today)
        assert figures.this.minutes > 0
        assert figures.last.minutes > 0
        assert figures.estimates  # finished today, the month's first day
    assert not Task.objects.exclude(conversation=None).exists()  # no conversation: none made


def test_the_plans_are_the_same_for_a_seed_and_a_day() -> None:
    today = date(2026, 5, 12)
    assert ledger_plans(7, today) == ledger_plans(7, today)
    assert ledger_plans(7, today) != ledger_plans(8, today)


@pytest.mark.parametrize("day", range(1, 32, 3))
def test_every_story_is_in_the_past_and_in_order_whatever_the_day(day: int) -> None:
    for plan in ledger_plans(7, date(2026, 1, day)):
        checks = [m for c in plan.checks for m in (c.agreed, c.reminded, c.missed, c.answered)]
        moments = [
            *(h.at for h in plan.handovers),
            *(m for m in checks if m is not None),
            *(w.end for w in plan.work),
            *(at for at, _ in plan.moved),
        ]
        assert all(plan.created <= m and m.day <= 0 for m in moments), plan.tale.title
        if plan.closed is not None:
            assert all(m <= plan.closed for m in moments), plan.tale.title
        for check in plan.checks:
            assert check.agreed.day <= check.on
            if check.answered or check.missed:
                assert check.on < 0
                assert check.reminded is not None


def test_the_demo_has_shared_saved_replies_in_both_languages(demo: str) -> None:
    from handoff.desk import saved
    from handoff.desk.models import SavedReply

    replies = SavedReply.objects.filter(owner=None)
    assert set(replies.values_list("language", flat=True)) == {"en", "fr"}
    for reply in replies:
        saved.check(reply.body)  # every placeholder is one the desk fills
    assert len(replies) == 4
