"""The one pipeline after the raw store: parse, take out what is the ledger's, thread,
triage, route, then, for live mail, the acknowledgement of a new conversation. Every door
goes through ``process``: the import (foreground and background), SMTP, IMAP, the webhooks,
the worker's tick, replies and acknowledgements written by the desk, the demo, and the
tests' helper.

An import of a history goes through the same stages but is never acknowledged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from handoff.ledger import intake
from handoff.lib.reading import read
from handoff.mailin.models import LIVE_CHANNELS
from handoff.mailout.models import Outgoing
from handoff.mailout.outbox import (
    CannotSend,
    Queued,
    acknowledge,
    link_record,
    notify_team,
    store_copy,
)
from handoff.mailout.send import send
from handoff.pipeline import indexing
from handoff.routing import notify
from handoff.routing.actions import route
from handoff.routing.sweep import sweep
from handoff.tickets import changes, ingest
from handoff.tickets.models import Conversation, Message
from handoff.triage.engine.features import Features
from handoff.triage.pipeline import triage

log = logging.getLogger(__name__)
# Triage's features read by a pool, by raw message id, and the key of the model that read
# them (``handoff.triage.learning.version_key``).
Features_ = tuple[str, Mapping[int, Features]]


# An imported conversation whose last message is older than this many days is history
# (``handoff import --open-days``; the tick uses it for what a killed import left stored).
IMPORT_OPEN_DAYS = 14


def process(
    raw_ids: Sequence[int],
    *,
    live: bool,
    parsed: Sequence[ingest.Parsed] | None = None,
    features: Features_ | None = None,
    now: datetime | None = None,
    history_before: datetime | None = None,
) -> ingest.Recorded:
    """Take stored raw messages through every stage; a message already processed is skipped.

    ``parsed``, ``features``: what a pool of processes already read from these rows' bytes
    (the import), and triage's features by raw id with the model that read them; otherwise
    they are read here. ``live``: acknowledge the new conversations that came by
    a live channel (SMTP, IMAP, webhooks); an imported history or our own copies never are.
    ``history_before``: an import's conversations whose last message is older are solved
    before routing sees them (``changes.archive``): stored, threaded, triaged, searchable,
    and nobody's work."""
    if parsed is None:
        own = ingest.own_context()
        parsed = [ingest.Parsed(*read(job, own)) for job in ingest.pending_rows(raw_ids)]
    parsed = intake.take(parsed)  # tasks and check-ins sent to the ledger are not conversations
    recorded = ingest.record(parsed)
    if not recorded.messages:
        return recorded
    triage(recorded.messages, *_by_message(recorded, features))
    indexing.index(recorded.messages)
    conversations = set(
        Message.objects.filter(pk__in=recorded.messages).values_list("conversation_id", flat=True)
    )
    if history_before is not None:
        recorded.history.update(
            changes.archive(conversations, history_before, now or timezone.now())
        )
    live_ids = Conversation.objects.filter(pk__in=conversations, merged_into=None)
    route(sorted(live_ids.values_list("pk", flat=True)), now)
    if live:
        _acknowledge(recorded.opened)
    return recorded


def _acknowledge(opened: list[int]) -> None:
    new = Message.objects.filter(pk__in=opened, raw__channel__in=LIVE_CHANNELS)
    for message in new.select_related("conversation"):
        try:
            with transaction.atomic():
                queued = acknowledge(message)
                if queued is not None:
                    record_copy(queued)
        except CannotSend as error:
            log.warning("no acknowledgement for %s: %s", message.message_id, error)


def _by_message(
    recorded: ingest.Recorded, features: Features_ | None
) -> tuple[dict[int, Features], str]:
    if not features:
        return {}, ""
    key, by_raw = features
    found = {recorded.by_raw[raw]: f for raw, f in by_raw.items() if raw in recorded.by_raw}
    return found, key


def record_copy(queued: Queued) -> None:
    """Our own mail, stored as bytes by the outbox, goes on its conversation like any other:
    threaded, triaged (as sent), and routed (a reply stops the first-response clock)."""
    if queued.raw_id is None:
        return  # held back by a rate limit: never sent, nothing to record
    process([queued.raw_id], live=False)
    link_record(queued)


def deliver_waiting(outgoing_id: int) -> str:
    """A person's reply whose undo window is over: its copy stored and put on the
    conversation (the clocks stop now), then sent. Nothing when it was taken back."""
    with transaction.atomic():
        outgoing = (
            Outgoing.objects.select_for_update()
            .filter(pk=outgoing_id, state=Outgoing.State.WAITING)
            .first()
        )
        if outgoing is None:
            return "undone"  # or taken by another worker, which found it first
        outgoing.state = Outgoing.State.QUEUED
        outgoing.save(update_fields=["state"])
        record_copy(store_copy(outgoing))
    return send(outgoing_id)


def waiting_due(now: datetime) -> list[int]:
    """Replies whose window is over and whose job was lost (a crash, a restart)."""
    return list(
        Outgoing.objects.filter(state=Outgoing.State.WAITING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:100]
    )


def process_stored(
    raw_ids: Sequence[int],
    *,
    live: bool,
    batch: int = 250,
    history_before: datetime | None = None,
) -> ingest.Recorded:
    """``process`` by batches, for long lists (a background import, the tick)."""
    ids = list(raw_ids)
    total = ingest.Recorded()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        total.add(process(chunk, live=live, history_before=history_before))
    return total


def sweep_and_notify(now: datetime | None = None) -> dict[str, int]:
    """The escalation ladder, then its notifications through the outbox."""
    now = now or timezone.now()
    result = sweep(now)
    sent = []
    for notification in notify.unsent()[:200]:
        user = notification.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = f"[Handoff] {notification.get_kind_display()}"
        try:
            notify_team(user, subject, notification.text, notification.conversation)
        except CannotSend as error:
            log.warning("notification %s not sent: %s", notification.pk, error)
            continue
        sent.append(notification.pk)
    notify.mark_sent(sent, now)
    return {**result.as_dict(), "notified": len(sent)}
