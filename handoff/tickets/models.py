from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.mailin.models import RawMessage


class Conversation(models.Model):
    """A ticket: every message of one exchange with a customer."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Waiting on customer")
        SOLVED = "solved", _("Solved")

    subject = models.CharField(max_length=500, blank=True)
    # Subject without Re:/Fwd:/TR :/AW: prefixes, for the fallback threading.
    subject_key = models.CharField(max_length=200, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    message_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        indexes = [models.Index(fields=["subject_key", "last_message_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def token(self) -> str:
        return f"[HO-{self.pk}]"


class Message(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("Received")
        OUT = "out", _("Sent")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.PROTECT, related_name="messages"
    )
    raw = models.OneToOneField(RawMessage, on_delete=models.PROTECT, null=True, blank=True)
    message_id = models.CharField(max_length=500, db_index=True)
    direction = models.CharField(max_length=3, choices=Direction.choices, default=Direction.IN)
    from_name = models.CharField(max_length=300, blank=True)
    from_address = models.CharField(max_length=320, blank=True, db_index=True)
    to = models.JSONField(default=list)  # [[name, address], ...]
    cc = models.JSONField(default=list)
    subject = models.CharField(max_length=1000, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)  # the Date header
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    in_reply_to = models.JSONField(default=list)
    references = models.JSONField(default=list)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)

    # Auto-reply, bounce, feedback report, list or bulk mail, or our own mail coming
    # back: never answered automatically. Empty for mail a person wrote.
    class Noise(models.TextChoices):
        AUTOREPLY = "autoreply", _("auto-reply")
        BOUNCE = "bounce", _("bounce")
        FEEDBACK = "feedback", _("abuse report")
        LIST = "list", _("list mail")
        BULK = "bulk", _("bulk mail")
        OWN = "own", _("our own mail")

    noise = models.CharField(max_length=16, blank=True, db_index=True, choices=Noise.choices)
    noise_reason = models.CharField(max_length=300, blank=True)
    # A customer's reply that only thanks (``lib.thanks``): after the team's answer it asks
    # for nothing, so it reopens nothing and starts no response clock.
    thanks = models.BooleanField(default=False)
    # For our own mail: where its sending stands, and why it failed (the server
    # refused it, or a bounce named it). Shown on the conversation page.
    delivery_state = models.CharField(max_length=10, blank=True)
    delivery_error = models.TextField(blank=True)

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["conversation", "received_at"])]

    def __str__(self) -> str:
        return f"<{self.message_id}>"

    @property
    def flagged(self) -> bool:
        return bool(self.warnings)


class Attachment(models.Model):
    """Metadata only: the bytes stay in the raw message and are extracted on demand."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField()
    content_id = models.CharField(max_length=500, blank=True)
    inline = models.BooleanField(default=False)
    part = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.filename


class Participant(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    address = models.CharField(max_length=320)
    name = models.CharField(max_length=300, blank=True)
    # The address's domain, lower case: the customer panel's "same company".
    domain = models.CharField(max_length=255, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "address"], name="one_participant")
        ]
        indexes = [models.Index(fields=["address"])]

    def __str__(self) -> str:
        return self.address

    @staticmethod
    def domain_of(address: str) -> str:
        return address.rpartition("@")[2].lower()


class ThreadRef(models.Model):
    """A Message-ID that a message of this conversation names in In-Reply-To or References.

    A message joins the conversation of the messages it names (its parents)
    and of the messages that name it (its children, when they came first), so
    the order of arrival does not matter. Two messages that name the same
    absent parent stay apart until that parent arrives and joins them.
    """

    key = models.CharField(max_length=500, db_index=True)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="refs")

    def __str__(self) -> str:
        return self.key


class Event(models.Model):
    """The one timeline of a conversation, append-only: what every stage did to it, in
    order. Written through ``handoff.tickets.timeline`` (which checks each kind's payload),
    read by the conversation page, the cockpit and the ledger."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Conversation started")
        MESSAGE = "message", _("Message")
        TRIAGED = "triaged", _("Triaged")
        CORRECTED = "corrected", _("Triage corrected")
        MOVED = "moved", _("Moved to another lane")
        CLOCK = "clock", _("Answer-by time set")
        ASSIGNED = "assigned", _("Assigned")
        QUEUED = "queued", _("Back in the queue")
        HANDOVER = "handover", _("Handed over")
        REMINDED = "reminded", _("Reminder")
        BREACHED = "breached", _("Answer-by time passed")
        REASSIGNED = "reassigned", _("Reassigned")
        PAUSED = "paused", _("Clocks paused")
        RESUMED = "resumed", _("Clocks running again")
        STATUS = "status", _("Status changed")
        MERGED = "merged", _("Merged")
        NOTE = "note", _("Internal note")
        HELD = "held", _("Automatic message held back")
        DELIVERY_FAILED = "delivery_failed", _("Delivery failed")
        PEEK = "peek", _("The founder looked")
        RATED = "rated", _("Customer rated")
        TASK = "task", _("Ledger task")
        TAGGED = "tagged", _("Tags changed")
        PRIORITY = "priority", _("Priority changed")
        SEPARATED = "separated", _("Merge undone")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    # Who did it (a person; none for the desk itself) and whom it concerns (the assignee
    # given the conversation, the person reminded).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["conversation", "at"]), models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
