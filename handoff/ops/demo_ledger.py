"""The demo's delegation ledger in the database (``handoff demo``): the plans that
``handoff.demo.ledger_tales`` tells, written as the rows the ledger's actions would have
left over four months: the value bands, the tasks, their check-ins, the founder's time,
and each task's timeline with the data ``handoff.ledger.actions`` writes for each kind
(a task made from a conversation is on that conversation's timeline too).

The timelines, check-ins and hours are inserted in bulk, in one transaction: the whole
ledger takes a fraction of a second. Written once: a desk whose ledger has tasks keeps
them, so running the demo twice adds none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from handoff.accounts.models import User
from handoff.demo.cast import DOMAIN
from handoff.demo.ledger_tales import (
    BANDS,
    CURRENCY,
    FOUNDER,
    Check,
    Moment,
    Plan,
    Work,
    ledger_plans,
)
from handoff.ledger.models import Band, CheckIn, Task, TaskEvent, TimeEntry
from handoff.routing.roster import zone_of
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event

Kind = TaskEvent.Kind
Step = tuple[Moment, str, User | None, dict[str, Any]]  # a timeline row, before its date
# A task made from a conversation was made a little after its last message.
AFTER_CONVERSATION = timedelta(minutes=20)


@dataclass(frozen=True, slots=True)
class Written:
    tasks: int
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class Clock:
    """The plans' moments on the founder's clock. A moment of today still to come is
    written as a minute ago (the ledger's rows are all in the past); ``pinned``: every
    moment of the plan at once (a task made from a conversation, whenever that came)."""

    today: date
    zone: ZoneInfo
    latest: datetime
    pinned: datetime | None = None

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def at(self, moment: Moment) -> datetime:
        if self.pinned is not None:
            return self.pinned
        clock = time(moment.minute // 60, moment.minute % 60)
        return min(datetime.combine(self.day(moment.day), clock, tzinfo=self.zone), self.latest)


def write_ledger(now: datetime, seed: int) -> Written:
    """The demo ledger, unless the desk's ledger already has tasks."""
    if Task.objects.exists():
        return Written(Task.objects.count(), skipped=True)
    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}
    zone = zone_of(people[FOUNDER])
    clock = Clock(now.astimezone(zone).date(), zone, now - timedelta(minutes=1))
    with transaction.atomic():
        writer = Writer(people, clock, bands())
        tasks = sum(writer.write(plan) for plan in ledger_plans(seed, clock.today))
        writer.save()
    return Written(tasks)


def bands() -> dict[int, Band]:
    """The four bands, from $10/h to $10,000/h (a desk that has one keeps its own)."""
    return {
        hourly: Band.objects.get_or_create(
            hourly=hourly, defaults={"currency": CURRENCY, "name": name}
        )[0]
        for hourly, name in BANDS.items()
    }


