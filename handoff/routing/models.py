"""Team, calendars, SLA policies, routing rules, and each conversation's clocks.

Every timer is a stored, indexed due time on ``Clock``, recomputed by
``handoff.routing.actions`` on each event and swept by ``handoff.routing.sweep``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.routing.time.shifts import holiday_dates, parse_slots, time_zone
from handoff.tickets.models import Conversation


def _errors(checks: dict[str, Callable[[], object]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, check in checks.items():
        try:
            check()
        except ValueError as error:
            errors[name] = [str(error)]
    return errors


def _check(checks: dict[str, Callable[[], object]]) -> None:
    errors = _errors(checks)
    if errors:
        raise ValidationError(errors)


class Team(models.Model):
    class Handover(models.TextChoices):
        DUE_BEFORE_NEXT_SHIFT = "due_before_next_shift"  # what would wait for the person
        ALL = "all"  # everything open, at every shift end
        NONE = "none"  # keep: the person takes it back at the next shift

    name = models.CharField(max_length=100, unique=True)
    strategy = models.CharField(max_length=40, default="least_loaded")  # strategies.STRATEGIES
    sticky = models.BooleanField(default=True)  # a customer goes back to the same person
    handover = models.CharField(
        max_length=24, choices=Handover.choices, default=Handover.DUE_BEFORE_NEXT_SHIFT
    )
    holidays = models.JSONField(default=list, blank=True)  # the team's own dates, ISO
    # Breach prediction: conversations one person answers in an hour.
    answers_per_hour = models.PositiveIntegerField(default=6)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from handoff.routing.strategies import STRATEGIES

        if self.strategy not in STRATEGIES:
            raise ValidationError({"strategy": f"one of: {', '.join(sorted(STRATEGIES))}"})
        _check({"holidays": lambda: [date.fromisoformat(str(d)) for d in self.holidays]})


class Person(models.Model):
    """A member of the team: when they work, what they can answer, how much they carry."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    time_zone = models.CharField(max_length=64, blank=True)
    shifts = models.JSONField(default=list, blank=True)  # ["mon-fri 09:00-17:00", ...]
    holiday_country = models.CharField(max_length=8, blank=True)
    holiday_region = models.CharField(max_length=16, blank=True)
    holidays = models.JSONField(default=list, blank=True)  # own days off, ISO dates
    languages = models.JSONField(default=list, blank=True)  # ["fr", "en"]
    categories = models.JSONField(default=list, blank=True)  # empty: every category
    capacity = models.PositiveIntegerField(default=30)
    # Open conversations assigned: kept by routing, resynchronised by every sweep.
    load = models.IntegerField(default=0)
    last_assigned_at = models.DateTimeField(null=True, blank=True)  # round robin

    def __str__(self) -> str:
        return str(self.user)

    def clean(self) -> None:
        """The checks of ``handoff config apply``, for the admin."""
        errors = _errors(
            {
                "shifts": lambda: parse_slots(self.shifts),
                "time_zone": lambda: time_zone(self.time_zone) if self.shifts else None,
                "holiday_country": lambda: holiday_dates(self.holiday_country, self.holiday_region),
                "holidays": lambda: [date.fromisoformat(str(d)) for d in self.holidays],
            }
        )
        if self.team_id and not self.languages:
            errors["languages"] = ["a team member needs at least one language"]
        if errors:
            raise ValidationError(errors)


