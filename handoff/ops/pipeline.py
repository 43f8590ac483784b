"""The pipeline after the raw store, composed here because only the top may see every
stage: tickets (parse, thread), triage, routing, then the follow-ups of mail-out.

Imports of a history go through the same stages but are never acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone

from handoff.mailout.actions import CannotSend, acknowledge, notify_team
from handoff.routing import notify
from handoff.routing.actions import route
from handoff.routing.sweep import sweep
from handoff.tickets import ingest
from handoff.tickets.models import Conversation, Message
from handoff.triage.pipeline import triage

log = logging.getLogger(__name__)


def after_threading(recorded: ingest.Recorded, *, live: bool) -> None:
    """Triage and route what was just recorded; acknowledge new conversations if live."""
    if not recorded.messages:
        return
    triage(recorded.messages)
    conversations = set(
        Message.objects.filter(pk__in=recorded.messages).values_list("conversation_id", flat=True)
    )
    live_ids = Conversation.objects.filter(pk__in=conversations, merged_into=None)
    route(sorted(live_ids.values_list("pk", flat=True)))
    if not live:
        return
    for message in Message.objects.filter(pk__in=recorded.opened).select_related("conversation"):
        try:
            acknowledge(message)
        except CannotSend as error:
            log.warning("no acknowledgement for %s: %s", message.message_id, error)


def process_live(raw_ids: Sequence[int]) -> ingest.Recorded:
    recorded = ingest.process(raw_ids)
    after_threading(recorded, live=True)
    return recorded


def sweep_and_notify(now: datetime | None = None) -> dict[str, int]:
    """The escalation ladder, then its notifications through the outbox."""
    now = now or timezone.now()
    result = sweep(now)
    sent = []
    for notification in notify.unsent()[:200]:
        try:
            notify_team(
                notification.user,
                f"[Handoff] {notification.get_kind_display()}",
                notification.text,
                notification.conversation,
            )
        except CannotSend as error:
            log.warning("notification %s not sent: %s", notification.pk, error)
            continue
        sent.append(notification.pk)
    notify.mark_sent(sent, now)
    return {**result.as_dict(), "notified": len(sent)}
