"""The delegation ledger: the founder's own work, what an hour of it is worth, who owns it,
and the dates the owner checks in instead of being watched.

Everything that happens to a task is a row of its timeline (``TaskEvent``), written by
``handoff.ledger.actions`` only; the founder's hours are ``TimeEntry`` rows, each on the day
it was worked, so a month's hours by value band is one sum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.tickets.models import Conversation

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}


class Band(models.Model):
    """What an hour of some work is worth, in the founder's currency: $10/h ... $10,000/h."""

    hourly = models.PositiveIntegerField(_("value of an hour"), unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    name = models.CharField(_("name"), max_length=80, blank=True)

    class Meta:
        ordering = ["hourly"]

    def __str__(self) -> str:
        symbol = SYMBOLS.get(self.currency)
        amount = f"{self.hourly:,}".replace(",", "\u202f")
        value = f"{symbol}{amount}/h" if symbol else f"{amount} {self.currency}/h"
        return f"{value} · {self.name}" if self.name else value


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Source(models.TextChoices):
        DESK = "desk", _("the desk")
        CONVERSATION = "conversation", _("a conversation")
        COMMAND = "command", _("the command line")
        EMAIL = "email", _("email")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # The frame: what done looks like, the limits, the budget.
    outcome = models.TextField(_("outcome expected"), blank=True)
    band = models.ForeignKey(
        Band, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("value band")
    )
    # A team member, or the founder ("I'll take care of it"); none: nobody owns it yet.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ledger_tasks",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    # The founder's own estimate when they keep it, in minutes.
    estimate_minutes = models.PositiveIntegerField(null=True, blank=True)
    timer_started_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.DESK)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "owner"])]

    def __str__(self) -> str:
        return f"T-{self.pk} {self.title}"


class CheckIn(models.Model):
    """An agreed date on which the owner says where the task stands."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("On track")
        NEEDS_HELP = "needs_help", _("Needs help")
        BLOCKED = "blocked", _("Blocked")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="checkins")
    on = models.DateField(_("check-in date"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The reminder's Message-ID: a reply to it is this check-in's answer.
    reminder_id = models.CharField(max_length=500, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, blank=True)
    text = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} on {self.on}"


class TimeEntry(models.Model):
    """Time someone really spent on a task, on the (local) day it was worked."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="time")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    minutes = models.PositiveIntegerField()
    timed = models.BooleanField(default=False)  # from the timer, not typed
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "on"])]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.task_id}"


class TaskEvent(models.Model):
    """The task's timeline, append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        OWNER = "owner", _("Owner")
        CHECKIN_SET = "checkin_set", _("Check-in agreed")
        REMINDED = "reminded", _("Reminder sent")
        CHECKED_IN = "checked_in", _("Checked in")
        MISSED = "missed", _("Check-in missed")
        ESTIMATE = "estimate", _("Estimate")
        TIME = "time", _("Time recorded")
        TIMER = "timer", _("Timer")
        STATUS = "status", _("Status")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["task", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
