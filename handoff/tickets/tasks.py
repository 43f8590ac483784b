"""Background jobs of the tickets stage (run by `handoff work`)."""

from __future__ import annotations

from django.tasks import task

from handoff.tickets import ingest


@task()
def process_messages(raw_ids: list[int]) -> int:
    """Parse and thread stored messages; a message already processed is skipped."""
    return ingest.process(raw_ids).done


@task()
def process_pending() -> int:
    """Pick up whatever an interrupted process left stored but unprocessed."""
    ids = list(ingest.pending_ids())
    done = 0
    for start in range(0, len(ids), 200):
        done += ingest.process(ids[start : start + 200]).done
    return done
