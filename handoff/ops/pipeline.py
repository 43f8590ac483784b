"""The live pipeline after the raw store, composed here because only the top may see
every stage: tickets (parse, thread), then the follow-ups of mail-out.

Imports of a history go through tickets only: old mail is never acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from handoff.mailout.actions import CannotSend, acknowledge
from handoff.tickets import ingest
from handoff.tickets.models import Message

log = logging.getLogger(__name__)


def process_live(raw_ids: Sequence[int]) -> ingest.Recorded:
    recorded = ingest.process(raw_ids)
    for message in Message.objects.filter(pk__in=recorded.opened).select_related("conversation"):
        try:
            acknowledge(message)
        except CannotSend as error:
            log.warning("no acknowledgement for %s: %s", message.message_id, error)
    return recorded
