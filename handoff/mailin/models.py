from __future__ import annotations

from django.db import models
from django.utils import timezone

# Channels that deliver mail as it arrives: a new conversation from them may be
# acknowledged. An imported history, the demo and our own copies never are.
LIVE_CHANNELS = ("smtp", "imap", "webhook")


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
    """An address the desk answers for: mail from it is the desk's own (outgoing).

    Optionally fetched over IMAP. Secrets never live here: ``secret_env`` names
    the environment variable (or ``secret_file`` the file) that holds the
    password or, for XOAUTH2, the access token; ``token_command`` may instead
    name a command that prints a fresh token.
    """

    class Security(models.TextChoices):
        TLS = "tls", "TLS"
        STARTTLS = "starttls", "STARTTLS"
        NONE = "none", "none (127.0.0.1 and tests only)"

    class Auth(models.TextChoices):
        PASSWORD = "password", "password"
        XOAUTH2 = "xoauth2", "OAuth2 (Gmail, Microsoft 365)"

    class Purpose(models.TextChoices):
        DESK = "desk", "desk: customers' mail"
        LEDGER = "ledger", "ledger: tasks and check-ins from the desk's own people"

    address = models.EmailField(unique=True)
    purpose = models.CharField(max_length=8, choices=Purpose.choices, default=Purpose.DESK)
    name = models.CharField(
        max_length=200, blank=True, help_text="Company name shown after the agent's: 'Chris — Acme'"
    )
    active = models.BooleanField(default=True)
    acknowledge = models.BooleanField(
        default=False, help_text="Send an automatic acknowledgement to a new conversation"
    )
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=8, choices=Security.choices, default=Security.TLS)
    imap_user = models.CharField(max_length=255, blank=True)
    imap_auth = models.CharField(max_length=8, choices=Auth.choices, default=Auth.PASSWORD)
    imap_folders = models.JSONField(default=list, blank=True, help_text='e.g. ["INBOX"]')
    # After the bytes are committed: flag \Seen (default) or move to this folder. Never delete.
    imap_move_to = models.CharField(max_length=255, blank=True)
    secret_env = models.CharField(max_length=100, blank=True)
    secret_file = models.CharField(max_length=500, blank=True)
    token_command = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.address


class ImapCursor(models.Model):
    """How far a folder was fetched: UIDs above ``last_uid`` are new, while UIDVALIDITY holds."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="cursors")
    folder = models.CharField(max_length=255)
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "folder"], name="one_cursor_per_folder")
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} {self.folder} {self.uidvalidity}:{self.last_uid}"
