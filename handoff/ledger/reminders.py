"""The ledger's part of the worker's tick: a reminder to the owner the day before each
check-in (or on the day, when it was agreed late), and a check-in that passed its day
without an answer marked missed, told to the owner and the head, never to the founder
(who reads it in the weekly digest)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from handoff.accounts.models import Role, User
from handoff.ledger.actions import Kind, event, today_for
from handoff.ledger.models import CheckIn, Task
from handoff.mailin.models import Mailbox
from handoff.mailout.outbox import CannotSend, notify_team

log = logging.getLogger(__name__)
LEAD = timedelta(days=1)


def tick(now: datetime) -> dict[str, int]:
    return {"reminded": remind(now), "missed": mark_missed(now)}


def _waiting(now: datetime) -> QuerySet[CheckIn]:
    horizon = (now + LEAD + timedelta(days=1)).date()  # every zone's tomorrow, and some
    return CheckIn.objects.filter(
        answered_at=None,
        missed_at=None,
        task__status=Task.Status.OPEN,
        task__owner__isnull=False,
        on__lte=horizon,
    ).select_related("task__owner")


def remind(now: datetime) -> int:
    sent = 0
    for checkin in _waiting(now).filter(reminded_at=None):
        owner = checkin.task.owner
        assert owner is not None  # filtered
        today = today_for(owner, now)
        if not today <= checkin.on <= today + LEAD:
            continue
        with transaction.atomic():
            try:
                outgoing = notify_team(
                    owner, *_reminder(checkin, owner), None, purpose=Mailbox.Purpose.LEDGER
                )
            except CannotSend as error:
                log.warning("no check-in reminder for task %s: %s", checkin.task_id, error)
                continue
            checkin.reminded_at, checkin.reminder_id = now, outgoing.message_id
            checkin.save(update_fields=["reminded_at", "reminder_id"])
            event(checkin.task, Kind.REMINDED, None, now, on=checkin.on.isoformat(), to=owner.pk)
        sent += 1
    return sent


def mark_missed(now: datetime) -> int:
    missed = 0
    heads = list(User.objects.filter(role=Role.HEAD, is_active=True))
    for checkin in _waiting(now):
        owner = checkin.task.owner
        assert owner is not None
        if checkin.on >= today_for(owner, now):
            continue
        with transaction.atomic():
            checkin.missed_at = now
            checkin.save(update_fields=["missed_at"])
            event(checkin.task, Kind.MISSED, None, now, on=checkin.on.isoformat())
            for person in {owner, *heads}:
                if person.role == Role.FOUNDER:
                    continue  # the founder reads it in the digest
                try:
                    notify_team(person, *_missed(checkin, person), None)
                except CannotSend as error:
                    log.warning("missed check-in of task %s not told: %s", checkin.task_id, error)
        missed += 1
    return missed


def _link(task: Task) -> str:
    return settings.PUBLIC_URL + reverse("desk:task", args=[task.pk])


def _reminder(checkin: CheckIn, owner: User) -> tuple[str, str]:
    task = checkin.task
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        day = date_format(checkin.on, "DATE_FORMAT")
        subject = _("[Handoff] Check-in on %(day)s: T-%(task)s %(title)s") % {
            "day": day,
            "task": task.pk,
            "title": task.title,
        }
        text = _(
            "Hello,\n\nYou agreed to say where task T-%(task)s “%(title)s” stands on %(day)s.\n\n"
            "Reply to this message with one of\n  on track\n  needs help\n  blocked\n"
            "followed by a line about where it is, for example:\n"
            "  on track: the supplier answered, contract on Friday\n\n"
            "Or answer in the desk: %(link)s\n\nWhat done looks like:\n%(outcome)s\n"
        ) % {
            "task": task.pk,
            "title": task.title,
            "day": day,
            "link": _link(task),
            "outcome": task.outcome or "—",
        }
    return subject, text


def _missed(checkin: CheckIn, person: User) -> tuple[str, str]:
    task = checkin.task
    with translation.override(person.language or settings.LANGUAGE_CODE):
        day = date_format(checkin.on, "DATE_FORMAT")
        subject = _("[Handoff] Check-in missed: T-%(task)s %(title)s") % {
            "task": task.pk,
            "title": task.title,
        }
        text = _(
            "The check-in of %(day)s on task T-%(task)s “%(title)s” (owner: %(owner)s) "
            "had no answer.\n\nSay where it stands: %(link)s\n"
        ) % {
            "day": day,
            "task": task.pk,
            "title": task.title,
            "owner": task.owner,
            "link": _link(task),
        }
    return subject, text
