"""Routing's columns of `handoff export messages`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from handoff.routing.models import Clock
from handoff.tickets.models import Message


def fields_for(message_ids: Sequence[int]) -> dict[int, tuple[str | None, datetime | None]]:
    """message pk -> (assignee's email, first response due) of its conversation, in two queries.

    Every id asked for is in the answer, with (None, None) when nothing is known."""
    conversation_of = dict(
        Message.objects.filter(pk__in=list(message_ids)).values_list("pk", "conversation_id")
    )
    clocks = {
        pk: (email, due)
        for pk, email, due in Clock.objects.filter(
            pk__in=set(conversation_of.values())
        ).values_list("pk", "assignee__email", "first_response_due")
    }
    return {
        message_id: clocks.get(conversation_of.get(message_id, -1), (None, None))
        for message_id in message_ids
    }
