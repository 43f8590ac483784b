"""Building test mail, feeding it through the real pipeline, and a logged-in browser of the desk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from django.test import Client

from handoff.mailin.store import Incoming, store_many
from handoff.pipeline.process import process
from handoff.tickets.models import Message


def mail(
    message_id: str,
    *,
    subject: str = "Question",
    sender: str = "ana@client.example",
    to: str = "support@acme.example",
    body: str = "Hello",
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    date: datetime | None = None,
) -> bytes:
    message = EmailMessage()
    message["Message-ID"] = f"<{message_id}>"
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(date or datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{r}>" for r in references)
    message.set_content(body)
    return message.as_bytes()


def deliver(*raws: bytes, channel: str = "test", live: bool = False) -> list[Message]:
    """Store, then the one pipeline (parse, thread, triage, route; acknowledge when ``live``
    and the channel is a live one), as every door does; the recorded messages, in order."""
    stored = store_many([Incoming(raw, channel) for raw in raws])
    process([s.raw_id for s in stored if s.pending], live=live)
    by_raw = {m.raw_id: m for m in Message.objects.filter(raw_id__in=[s.raw_id for s in stored])}
    return [by_raw[s.raw_id] for s in stored]


def decided(message: Message | None, **fields: Any) -> None:
    """Set a message's triage decision (every message's with ``None``) as a test needs it,
    and the conversations' lanes with it, as triage keeps them."""
    from handoff.triage import lanes
    from handoff.triage.models import Decision

    found = Decision.objects.all() if message is None else Decision.objects.filter(message=message)
    if "scores" in fields:  # as every writer keeps it
        fields.setdefault("founder_score", Decision.founder_of(fields["scores"]))
    found.update(**fields)
    lanes.refresh_for_messages(found.values_list("message_id", flat=True))


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def race(first: Callable[[], None], second: Callable[[], None]) -> list[Exception]:
    """Two workers at once (PostgreSQL): ``first`` runs in a transaction kept open until
    ``second``, run by another session in a thread once ``first`` is done, is seen waiting
    for a lock; then both finish. What ``second`` raised, if anything."""
    import threading
    import time

    from django.db import connection, transaction

    started, errors = threading.Event(), []

    def other_worker() -> None:
        try:
            started.wait(10)
            second()
        except Exception as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=other_worker)
    other.start()
    with transaction.atomic():
        first()
        started.set()
        deadline = time.monotonic() + 10
        while not _waiting() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting(), "the second worker never waited for the first"
    other.join(10)
    return errors


def _waiting() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        (waiting,) = cursor.fetchone()
    return waiting > 0
