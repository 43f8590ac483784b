"""Background jobs of the mail-out stage."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from handoff.mailout.models import Outgoing
from handoff.mailout.send import send


@task()
def send_outgoing(outgoing_id: int) -> str:
    state = send(outgoing_id)
    if state == "retrying":
        due = Outgoing.objects.get(pk=outgoing_id).next_attempt_at
        send_outgoing.using(run_after=due).enqueue(outgoing_id)
    return state


@task()
def send_due() -> int:
    """Safety net: queued, due, and its job lost (a crash between commit and enqueue)."""
    due = Outgoing.objects.filter(
        state=Outgoing.State.QUEUED, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for pk in due:
        send_outgoing.enqueue(pk)
        count += 1
    return count
