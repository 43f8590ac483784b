"""The cockpit's heavy figures, kept per period and per state of the roll-up.

A 90-day page of a busy desk reads tens of thousands of roll-up rows; at a million messages
that is most of a second on SQLite, on every view. Those figures change only when the
roll-up does, every few minutes: the worker computes them for the usual periods (7, 30 and
90 days up to its refresh, in each reader's time zone) right after each refresh, and a page
that asks for another period computes and keeps its own. A snapshot names the roll-up state
it was made from; an older one is never read.

Stored with pickle, signed with the secret key: only what the desk itself wrote is ever
unpickled (a row changed in the database by anyone else fails the signature and is
computed again)."""

from __future__ import annotations

import base64
import pickle
from dataclasses import dataclass
from datetime import datetime

from django.core.signing import BadSignature, Signer
from django.db import IntegrityError, transaction
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.cockpit import figures
from handoff.cockpit.digest import zone_of
from handoff.cockpit.figures import Period
from handoff.cockpit.models import Refresh, Snapshot

DAYS = (7, 30, 90)
READERS = (Role.FOUNDER, Role.HEAD, Role.ADMIN)


@dataclass
class Heavy:
    """What the cockpit reads from the roll-up rows of a period and of the one before."""

    hands: figures.HandsOff
    hands_before: figures.HandsOff
    promises: figures.Promises
    promises_before: figures.Promises
    volume: figures.Volume
    loads: list[figures.Load]
    team: figures.Load  # everyone together


def compute(period: Period) -> Heavy:
    previous = period.previous()
    rows, before = figures.sheet(period), figures.sheet(previous)
    found = Heavy(
        hands=figures.hands_off(period, rows=rows),
        hands_before=figures.hands_off(previous, listed=0, rows=before),
        promises=figures.promises(period, rows),
        promises_before=figures.promises(previous, before),
        volume=figures.volume(period, rows),
        loads=(loads := figures.team(period, rows)),
        team=figures.whole(loads),
    )
    for promises in (found.promises, found.promises_before):
        for promise in (promises.overall, *promises.by_category, *promises.by_language):
            promise.settle()
    for load in (*found.loads, found.team):
        load.settle()
    return found


def as_of(now: datetime) -> tuple[datetime, int]:
    """The roll-up's last refresh (its time, its last timeline row), ``now`` if none yet."""
    state = Refresh.objects.order_by("pk").values_list("at", "last_event").first()
    if state is None:
        return now, 0
    return min(state[0], now), state[1]


def key(period: Period) -> str:
    return f"{period.start.isoformat()}/{period.end.isoformat()}/{period.zone.key}"


def heavy(period: Period, last_event: int) -> Heavy:
    """The snapshot of ``period`` made from the roll-up at ``last_event``, made now if
    there is none."""
    data = (
        Snapshot.objects.filter(key=key(period), last_event=last_event)
        .values_list("data", flat=True)
        .first()
    )
    if data is not None:
        try:
            signed = _signer().unsign(bytes(data).decode("ascii"))
        except (BadSignature, UnicodeDecodeError):
            signed = None
        if signed is not None:
            found: Heavy = pickle.loads(base64.b64decode(signed))  # noqa: S301 (signed, ours)
            return found
    found = compute(period)
    try:
        with transaction.atomic():
            Snapshot.objects.update_or_create(
                key=key(period),
                defaults={
                    "last_event": last_event,
                    "made_at": timezone.now(),
                    "data": _sign(found),
                },
            )
    except IntegrityError:
        pass  # another process made it at the same time: the same figures
    return found


def _signer() -> Signer:
    return Signer(salt="handoff.cockpit.snapshot")


def _sign(found: Heavy) -> bytes:
    pickled = base64.b64encode(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    return _signer().sign(pickled.decode("ascii")).encode("ascii")


def prepare(now: datetime) -> int:
    """After a refresh: the usual periods in each reader's time zone; the others go (a
    page that wants one again makes it)."""
    at, last_event = as_of(now)
    zones = {zone_of(user).key: zone_of(user) for user in User.objects.filter(role__in=READERS)}
    made = []
    for zone in zones.values():
        for days in DAYS:
            period = Period.last(days, at, zone)
            heavy(period, last_event)
            made.append(key(period))
    Snapshot.objects.exclude(key__in=made).delete()
    return len(made)