class Absence(models.Model):
    """Out of office from ``starts`` to ``ends`` (both included, the person's dates)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="absences")
    starts = models.DateField()
    ends = models.DateField()
    backup = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="backing"
    )

    def __str__(self) -> str:
        return f"{self.person} away {self.starts}–{self.ends}"


class Calendar(models.Model):
    """Business hours for SLA clocks. A policy with no calendar counts 24/7."""

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, blank=True)
    hours = models.JSONField(default=list)  # same specs as shifts
    holiday_country = models.CharField(max_length=8, blank=True)
    holiday_region = models.CharField(max_length=16, blank=True)
    holidays = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check(
            {
                "time_zone": lambda: time_zone(self.time_zone),
                "hours": lambda: parse_slots(self.hours or ["none"]),
                "holiday_country": lambda: holiday_dates(self.holiday_country, self.holiday_region),
                "holidays": lambda: [date.fromisoformat(str(d)) for d in self.holidays],
            }
        )


class Policy(models.Model):
    """Targets for the conversations its conditions select; the first match wins.

    ``conditions``: {"lane": [...], "category": [...], "priority": [...], "mailbox": [...],
    "domain": [...], "customer": [...], "tag": [...], "language": [...]}; an absent key
    matches everything. Targets in minutes; null: no such clock.
    """

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0)
    conditions = models.JSONField(default=dict, blank=True)
    calendar = models.ForeignKey(Calendar, null=True, blank=True, on_delete=models.PROTECT)
    first_response = models.IntegerField(null=True, blank=True)
    next_response = models.IntegerField(null=True, blank=True)
    resolution = models.IntegerField(null=True, blank=True)
    remind_at = models.FloatField(default=0.75)  # share of the target

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {
            name: ["must be positive"]
            for name in ("first_response", "next_response", "resolution")
            if getattr(self, name) is not None and getattr(self, name) <= 0
        }
        if not 0 < self.remind_at < 1:
            errors["remind_at"] = ["a share of the target between 0 and 1, e.g. 0.75"]
        if errors:
            raise ValidationError(errors)


class Rule(models.Model):
    """Routing rule: conversations matching ``conditions`` go to a team, a person, or nowhere."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0)
    conditions = models.JSONField(default=dict, blank=True)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    skip = models.BooleanField(default=False)  # not routed: no assignee, no clock

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Clock(models.Model):
    """Routing state and SLA clocks of one conversation. Due times are in UTC; ``None``
    means no such clock, or frozen while paused (the time left is then kept in ``left``)."""

    conversation = models.OneToOneField(
        Conversation, primary_key=True, on_delete=models.CASCADE, related_name="clock"
    )
    routed = models.BooleanField(default=True)  # false: skipped by a rule (noise, founder...)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    policy = models.ForeignKey(Policy, null=True, blank=True, on_delete=models.SET_NULL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Facts at routing time, for skill matching, sticky assignment and the queue.
    lane = models.CharField(max_length=16, blank=True)
    category = models.CharField(max_length=16, blank=True)
    language = models.CharField(max_length=16, blank=True)
    customer = models.CharField(max_length=320, blank=True)
    is_open = models.BooleanField(default=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)

    first_response_due = models.DateTimeField(null=True, blank=True)
    first_response_warn = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    next_response_started = models.DateTimeField(null=True, blank=True)
    next_response_due = models.DateTimeField(null=True, blank=True)
    next_response_warn = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    resolution_warn = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Earliest running response clock; earliest of every running clock.
    respond_by = models.DateTimeField(null=True, blank=True)
    earliest_due = models.DateTimeField(null=True, blank=True)
    # When the sweep must look at this row next (a reminder or a breach): the ladder.
    next_check_at = models.DateTimeField(null=True, blank=True)
    # Steps taken per clock: {"first_response": "reminded", "next_response@ISO": "breached"}.
    ladder = models.JSONField(default=dict)
    breached_at = models.DateTimeField(null=True, blank=True)
    at_risk = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="clock_ladder",
                condition=Q(next_check_at__isnull=False),
            ),
            models.Index(fields=["assignee", "is_open", "earliest_due"], name="clock_assignee"),
            models.Index(
                fields=["earliest_due"],
                name="clock_queue",
                condition=Q(assignee__isnull=True, is_open=True, routed=True),
            ),
            models.Index(fields=["respond_by"], name="clock_respond_by"),
            models.Index(fields=["first_response_due"], name="clock_first_response"),
            models.Index(fields=["customer", "assigned_at"], name="clock_customer"),
            models.Index(fields=["conversation"], name="clock_at_risk", condition=Q(at_risk=True)),
            models.Index(
                fields=["snoozed_until"],
                name="clock_snoozed",
                condition=Q(snoozed_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"clock of #{self.conversation_id}"


class Notification(models.Model):
    """A message for a person, sent by the tick through the outbox (routing cannot send)."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        BREACH = "breach", _("Breach")
        HANDOVER = "handover", _("Handover")
        AT_RISK = "at_risk", _("At risk")
        CONFIG = "config", _("Configuration")  # misconfiguration found while running
        ASSIGNED = "assigned", _("Assigned")  # someone gave the person a conversation

    kind = models.CharField(max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # seen in the desk ("For you")

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"], name="notification_unsent", condition=Q(sent_at=None)
            ),
            models.Index(fields=["user"], name="notification_unread", condition=Q(read_at=None)),
            models.Index(fields=["kind", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}"
