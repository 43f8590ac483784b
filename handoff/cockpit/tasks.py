"""The cockpit's periodic job, beside the pipeline's tick (which sits below the cockpit
and cannot call it): the roll-up brought up to date, then the weekly digests that are due."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from handoff.cockpit import snapshots
from handoff.cockpit.send import send_due
from handoff.db import locks

log = logging.getLogger(__name__)
TICK = timedelta(minutes=5)
TICK_LOCK = 0x48414E4443  # any constant shared by every worker


@task()
def tick() -> None:
    """Every five minutes: the roll-up and the cockpit's snapshots, the digests due, then
    the next tick (also after a failure, so that one bad run does not stop the digests).
    What it did goes to the log: the queue's results count the pipeline's ticks only."""
    try:
        # Workers that start together may each queue a tick (``ensure_tick`` checks, then
        # queues); two roll-ups writing the same rows at once can deadlock.
        with locks.alone(TICK_LOCK) as first:
            if not first:
                log.info("cockpit tick: another one is running, this one does nothing")
                return
            now = timezone.now()
            refreshed = snapshots.refresh(now)
            sent = send_due(now)
            if refreshed or sent:
                log.info("cockpit tick: %d rolled up, %d digests queued", refreshed, sent)
    finally:
        ensure_tick(after=TICK)


def ensure_tick(*, after: timedelta = timedelta(0)) -> None:
    """One cockpit tick waiting in the queue, whatever the number of workers."""
    if not default_task_backend.supports_defer:
        return  # inline backends would tick forever
    if not DBTaskResult.objects.filter(task_path=tick.module_path, status="READY").exists():
        tick.using(run_after=timezone.now() + after).enqueue()
