"""Jobs of the live pipeline (run by `handoff work`)."""

from __future__ import annotations

from django.tasks import task

from handoff.ops.pipeline import process_live


@task()
def process_incoming(raw_ids: list[int]) -> int:
    """Mail that arrived live (IMAP, SMTP, webhooks): thread it, then follow up."""
    return process_live(raw_ids).done