class Writer:
    """Writes each task at once (its rows need its id), and keeps its other rows for
    ``save``: three bulk inserts instead of a thousand small ones."""

    def __init__(self, people: dict[str, User], clock: Clock, bands: dict[int, Band]) -> None:
        self.people, self.clock, self.bands = people, clock, bands
        self.events: list[TaskEvent] = []
        self.checkins: list[CheckIn] = []
        self.entries: list[TimeEntry] = []

    def who(self, login: str | None) -> User | None:
        return self.people[login] if login else None

    def write(self, plan: Plan) -> bool:
        """Writes the task; False when the conversation it was made from is not in this
        demo (fewer recent conversations were asked for)."""
        clock, conversation = self.clock, None
        if plan.conversation:
            conversation = (
                Conversation.objects.filter(subject__startswith=plan.conversation)
                .order_by("-last_message_at")
                .first()
            )
            if conversation is None:
                return False
            pinned = conversation.last_message_at + AFTER_CONVERSATION
            clock = replace(clock, pinned=min(pinned, clock.latest))
        task = self.task(plan, clock, conversation)
        self.events += [
            TaskEvent(task=task, kind=kind, at=clock.at(at), actor=actor, data=data)
            for at, kind, actor, data in self.steps(plan)
        ]
        self.checkins += [self.checkin(task, check, clock) for check in plan.checks]
        self.entries += [self.entry(task, work, clock) for work in plan.work]
        if conversation is not None:
            timeline.append(
                conversation.pk,
                Event.Kind.TASK,
                at=task.created_at,
                actor_id=task.created_by_id,
                task=task.pk,
                title=task.title,
            )
        return True

    def task(self, plan: Plan, clock: Clock, conversation: Conversation | None) -> Task:
        tale = plan.tale
        return Task.objects.create(
            title=tale.title,
            description=tale.description,
            outcome=tale.outcome,
            band=self.bands[tale.band] if tale.band is not None else None,
            owner=self.who(plan.owner),
            due=clock.day(plan.due) if plan.due is not None else None,
            status=plan.status,
            estimate_minutes=tale.estimate,
            conversation=conversation,
            source=plan.source,
            created_by=self.who(plan.creator),
            created_at=clock.at(plan.created),
            done_at=clock.at(plan.closed) if plan.closed and plan.status == "done" else None,
        )

    def steps(self, plan: Plan) -> list[Step]:
        """The timeline, oldest first; rows of one moment in the order the actions write
        them (``create`` writes created, owner, estimate, then the check-in dates)."""
        steps: list[Step] = [
            (plan.created, Kind.CREATED, self.who(plan.creator), {"source": plan.source})
        ]
        for handover in plan.handovers:
            owner = self.people[handover.to]
            data: dict[str, Any] = {"to": owner.pk, "name": str(owner)}
            if handover.at != plan.created:  # ``set_owner``: it says who had it before
                data["previous"] = self.people[handover.previous].pk if handover.previous else None
            steps.append((handover.at, Kind.OWNER, self.who(handover.by), data))
        if plan.tale.estimate is not None:
            estimate = {"minutes": plan.tale.estimate}
            steps.append((plan.created, Kind.ESTIMATE, self.who(plan.creator), estimate))
        for check in plan.checks:
            steps += self.check_steps(check)
        for work in plan.work:
            steps += self.work_steps(work)
        steps += [(at, Kind.CHANGED, self.who(by), {"fields": ["due"]}) for at, by in plan.moved]
        if plan.closed is not None:
            status = {"to": plan.status, "previous": Task.Status.OPEN.value}
            steps.append((plan.closed, Kind.STATUS, self.who(plan.closer), status))
        return sorted(steps, key=lambda step: step[0])

    def check_steps(self, check: Check) -> list[Step]:
        on = self.clock.day(check.on).isoformat()
        steps: list[Step] = [(check.agreed, Kind.CHECKIN_SET, self.who(check.by), {"on": on})]
        if check.reminded is not None:
            to = self.people[check.owner].pk
            steps.append((check.reminded, Kind.REMINDED, None, {"on": on, "to": to}))
        if check.missed is not None:
            steps.append((check.missed, Kind.MISSED, None, {"on": on}))
        if check.answered is not None:
            said = {"on": on, "status": check.status, "text": check.text}
            steps.append((check.answered, Kind.CHECKED_IN, self.who(check.owner), said))
        return steps

    def work_steps(self, work: Work) -> list[Step]:
        founder = self.people[FOUNDER]
        steps: list[Step] = []
        if work.timed:
            steps.append((work.start, Kind.TIMER, founder, {"running": True}))
            steps.append((work.end, Kind.TIMER, founder, {"running": False}))
        on = self.clock.day(work.start.day).isoformat()
        data = {"minutes": work.minutes, "on": on, "timed": work.timed}
        steps.append((work.end, Kind.TIME, founder, data))
        return steps

    def checkin(self, task: Task, check: Check, clock: Clock) -> CheckIn:
        return CheckIn(
            task=task,
            on=clock.day(check.on),
            reminded_at=clock.at(check.reminded) if check.reminded is not None else None,
            status=check.status,
            text=check.text,
            answered_at=clock.at(check.answered) if check.answered is not None else None,
            answered_by=self.who(check.owner) if check.answered is not None else None,
            missed_at=clock.at(check.missed) if check.missed is not None else None,
        )

    def entry(self, task: Task, work: Work, clock: Clock) -> TimeEntry:
        return TimeEntry(
            task=task,
            user=self.people[FOUNDER],
            on=clock.day(work.start.day),
            minutes=work.minutes,
            timed=work.timed,
            created_at=clock.at(work.end),
        )

    def save(self) -> None:
        CheckIn.objects.bulk_create(self.checkins)
        TimeEntry.objects.bulk_create(self.entries)
        TaskEvent.objects.bulk_create(self.events)
