"""The cockpit's roll-up: one row per conversation, what happened to it, refreshed by the
worker from the timeline, the lane and the clocks (``handoff.cockpit.rollup``). The
cockpit's pages read these rows and nothing else heavy: a 90-day period is one indexed
range over ``opened_at``, whatever the number of messages behind it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from handoff.tickets.models import Conversation


class Outcome(models.Model):
    class Founder(models.TextChoices):
        TEAM = "", "handled by the team"
        LANE = "lane", "founder lane"
        ESCALATED = "escalated", "escalated to the founder"
        JUMPED_IN = "jumped_in", "founder jumped in"

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="outcome"
    )
    # The first message a customer wrote (the conversation's start when none did).
    opened_at = models.DateTimeField()
    lane = models.CharField(max_length=8)
    category = models.CharField(max_length=10)
    language = models.CharField(max_length=8)
    # Not noise, and a person wrote in: something to answer.
    needs_answer = models.BooleanField()
    founder = models.CharField(max_length=10, blank=True, choices=Founder.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_open = models.BooleanField()
    # Seconds, wall clock, with the pauses (waiting on the customer, snoozed) cut out of the
    # resolution; the targets are the policy's, "met" compares with the due time the clock had.
    first_response = models.FloatField(null=True)
    first_response_target = models.FloatField(null=True)
    first_response_met = models.BooleanField(null=True)
    resolution = models.FloatField(null=True)
    resolution_target = models.FloatField(null=True)
    resolution_met = models.BooleanField(null=True)
    breached_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["opened_at"], name="outcome_opened"),
            models.Index(fields=["breached_at"], name="outcome_breached"),
        ]

    def __str__(self) -> str:
        return f"outcome of #{self.conversation_id}"


class Digest(models.Model):
    """When a person (the founder, the head) gets the weekly digest, in their time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(default=0)  # Monday
    hour = models.PositiveSmallIntegerField(default=8)
    enabled = models.BooleanField(default=True)
    last_week = models.CharField(max_length=8, blank=True)  # ISO week sent last, 2026-W49

    def __str__(self) -> str:
        return f"digest of {self.user_id}"


class Refresh(models.Model):
    """Where the roll-up stands: the timeline rows seen so far (one row)."""

    last_event = models.BigIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"roll-up at event {self.last_event}"


class Snapshot(models.Model):
    """The cockpit's heavy figures of one period, as of one state of the roll-up: made by
    the worker after each refresh for the usual periods (or by the first page that asks),
    so that a 90-day page reads one row instead of tens of thousands. A snapshot of an
    older roll-up is never read (``last_event``), and the worker deletes it."""

    key = models.CharField(max_length=160, unique=True)  # period and time zone
    last_event = models.BigIntegerField()
    made_at = models.DateTimeField(default=timezone.now)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"snapshot {self.key} at event {self.last_event}"
