"""Check-ins: the dates an owner agreed to say where a task stands, and the answers (in the
desk, from the command line, or by replying to the reminder: ``handoff.ledger.intake``)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.accounts.models import User
from handoff.ledger.actions import MOST_CHECKINS, Kind, Refused, event, not_past, today_for
from handoff.ledger.models import CheckIn, Task


def add_checkin(
    task: Task, day: date, *, actor: User | None, now: datetime | None = None
) -> CheckIn:
    now = now or timezone.now()
    not_past(day, today_for(actor, now), _("check-in date"))
    if task.checkins.filter(on=day).exists():
        raise Refused(_("There is already a check-in on %(day)s.") % {"day": day.isoformat()})
    if task.checkins.count() >= MOST_CHECKINS:
        raise Refused(_("At most %(n)d check-in dates.") % {"n": MOST_CHECKINS})
    with transaction.atomic():
        checkin = CheckIn.objects.create(task=task, on=day)
        event(task, Kind.CHECKIN_SET, actor, now, on=day.isoformat())
    return checkin


STATUS_WORDS = {
    CheckIn.Status.ON_TRACK: (
        "on track",
        "on_track",
        "ontrack",
        "ok",
        "en bonne voie",
        "en cours",
        "ça avance",
        "ca avance",
        "bien",
    ),
    CheckIn.Status.NEEDS_HELP: (
        "needs help",
        "need help",
        "needs_help",
        "help",
        "besoin d'aide",
        "besoin d’aide",
        "aide",
    ),
    CheckIn.Status.BLOCKED: ("blocked", "stuck", "bloqué", "bloque", "bloquée", "bloquee"),
}


def status_of(text: str) -> tuple[str, str]:
    """The status a reply starts with, and the rest of its first line: ("on_track", "…")."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    lowered = line.lower()
    for status, words in STATUS_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            if lowered.startswith(word) and not lowered[len(word) : len(word) + 1].isalnum():
                rest = line[len(word) :].lstrip(" \t:-–—.,;!")
                return status, rest
    return "", line


def answer(
    task: Task,
    status: str,
    text: str,
    *,
    actor: User | None,
    checkin: CheckIn | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """The owner says where the task stands: it answers ``checkin`` (the one a reminder
    asked about), else the earliest check-in still open, else a check-in of today."""
    now = now or timezone.now()
    if status not in CheckIn.Status.values:
        raise Refused(
            _("Say on track, needs help or blocked (not “%(status)s”).") % {"status": status}
        )
    text = " ".join(text.split())[:500]
    with transaction.atomic():
        if checkin is None or checkin.answered_at is not None:
            open_ = task.checkins.select_for_update().filter(answered_at=None)
            checkin = open_.order_by("on").first()
        if checkin is None:
            checkin = CheckIn.objects.create(task=task, on=today_for(actor, now))
        checkin.status, checkin.text = status, text
        checkin.answered_at, checkin.answered_by = now, actor
        checkin.save(update_fields=["status", "text", "answered_at", "answered_by"])
        event(
            task, Kind.CHECKED_IN, actor, now, on=checkin.on.isoformat(), status=status, text=text
        )
    return checkin


def open_checkins(user: User) -> QuerySet[CheckIn]:
    """The check-ins ``user`` still has to answer; one whose day went by unanswered is in
    the missed ones (``missed_at``), not here."""
    return CheckIn.objects.filter(
        task__owner=user, answered_at=None, missed_at=None, task__status=Task.Status.OPEN
    ).select_related("task")
