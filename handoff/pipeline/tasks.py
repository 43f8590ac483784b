"""Jobs of the pipeline and the periodic tick (run by `handoff work`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handoff.ledger import reminders
from handoff.mailout.tasks import send_due
from handoff.pipeline.process import (
    IMPORT_OPEN_DAYS,
    deliver_waiting,
    process_stored,
    sweep_and_notify,
    waiting_due,
)
from handoff.tickets import ingest

TICK = timedelta(seconds=60)


@task()
def process_incoming(raw_ids: list[int]) -> int:
    """Mail that arrived live (IMAP, SMTP, webhooks): every stage, acknowledgement included."""
    return process_stored(raw_ids, live=True).done


@task()
def process_imported(raw_ids: list[int], history_before: str | None = None) -> int:
    """A history stored by `handoff import --background`: every stage, never acknowledged;
    conversations whose last message is older than ``history_before`` (ISO) are history."""
    before = datetime.fromisoformat(history_before) if history_before else None
    return process_stored(raw_ids, live=False, history_before=before).done


@task()
def deliver_reply(outgoing_id: int) -> str:
    """A person's reply, once its undo window is over."""
    return deliver_waiting(outgoing_id)


@task()
def tick() -> dict[str, int]:
    """Every minute: what a crash left behind (stored but unprocessed mail, queued mail
    whose job was lost), the escalation ladder, the ledger's check-in reminders and missed
    check-ins, then the next tick."""
    pending = list(ingest.pending_ids(limit=1000))
    # What a killed import left stored is imported mail all the same: its old conversations
    # are history (only conversations known from imports alone can be).
    history = timezone.now() - timedelta(days=IMPORT_OPEN_DAYS)
    done = process_stored(pending, live=True, history_before=history).done if pending else 0
    for waiting in waiting_due(timezone.now()):
        deliver_waiting(waiting)
    swept = sweep_and_notify()
    result = {"processed": done, "requeued": send_due.call(), "notified": swept["notified"]}
    result |= reminders.tick(timezone.now())
    ensure_tick(after=TICK)
    return result


def ensure_tick(*, after: timedelta = timedelta(0)) -> None:
    """One tick waiting in the queue, whatever the number of workers."""
    if not default_task_backend.supports_defer:
        return  # inline backends would tick forever
    if not DBTaskResult.objects.filter(task_path=tick.module_path, status="READY").exists():
        tick.using(run_after=timezone.now() + after).enqueue()
