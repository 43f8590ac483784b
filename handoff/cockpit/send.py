"""Who gets the weekly digest, when, and its sending through the outbox.

Every active founder gets it (Monday 08:00 in their time zone unless their ``Digest``
row says otherwise or turns it off); the head and admins only with a row of their own.
It is due once the chosen local weekday and hour of the current local ISO week have come
and ``last_week`` is not that week: a worker that was down at 08:00 sends it when it is
back, never twice in a week."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from handoff.accounts.models import Role, User
from handoff.cockpit.digest import Content, build
from handoff.cockpit.models import Digest
from handoff.cockpit.weeks import week_name
from handoff.mailout.models import Outgoing
from handoff.mailout.outbox import CannotSend
from handoff.mailout.rich import notify_team_html
from handoff.routing.roster import zone_of

log = logging.getLogger(__name__)
READERS = (Role.FOUNDER, Role.HEAD, Role.ADMIN)


@dataclass(frozen=True)
class Sent:
    user: User
    content: Content
    outgoing: Outgoing


def readers() -> Iterator[tuple[User, Digest]]:
    """The people who get the digest, each with their schedule (a founder without a row
    gets the default one, not saved)."""
    schedules = {d.user_id: d for d in Digest.objects.all()}
    for user in User.objects.filter(is_active=True, role__in=READERS).order_by("pk"):
        schedule = schedules.get(user.pk)
        if schedule is None and user.role == Role.FOUNDER:
            schedule = Digest(user=user)
        if schedule is not None and schedule.enabled:
            yield user, schedule


def is_due(schedule: Digest, user: User, now: datetime) -> bool:
    local = now.astimezone(zone_of(user))
    come = (local.weekday(), local.hour) >= (schedule.weekday, schedule.hour)
    return come and schedule.last_week != week_name(local.date())


def send(user: User, now: datetime, week: str | None = None) -> Sent:
    """The digest of ``week`` (default: the last full week) into the outbox now; the
    default week marks this week's digest as sent, so the worker does not send it again."""
    content = build(user, week, now)
    with transaction.atomic():
        outgoing = notify_team_html(user, content.subject, content.text, content.html)
        if week is None:
            sent_in = week_name(now.astimezone(zone_of(user)).date())
            Digest.objects.update_or_create(user=user, defaults={"last_week": sent_in})
    return Sent(user, content, outgoing)


def send_due(now: datetime) -> int:
    """Every digest due at ``now`` (the cockpit's tick): how many were queued."""
    count = 0
    for user, schedule in readers():
        if not is_due(schedule, user, now):
            continue
        sent_in = week_name(now.astimezone(zone_of(user)).date())
        content = build(user, None, now)
        try:
            with transaction.atomic():
                # Claimed by compare-and-set: a second worker's tick finds it taken.
                Digest.objects.get_or_create(user=user)
                claimed = (
                    Digest.objects.filter(user=user, enabled=True)
                    .exclude(last_week=sent_in)
                    .update(last_week=sent_in)
                )
                if claimed:
                    notify_team_html(user, content.subject, content.text, content.html)
                    count += 1
        except CannotSend as error:
            log.warning("weekly digest for %s not sent: %s", user.email, error)
    return count
