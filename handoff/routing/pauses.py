"""The clocks' pauses, read from the conversation's timeline (routing writes a ``paused``
row with the pause's start, and a ``resumed`` row with its end): no second record.

A pause is ``[start ISO, end ISO or None, reason]``; a snooze has its end (``until``) from
the start, moved earlier when the customer writes before it is over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handoff.tickets.models import Event

Pause = list[str | None]
WOKEN = "customer wrote"  # a snooze ended early


def pauses_of(conversation_ids: Sequence[int]) -> dict[int, list[Pause]]:
    """Each conversation's pauses, oldest first, in one query."""
    found: dict[int, list[Pause]] = {pk: [] for pk in conversation_ids}
    rows = (
        Event.objects.filter(
            conversation_id__in=list(conversation_ids),
            kind__in=(Event.Kind.PAUSED, Event.Kind.RESUMED),
        )
        .order_by("at", "pk")
        .values_list("conversation_id", "kind", "at", "data")
    )
    for conversation_id, kind, at, data in rows:
        apply(found[conversation_id], kind, at, data)
    return found


def apply(pauses: list[Pause], kind: str, at: datetime, data: dict[str, object]) -> None:
    """One timeline row's effect on the list of pauses."""
    if kind == Event.Kind.PAUSED:
        start = str(data.get("start") or at.isoformat())
        until = data.get("until")
        pauses.append([start, str(until) if until else None, str(data.get("reason") or "")])
        return
    end = str(data.get("end") or at.isoformat())
    if data.get("reason") == WOKEN:
        for pause in reversed(pauses):
            if pause[2] == "snoozed" and pause[1] and pause[1] > end:
                pause[1] = end
                return
        return
    for pause in reversed(pauses):
        if pause[1] is None:
            pause[1] = end
            return


def spans(pauses: list[Pause]) -> list[tuple[datetime, datetime | None]]:
    """The pauses as times, for the clocks (``routing.clocks.History``)."""
    return [
        (datetime.fromisoformat(str(p[0])), datetime.fromisoformat(p[1]) if p[1] else None)
        for p in pauses
    ]
