"""Breach prediction: which conversations will miss a response target unless something
changes, from the open queue, the people on shift and the shifts to come.

The model is a queue per team: conversations are answered in order of their due
time, each person answers ``Team.answers_per_hour`` while on shift, so the k-th
conversation is answered when the team's answering capacity since now reaches k.
A conversation is at risk when that comes after its due time, or when it waits
unassigned and everyone who could take it is at capacity (anyone on shift, when
nobody who reads its language works before it is due: routing gives it to them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from django.db.models import Q
from django.utils.translation import ngettext

from handoff.routing.models import Clock, Notification
from handoff.routing.notify import notify
from handoff.routing.roster import Member
from handoff.routing.time.calendar import next_open

if TYPE_CHECKING:
    from handoff.routing.actions import Context
    from handoff.routing.sweep import SweepResult

LOOKAHEAD = timedelta(hours=8)
LIMIT = 5000
CHUNK = 500
Row = tuple[int, int | None, str, datetime, int | None]  # pk, team, language, due, assignee


def answered_at(
    rows: Sequence[Row], members: Sequence[Member], rate: float, now: datetime
) -> list[datetime | None]:
    """When each row (sorted by due time) would be answered; ``None``: not within the lookahead."""
    end = now + LOOKAHEAD
    changes: list[tuple[datetime, int]] = []
    for member in members:
        if member.availability is None:
            continue
        for start, stop in member.availability.open_between(now, end):
            changes += [(start, 1), (stop, -1)]
    changes.sort()
    per_second = rate / 3600
    done, staff, cursor, index = 0.0, 0, now, 0
    found: list[datetime | None] = []
    for k in range(len(rows)):
        need = k + 1
        while True:
            upcoming = changes[index][0] if index < len(changes) else end
            gain = staff * per_second * (upcoming - cursor).total_seconds()
            if staff and done + gain >= need:
                seconds = (need - done) / (staff * per_second)
                cursor = cursor + timedelta(seconds=seconds)
                done = float(need)
                found.append(cursor)
                break
            done += gain
            cursor = upcoming
            if index >= len(changes):
                found.append(None)
                break
            staff += changes[index][1]
            index += 1
        if found[-1] is None:
            found += [None] * (len(rows) - len(found))
            break
    return found


def _language_ready(members: Sequence[Member], now: datetime) -> dict[str, datetime]:
    """The first time someone speaking each language is on shift."""
    ready: dict[str, datetime] = {}
    for member in members:
        if member.availability is None:
            continue
        start = now if member.on_shift else next_open(member.availability, now, horizon=LOOKAHEAD)
        if start is None:
            continue
        for language in member.languages:
            if language not in ready or start < ready[language]:
                ready[language] = start
    return ready


def at_risk_ids(context: Context) -> set[int]:
    now, roster = context.now, context.roster
    rows = cast(
        list[Row],
        list(
            Clock.objects.filter(
                is_open=True, routed=True, respond_by__gt=now, respond_by__lte=now + LOOKAHEAD
            )
            .order_by("respond_by", "pk")
            .values_list("pk", "team_id", "language", "respond_by", "assignee_id")[:LIMIT]
        ),
    )
    by_team: dict[int | None, list[Row]] = {}
    for row in rows:
        by_team.setdefault(row[1], []).append(row)
    risky: set[int] = set()
    for team_id, items in by_team.items():
        if team_id is None:
            continue  # founder lane and fixed assignees: no team to predict
        team = roster.teams.get(team_id)
        members = [m for m in roster.of_team(team_id) if m.availability is not None]
        rate = float(team.answers_per_hour if team else 6) or 1.0
        ready = _language_ready(members, now)
        spoken = set(ready) | {lang for m in members for lang in m.languages}
        # Who can still take one more: people at capacity stay full until they solve some.
        room = {lang for m in members if m.load < m.capacity for lang in m.languages}
        for row, answer in zip(items, answered_at(items, members, rate, now), strict=True):
            # Routing gives it to whoever is on shift when no reader comes before it is due.
            late = row[2] not in ready or (ready[row[2]] > now and ready[row[2]] > row[3])
            needed = row[2] if row[2] in spoken and not late else None
            nobody_free = row[4] is None and (needed not in room if needed else not room)
            if answer is None or answer > row[3] or nobody_free:
                risky.add(row[0])
    return risky


def predict(context: Context, result: SweepResult, head_ids: list[int]) -> None:
    now = context.now
    risky = at_risk_ids(context)
    marked = set(Clock.objects.filter(at_risk=True).values_list("pk", flat=True))
    new, cleared = sorted(risky - marked), sorted(marked - risky)
    for i in range(0, len(new), CHUNK):
        Clock.objects.filter(pk__in=new[i : i + CHUNK]).update(at_risk=True)
    for i in range(0, len(cleared), CHUNK):
        Clock.objects.filter(Q(pk__in=cleared[i : i + CHUNK])).update(at_risk=False)
    result.at_risk, result.newly_at_risk = len(risky), len(new)
    if new:
        shown = ", ".join(f"#{pk}" for pk in new[:20]) + (" …" if len(new) > 20 else "")
        words = {"count": len(new), "numbers": shown}

        def text() -> str:
            return (
                ngettext(
                    "%(count)s conversation will miss its target unless something changes: "
                    "%(numbers)s",
                    "%(count)s conversations will miss their target unless something changes: "
                    "%(numbers)s",
                    len(new),
                )
                % words
            )

        notify(
            Notification.Kind.AT_RISK,
            head_ids,
            text,
            now,
        )
