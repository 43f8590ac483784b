"""Whose business a conversation is: triage's one answer, kept per conversation.

``refresh`` recomputes it from the messages' decisions after every decision, correction
and merge; ``move`` is a person's move of a whole conversation (escalate to the founder,
hand back to the team). Everything else reads ``ConversationLane`` (``lanes_for``,
``founder_lane``) through a plain import: the rule is written once, here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from handoff.db import bulk, locks
from handoff.tickets.models import Message
from handoff.triage.engine.decide import FOUNDER_AUDIT
from handoff.triage.engine.rules import PRIORITIES
from handoff.triage.models import ConversationLane, Decision

FOUNDER = "founder"
TEAM = "team"
NOISE = "noise"
MOVES = (FOUNDER, TEAM)


def founder_scored(
    start: datetime, end: datetime
) -> QuerySet[Decision, tuple[int, str, float | None]]:
    """Noise decisions of messages received in [start, end) with a founder score of at least
    ``FOUNDER_AUDIT``, whose conversation is still in the noise lane: (conversation, subject,
    score), the likeliest first. Its conditions are the ``noise_audit`` index's."""
    return (
        Decision.objects.filter(
            lane=NOISE,
            founder_score__gte=FOUNDER_AUDIT,
            received_at__gte=start,
            received_at__lt=end,
            message__conversation__lane__lane=NOISE,
        )
        .order_by("-founder_score", "message__conversation_id")
        .values_list("message__conversation_id", "message__conversation__subject", "founder_score")
    )


def founder_scored_between(start: datetime, end: datetime) -> list[tuple[int, str, float]]:
    """:func:`founder_scored`, once per conversation (its highest score)."""
    best: dict[int, tuple[int, str, float]] = {}
    for pk, subject, score in founder_scored(start, end):
        if score is not None:  # never: the filter wants a score
            best.setdefault(pk, (pk, subject, score))
    return list(best.values())


def founder_lane() -> Q:
    """A filter of conversations, for ``Conversation`` querysets: the founder's business."""
    return Q(lane__lane=FOUNDER)


def lanes_for(conversation_ids: Iterable[int]) -> dict[int, ConversationLane]:
    ids = list(conversation_ids)
    return {lane.pk: lane for lane in ConversationLane.objects.filter(pk__in=ids)}


def is_founder(conversation_id: int) -> bool:
    return ConversationLane.objects.filter(pk=conversation_id, lane=FOUNDER).exists()


@dataclass
class _Seen:
    latest: dict[str, Any] | None = None  # latest customer message that is not noise
    latest_noise: dict[str, Any] | None = None  # latest customer message at all
    founder_in_at: datetime | None = None  # latest founder mail a customer wrote
    founder_out: bool = False  # the founder wrote in it (before any customer did)


CHUNK = 500
LANES_LOCK = 0x4C414E45  # any constant shared by every worker; with each conversation


def refresh(conversation_ids: Iterable[int]) -> dict[int, str]:
    """Recompute the lane of these conversations from their messages' decisions; the lanes."""
    ids = sorted(set(conversation_ids))
    result: dict[int, str] = {}
    # Within a caller's transaction (a label import), each chunk's locks would be held until
    # its end, thousands of them: all are taken at once instead, the key alone for many.
    whole = len(ids) > CHUNK and connection.in_atomic_block
    if whole:
        locks.wait(LANES_LOCK, ids)
    for start in range(0, len(ids), CHUNK):
        result.update(_refresh(ids[start : start + CHUNK], waited=whole))
    return result


def _refresh(ids: list[int], *, waited: bool = False) -> dict[int, str]:
    now = timezone.now()
    with transaction.atomic():
        # Before reading: a worker triaging another message of one of these conversations
        # commits first. Reading first, the last to commit would write a lane made without
        # the other's decision, and two creating the same lane would collide on its key.
        if not waited:
            locks.wait(LANES_LOCK, ids)
        seen = _seen(ids)
        locked = ConversationLane.objects.select_for_update().filter(pk__in=ids)  # vs choose()
        existing = {lane.pk: lane for lane in locked}
        found = [existing.get(pk) or ConversationLane(conversation_id=pk) for pk in ids]
        for lane in found:
            _decide(lane, seen[lane.pk])
            lane.updated_at = now
        # New and existing lanes in one upsert: where bulk_update builds a CASE per row and
        # field, it is one cheap statement.
        bulk.insert(found, unique=["conversation"], update=[*FIELDS, "updated_at"])
    return {lane.pk: lane.lane for lane in found}


