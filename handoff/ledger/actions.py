"""Every change to the ledger, one function each: checked, written with its timeline row
(check-ins and their answers in ``handoff.ledger.checkins``).

Bad input raises ``Refused`` with the reason in the reader's language; the desk, the
command line and the mail intake show it as it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from handoff.accounts.models import Role, User
from handoff.ledger.models import Band, CheckIn, Task, TaskEvent, TimeEntry
from handoff.lib import durations
from handoff.routing.roster import zone_of
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event

MANAGERS = {Role.FOUNDER, Role.HEAD}
OWNERS = {Role.FOUNDER, Role.HEAD, Role.AGENT, Role.ADMIN}
# Beyond these a figure is a typing mistake, not work: a year of working days for an
# estimate, a month of them in one record of time.
MOST_ESTIMATE = 250 * durations.WORKDAY
MOST_RECORDED = 20 * durations.WORKDAY
MOST_CHECKINS = 20
Kind = TaskEvent.Kind


class Refused(ValueError):
    """Input the ledger will not take; ``str()`` says why, in the reader's language."""


# ------------------------------------------------------------------ who sees what


def shown(minutes: int | None) -> str:
    """Minutes as the reader says them: "45 min", "2 h 30", "3 d" ("3 j" in French)."""
    return durations.shown(minutes, pgettext("a working day, one letter", "d"))


