from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from handoff.mailin.models import Mailbox
from handoff.tickets.models import Conversation, Message


class Outgoing(models.Model):
    """The durable outbox: written and committed first, sent after, outcome recorded."""

    class Kind(models.TextChoices):
        REPLY = "reply"
        ACKNOWLEDGEMENT = "ack"
        NOTIFICATION = "notification"

    class State(models.TextChoices):
        QUEUED = "queued"  # waiting for the worker (first try, or a retry at next_attempt_at)
        SENT = "sent"
        FAILED = "failed"  # refused for good; shown on the conversation
        HELD = "held"  # automatic message over a rate limit: recorded, never sent
        WAITING = "waiting"  # a person's reply in its undo window: not on the conversation yet
        UNDONE = "undone"  # a person's reply taken back within its undo window: never sent

    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.PROTECT, related_name="outgoing"
    )
    # The copy of this mail on the conversation (stored and threaded like any other).
    record = models.OneToOneField(Message, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    automatic = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL)
    message_id = models.CharField(max_length=500, unique=True)
    from_header = models.CharField(max_length=500)
    recipient = models.CharField(max_length=320, db_index=True)  # lower-case, for rate limits
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list)
    bcc = models.JSONField(default=list)  # envelope only: never written into a header
    subject = models.CharField(max_length=1000)
    text = models.TextField()
    typed = models.TextField(blank=True)  # a reply as the person wrote it: back in the box on undo
    headers = models.JSONField(default=dict)  # Message-ID, Date, In-Reply-To, References...
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["automatic", "created_at"]),
            models.Index(
                fields=["next_attempt_at"], name="outgoing_due", condition=models.Q(state="queued")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} ({self.state})"


class OutgoingAttachment(models.Model):
    outgoing = models.ForeignKey(Outgoing, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=200)
    data = models.BinaryField()

    def __str__(self) -> str:
        return self.filename
