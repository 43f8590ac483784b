"""What the desk records about its own use: the founder's peeks into the team's work, and
the customers' ratings of the answers they got. The cockpit reads both."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.tickets.models import Conversation, Message


class Peek(models.Model):
    """The founder opened something the team runs: a team-lane conversation, a team queue,
    or the cockpit's per-person view. Counted, never judged; the founder cannot turn it off."""

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("a team conversation")
        QUEUE = "queue", _("a team queue")
        PEOPLE = "people", _("the per-person view")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    what = models.CharField(max_length=40, blank=True)  # the queue's key

    class Meta:
        indexes = [models.Index(fields=["at", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} peeked at {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """A customer's one-click rating of a reply, from the signed link at its foot."""

    class Score(models.TextChoices):
        GOOD = "good", _("Good")
        OKAY = "okay", _("Okay")
        BAD = "bad", _("Bad")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    # The reply rated: one rating per reply, the latest click wins.
    reply = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="rating"
    )
    score = models.CharField(max_length=4, choices=Score.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.score} on #{self.conversation_id}"


class SavedReply(models.Model):
    """An answer written once and used again: shared with the team (the head keeps those)
    or a person's own. ``{customer.first_name}`` and the other placeholders of
    ``handoff.desk.saved`` are filled in for each conversation."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20_000)
    # The customers' language it is written in ("" for any): offered first to theirs.
    language = models.CharField(_("language"), max_length=8, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="None: shared with the whole team",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Presence(models.Model):
    """Who has a conversation open, and who is writing a reply to it, as their page last
    said (every few seconds while it is open): shown to the others, so two people do not
    answer the same customer at once. A row older than ``desk.presence.FRESH`` means gone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField()
    typing = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="one_presence")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.conversation_id}"