def can_manage(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.role in MANAGERS


def visible_tasks(user: Any) -> QuerySet[Task]:
    """The founder and the head see the whole ledger; anyone else only what they own."""
    if not isinstance(user, User) or not user.is_active:
        return Task.objects.none()
    if can_manage(user):
        return Task.objects.all()
    return Task.objects.filter(owner=user)


def access_task(user: Any, pk: int) -> Task:
    task = visible_tasks(user).select_related("owner", "band", "conversation").filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def today_for(user: User | None, now: datetime | None = None) -> date:
    now = now or timezone.now()
    if user is None:
        return timezone.localtime(now).date()
    return now.astimezone(zone_of(user)).date()


# ------------------------------------------------------------------ reading input


def owner_named(text: str) -> User | None:
    """A desk person by email (blank: nobody yet)."""
    text = text.strip()
    if not text:
        return None
    found = User.objects.filter(email=text.lower(), is_active=True, role__in=OWNERS).first()
    if found is None:
        raise Refused(_("No one on the desk has the address %(email)s.") % {"email": text})
    return found


def band_named(text: str) -> Band | None:
    """A value band by its hourly value ("100", "$100/h", "100/h") or its id (blank: none)."""
    text = text.strip()
    if not text:
        return None
    digits = text.removeprefix("$").removeprefix("€").removeprefix("£").removesuffix("/h")
    digits = digits.replace(",", "").replace("\u202f", "").replace(" ", "").strip()
    found = Band.objects.filter(hourly=int(digits)).first() if digits.isdigit() else None
    if found is None:
        known = ", ".join(str(b.hourly) for b in Band.objects.all()) or _("none yet")
        raise Refused(
            _("There is no value band %(band)s (the bands are: %(known)s).")
            % {"band": text, "known": known}
        )
    return found


def minutes_of(text: str, *, most: int) -> int:
    if text.strip().startswith("-"):
        raise Refused(_("A time cannot be negative: “%(text)s”.") % {"text": text.strip()})
    try:
        value = durations.minutes(text)
    except durations.BadDuration:
        raise Refused(
            _("“%(text)s” is not a duration: write it like 45m, 1h30, 2h or 1.5d.")
            % {"text": text.strip()}
        ) from None
    if value <= 0:
        raise Refused(_("A time must be more than zero."))
    if value > most:
        raise Refused(
            _("%(time)s is not believable here (at most %(most)s).")
            % {"time": shown(value), "most": shown(most)}
        )
    return value


def day_of(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(_("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}) from None


def not_past(day: date, today: date, what: str) -> None:
    if day < today:
        raise Refused(
            _("The %(what)s %(day)s is before today (%(today)s).")
            % {"what": what, "day": day.isoformat(), "today": today.isoformat()}
        )


# ------------------------------------------------------------------ writing


def event(
    task: Task, kind: str, actor: User | None, at: datetime | None = None, **data: Any
) -> TaskEvent:
    return TaskEvent.objects.create(
        task=task, kind=kind, actor=actor, at=at or timezone.now(), data=data
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """A task as typed: every field still text, checked by ``create``."""

    title: str
    description: str = ""
    outcome: str = ""
    band: str = ""
    owner: str = ""
    due: str = ""
    checkins: tuple[str, ...] = ()
    estimate: str = ""


def create(
    draft: Draft,
    *,
    actor: User | None,
    source: str = Task.Source.DESK,
    conversation: Conversation | None = None,
    now: datetime | None = None,
) -> Task:
    now = now or timezone.now()
    today = today_for(actor, now)
    title = " ".join(draft.title.split())
    if not title:
        raise Refused(_("A task needs a title."))
    if len(title) > 300:
        raise Refused(_("A title is at most 300 characters."))
    owner = owner_named(draft.owner)
    band = band_named(draft.band)
    due = day_of(draft.due)
    if due is not None:
        not_past(due, today, _("due date"))
    days = sorted({d for d in (day_of(t) for t in draft.checkins) if d is not None})
    for day in days:
        not_past(day, today, _("check-in date"))
    if len(days) > MOST_CHECKINS:
        raise Refused(_("At most %(n)d check-in dates.") % {"n": MOST_CHECKINS})
    estimate = minutes_of(draft.estimate, most=MOST_ESTIMATE) if draft.estimate.strip() else None
    with transaction.atomic():
        task = Task.objects.create(
            title=title,
            description=draft.description.strip(),
            outcome=draft.outcome.strip(),
            band=band,
            owner=owner,
            due=due,
            estimate_minutes=estimate,
            conversation=conversation,
            source=source,
            created_by=actor,
            created_at=now,
        )
        event(task, Kind.CREATED, actor, now, source=source)
        if owner is not None:
            event(task, Kind.OWNER, actor, now, to=owner.pk, name=str(owner))
        if estimate is not None:
            event(task, Kind.ESTIMATE, actor, now, minutes=estimate)
        for day in days:
            CheckIn.objects.create(task=task, on=day)
            event(task, Kind.CHECKIN_SET, actor, now, on=day.isoformat())
        if conversation is not None:
            timeline.append(
                conversation.pk,
                Event.Kind.TASK,
                at=now,
                actor_id=actor and actor.pk,
                task=task.pk,
                title=title,
            )
    return task


EDITABLE = ("title", "description", "outcome", "band", "due")


def edit(
    task: Task, changes: dict[str, str], *, actor: User, now: datetime | None = None
) -> list[str]:
    """Change the task's frame; returns the names of the fields that changed."""
    now = now or timezone.now()
    changed: dict[str, Any] = {}
    if "title" in changes:
        title = " ".join(changes["title"].split())
        if not title:
            raise Refused(_("A task needs a title."))
        if len(title) > 300:
            raise Refused(_("A title is at most 300 characters."))
        changed["title"] = title
    for name in ("description", "outcome"):
        if name in changes:
            changed[name] = changes[name].strip()
    if "band" in changes:
        changed["band"] = band_named(changes["band"])
    if "due" in changes:
        due = day_of(changes["due"])
        if due is not None and due != task.due:
            not_past(due, today_for(actor, now), _("due date"))
        changed["due"] = due
    changed = {k: v for k, v in changed.items() if getattr(task, k) != v}
    if not changed:
        return []
    with transaction.atomic():
        for name, value in changed.items():
            setattr(task, name, value)
        task.save(update_fields=list(changed))
        event(task, Kind.CHANGED, actor, now, fields=sorted(changed))
    return sorted(changed)


def set_owner(
    task: Task, owner: User | None, *, actor: User | None, now: datetime | None = None
) -> bool:
    if owner is not None and (not owner.is_active or owner.role not in OWNERS):
        raise Refused(_("%(person)s cannot own a task.") % {"person": owner})
    if owner == task.owner:
        return False
    with transaction.atomic():
        previous = task.owner_id
        task.owner = owner
        task.save(update_fields=["owner"])
        event(
            task,
            Kind.OWNER,
            actor,
            now,
            to=owner.pk if owner else None,
            name=str(owner) if owner else "",
            previous=previous,
        )
    return True


def set_estimate(task: Task, text: str, *, actor: User, now: datetime | None = None) -> int:
    value = minutes_of(text, most=MOST_ESTIMATE)
    with transaction.atomic():
        task.estimate_minutes = value
        task.save(update_fields=["estimate_minutes"])
        event(task, Kind.ESTIMATE, actor, now, minutes=value)
    return value


def record_time(
    task: Task, text: str, *, actor: User, on: date | None = None, now: datetime | None = None
) -> TimeEntry:
    now = now or timezone.now()
    value = minutes_of(text, most=MOST_RECORDED)
    day = on or today_for(actor, now)
    if day > today_for(actor, now):
        raise Refused(_("Time cannot be recorded for a day still to come."))
    return _add_time(task, actor, day, value, timed=False, now=now)


def _add_time(
    task: Task, user: User, day: date, value: int, *, timed: bool, now: datetime
) -> TimeEntry:
    with transaction.atomic():
        entry = TimeEntry.objects.create(
            task=task, user=user, on=day, minutes=value, timed=timed, created_at=now
        )
        event(task, Kind.TIME, user, now, minutes=value, on=day.isoformat(), timed=timed)
    return entry


def start_timer(task: Task, *, actor: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if task.timer_started_at is not None:
        raise Refused(_("The timer is already running."))
    task.timer_started_at = now
    task.save(update_fields=["timer_started_at"])
    event(task, Kind.TIMER, actor, now, running=True)


def stop_timer(task: Task, *, actor: User, now: datetime | None = None) -> TimeEntry | None:
    """Stop the timer and record what it counted (at least a minute)."""
    now = now or timezone.now()
    started = task.timer_started_at
    if started is None:
        raise Refused(_("The timer is not running."))
    value = max(1, round((now - started).total_seconds() / 60))
    with transaction.atomic():
        task.timer_started_at = None
        task.save(update_fields=["timer_started_at"])
        event(task, Kind.TIMER, actor, now, running=False)
        if value > MOST_RECORDED:
            return None  # left running for weeks: not believable; the timeline says it stopped
        return _add_time(task, actor, today_for(actor, now), value, timed=True, now=now)


def set_status(task: Task, status: str, *, actor: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if status not in Task.Status.values:
        raise Refused(_("Not a status: %(status)s") % {"status": status})
    if status == task.status:
        return
    with transaction.atomic():
        if task.timer_started_at is not None:
            stop_timer(task, actor=actor, now=now)
        previous = task.status
        task.status = status
        task.done_at = now if status == Task.Status.DONE else None
        task.save(update_fields=["status", "done_at"])
        event(task, Kind.STATUS, actor, now, to=status, previous=previous)


def spent(tasks: Iterable[int]) -> dict[int, int]:
    """Minutes recorded on each task."""
    rows = (
        TimeEntry.objects.filter(task_id__in=list(tasks))
        .values("task_id")
        .annotate(m=Sum("minutes"))
    )
    return {r["task_id"]: r["m"] for r in rows}