def _seen(ids: list[int]) -> dict[int, _Seen]:
    seen = {pk: _Seen() for pk in ids}
    rows = (
        Decision.objects.filter(message__conversation_id__in=ids)
        .order_by("message__received_at", "message_id")
        .values(
            "message__conversation_id",
            "message__direction",
            "message__received_at",
            "lane",
            "category",
            "language",
            "priority",
            "tags",
            "team",
        )
    )
    for row in rows:
        found = seen[row["message__conversation_id"]]
        if row["message__direction"] == Message.Direction.OUT:
            found.founder_out |= row["lane"] == FOUNDER
            continue
        found.latest_noise = dict(row)
        if row["lane"] != NOISE:
            found.latest = dict(row)
        if row["lane"] == FOUNDER:
            found.founder_in_at = row["message__received_at"]
    return seen


FIELDS = ["lane", "category", "language", "priority", "tags", "team"]


def _decide(lane: ConversationLane, seen: _Seen) -> None:
    chosen_tags, chosen_priority = lane.tags, lane.priority
    _from_messages(lane, seen)
    if lane.tags_by_hand:
        lane.tags = chosen_tags
    if lane.priority_by_hand:
        lane.priority = chosen_priority


def _from_messages(lane: ConversationLane, seen: _Seen) -> None:
    facts = seen.latest or seen.latest_noise
    if facts is None:  # nobody wrote to us yet: only our own mail
        lane.lane, lane.category = (FOUNDER, FOUNDER) if seen.founder_out else (TEAM, "support")
        lane.language, lane.priority, lane.tags, lane.team = "", "", [], ""
    else:
        lane.lane = NOISE if seen.latest is None else str(facts["lane"])
        lane.category = str(facts["category"])
        lane.language = str(facts["language"] or "")
        lane.priority = str(facts["priority"] or "")
        lane.tags = list(facts["tags"] or [])
        lane.team = str(facts["team"] or "")
        if seen.founder_in_at is not None:
            lane.lane = FOUNDER
    if lane.moved_to == FOUNDER:
        lane.lane = FOUNDER
    elif lane.moved_to == TEAM and lane.lane == FOUNDER:
        came_back = seen.founder_in_at is not None and (
            lane.moved_at is None or seen.founder_in_at > lane.moved_at
        )
        if not came_back:
            lane.lane = TEAM


def move(conversation_id: int, to: str, *, by_id: int | None) -> bool:
    """A person moves a whole conversation to the founder or back to the team; False if it
    was already there."""
    if to not in MOVES:
        raise ValueError(f"a conversation moves to {' or '.join(MOVES)}, not {to!r}")
    with transaction.atomic():
        refresh([conversation_id])
        lane = ConversationLane.objects.select_for_update().get(pk=conversation_id)
        if lane.lane == to:
            return False
        lane.moved_to, lane.moved_at, lane.moved_by_id = to, timezone.now(), by_id
        lane.save(update_fields=["moved_to", "moved_at", "moved_by"])
        refresh([conversation_id])
    return True


def choose(
    conversation_id: int, *, tags: Iterable[str] | None = None, priority: str | None = None
) -> tuple[list[str], str] | None:
    """A person sets the conversation's tags (the whole list) or its priority: kept from
    then on, whatever later mail's rules say. The (tags, priority) it had before, or None
    when nothing changed. Raises ValueError for a priority that is not one."""
    if priority is not None and priority not in PRIORITIES:
        raise ValueError(f"not a priority: {priority!r}")
    with transaction.atomic():
        refresh([conversation_id])
        lane = ConversationLane.objects.select_for_update().get(pk=conversation_id)
        before = (list(lane.tags), lane.priority)
        if tags is not None:
            lane.tags, lane.tags_by_hand = sorted(dict.fromkeys(tags)), True
        if priority is not None:
            lane.priority, lane.priority_by_hand = priority, True
        if (lane.tags, lane.priority) == before:
            return None
        lane.save(update_fields=["tags", "tags_by_hand", "priority", "priority_by_hand"])
    return before


def refresh_for_messages(message_ids: Iterable[int]) -> dict[int, str]:
    ids = list(message_ids)
    conversations: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        conversations.update(
            Message.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
                "conversation_id", flat=True
            )
        )
    return refresh(conversations)
