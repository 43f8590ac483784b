"""The cockpit's heavy figures, kept per period and per state of the roll-up.

A 90-day page of a busy desk reads tens of thousands of roll-up rows; at a million messages
that is most of a second on SQLite, on every view. Those figures change only when the
roll-up does, every few minutes: the worker computes them for the usual periods (7, 30 and
90 days up to its refresh, in each reader's time zone) right after each refresh, before
the pages see the new refresh; a page that asks for another period computes its own (the
cockpit's pages only read). A snapshot names the roll-up state it was made from; an older
one is never read.

Stored with pickle, signed with the secret key: only what the desk itself wrote is ever
unpickled (a row changed in the database by anyone else fails the signature and is
computed again)."""

from __future__ import annotations

import base64
import hashlib
import pickle
from dataclasses import dataclass, fields
from datetime import datetime

from django.core.signing import BadSignature, Signer
from django.db import IntegrityError, transaction
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.cockpit import coverage, figures, people, rollup, sorting
from handoff.cockpit.figures import Period
from handoff.cockpit.models import Refresh, Snapshot
from handoff.routing.roster import zone_of

DAYS = (7, 30, 90)
# Bump when what the figures mean changes; their shape is checked by itself (``SHAPE``).
VERSION = 2
READERS = (Role.FOUNDER, Role.HEAD, Role.ADMIN)


@dataclass
class Heavy:
    """What the cockpit reads from the roll-up rows of a period and of the one before."""

    hands: figures.HandsOff
    hands_before: figures.HandsOff
    promises: figures.Promises
    promises_before: figures.Promises
    volume: coverage.Volume
    loads: list[people.Load]
    team: people.Load  # everyone together
    satisfaction: people.Satisfaction
    satisfaction_before: people.Satisfaction
    sorting: sorting.Sorting


def compute(period: Period) -> Heavy:
    previous = period.previous()
    rows, before = figures.sheet(period), figures.sheet(previous)
    found = Heavy(
        hands=figures.hands_off(period, listed=20, rows=rows),
        hands_before=figures.hands_off(previous, listed=0, rows=before),
        promises=figures.promises(period, rows),
        promises_before=figures.promises(previous, before),
        volume=coverage.volume(period, rows),
        loads=(loads := people.team(period, rows)),
        team=people.whole(loads),
        satisfaction=people.satisfaction(period),
        satisfaction_before=people.satisfaction(previous, listed=0),
        sorting=sorting.sorting(period),
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


def heavy(period: Period, last_event: int, *, keep: bool = False) -> Heavy:
    """The snapshot of ``period`` made from the roll-up at ``last_event``, or the figures
    computed now when there is none (kept only when ``keep``: the worker's; the pages
    only read)."""
    data = (
        Snapshot.objects.filter(key=key(period), last_event=last_event)
        .values_list("data", flat=True)
        .first()
    )
    if data is not None:
        kept = _read(bytes(data))
        if kept is not None:
            return kept
    found = compute(period)
    if not keep:
        return found
    try:
        with transaction.atomic():
            Snapshot.objects.update_or_create(  # an older one of the same key is replaced
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


def _shape() -> str:
    """The module, name and fields of every class a snapshot holds: part of its signature,
    so that one pickled by code of another shape (or of a class since moved) is computed
    again, never read into a wrong object or failing to load."""
    classes = (
        Heavy,
        figures.HandsOff,
        figures.Promises,
        figures.Promise,
        coverage.Volume,
        coverage.Hour,
        people.Load,
        people.Satisfaction,
        sorting.Sorting,
        sorting.Sorted,
    )
    described = ";".join(
        f"{c.__module__}.{c.__name__}:{','.join(f.name for f in fields(c))}" for c in classes
    )
    return hashlib.sha256(described.encode()).hexdigest()[:16]


SHAPE = _shape()


def _signer() -> Signer:
    return Signer(salt=f"handoff.cockpit.snapshot.{VERSION}.{SHAPE}")


def _read(data: bytes) -> Heavy | None:
    """The figures of a snapshot, or None when it is not ours or not of this version."""
    try:
        signed = _signer().unsign(data.decode("ascii"))
    except (BadSignature, UnicodeDecodeError):
        return None
    found = pickle.loads(base64.b64decode(signed))  # noqa: S301 (signed: the desk's own)
    return found if isinstance(found, Heavy) else None


def _sign(found: Heavy) -> bytes:
    pickled = base64.b64encode(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    return _signer().sign(pickled.decode("ascii")).encode("ascii")


def prepare(at: datetime, last_event: int) -> int:
    """The usual periods up to ``at`` in each reader's time zone, for the roll-up state
    ``last_event``; the others go (a page that wants one computes it)."""
    zones = {zone_of(user).key: zone_of(user) for user in User.objects.filter(role__in=READERS)}
    made = []
    for zone in zones.values():
        for days in DAYS:
            period = Period.last(days, at, zone)
            heavy(period, last_event, keep=True)
            made.append(key(period))
    return len(made)


def forget_older(last_event: int) -> None:
    """Once the pages see the new refresh: the snapshots of older states are never read."""
    Snapshot.objects.exclude(last_event=last_event).delete()


def refresh(now: datetime, *, everything: bool = False) -> int:
    """The roll-up brought up to date, its snapshots made, and only then the new state
    shown to the pages: a page never waits for the figures (the worker's tick, the demo)."""
    done, last = rollup.catch_up(now, everything=everything)
    prepare(now, last)
    rollup.mark(last, now)
    forget_older(last)
    return done
