from __future__ import annotations

from django.db import models
from django.utils import timezone


class RawMessage(models.Model):
    """One delivery's bytes, exactly as received, stored before anything reads them."""

    class State(models.TextChoices):
        PENDING = "pending"  # stored, not yet turned into a ticket message
        DONE = "done"
        FAILED = "failed"  # processing raised: kept, shown in the quarantine, can be retried

    # sha256 of Message-ID and body: the same delivery twice is one row.
    content_hash = models.CharField(max_length=64, unique=True)
    message_id = models.CharField(max_length=500, db_index=True)
    derived_id = models.BooleanField(default=False)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    channel = models.CharField(max_length=16)
    source = models.CharField(max_length=1000, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    # Why this message deserves a human look (not mail-like, truncated...): it is
    # still processed; the flag makes it visible.
    flag = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["id"],
                name="raw_pending",
                condition=models.Q(state="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"<{self.message_id}>"


class Mailbox(models.Model):
    """An address the desk answers for. Mail from it is the desk's own (outgoing)."""

    address = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.address
