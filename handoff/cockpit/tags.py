"""The cockpit's tags: what is open now under each tag of the head's list (and under a
rule's tag that is not on it), and how much of it is past its answer-by time. Read from
the conversations' lanes and clocks; nothing here writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from handoff.routing.models import Clock
from handoff.tickets.models import Conversation
from handoff.triage.models import ConversationLane, Tag

OPEN = (Conversation.Status.NEW, Conversation.Status.OPEN, Conversation.Status.PENDING)


@dataclass(frozen=True, slots=True)
class TagCount:
    name: str
    colour: str
    open: int
    overdue: int

    @property
    def query(self) -> str:
        return urlencode({"tag": self.name})


def open_by_tag(now: datetime, *, founder_lane: bool) -> list[TagCount]:
    """Each tag with open conversations, most first; every tag of the list, even at 0.
    ``founder_lane``: whether the reader sees the founder's conversations."""
    lanes = ConversationLane.objects.filter(
        conversation__status__in=OPEN, conversation__merged_into=None
    ).exclude(tags=[])
    if not founder_lane:
        lanes = lanes.exclude(lane="founder")
    tagged = dict(lanes.values_list("conversation_id", "tags"))
    late = set(
        Clock.objects.filter(
            conversation_id__in=list(tagged), is_open=True, respond_by__lt=now
        ).values_list("conversation_id", flat=True)
    )
    opened: Counter[str] = Counter()
    overdue: Counter[str] = Counter()
    for conversation_id, names in tagged.items():
        for name in set(names or []):
            opened[name] += 1
            overdue[name] += conversation_id in late
    colours = dict(Tag.objects.values_list("name", "colour"))
    names = sorted(set(colours) | set(opened), key=lambda n: (-opened[n], n))
    return [TagCount(n, colours.get(n, Tag.Colour.GREY), opened[n], overdue[n]) for n in names]
