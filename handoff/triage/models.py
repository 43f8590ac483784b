from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from handoff.tickets.models import Conversation, Message
from handoff.triage.engine import rules as triage_rules
from handoff.triage.engine.decide import FOUNDER_AUDIT
from handoff.triage.engine.decide import Policy as PolicyValues
from handoff.triage.engine.labels import CATEGORIES, LANES
from handoff.triage.engine.language import DEFAULT_LANGUAGES, check_languages

LANE_CHOICES = [(lane, lane) for lane in LANES]
CATEGORY_CHOICES = [(category, category) for category in CATEGORIES]


class Decision(models.Model):
    """Where one message goes, and why. Rewritten by triage, fixed by a correction."""

    class Layer(models.TextChoices):
        NOISE = "noise", _("Noise recognition")
        FOUNDER_RULE = "founder_rule", _("Founder rule")
        FOUNDER_CONTACT = "founder_contact", _("Founder's correspondent")
        ADMIN_RULE = "admin_rule", _("Admin rule")
        CLASSIFIER = "classifier", _("Classifier")
        LABEL = "label", _("Label")
        SENT = "sent", _("Sent by us")
        NONE = "none", _("No classifier")

    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, primary_key=True, related_name="triage"
    )
    lane = models.CharField(max_length=8, choices=LANE_CHOICES, db_index=True)
    category = models.CharField(max_length=10, choices=CATEGORY_CHOICES)
    language = models.CharField(max_length=8, blank=True)
    confidence = models.FloatField()
    needs_triage = models.BooleanField(default=False)
    layer = models.CharField(max_length=16, choices=Layer.choices)
    explanation = models.CharField(max_length=500, blank=True)
    priority = models.CharField(max_length=8, blank=True)
    tags = models.JSONField(default=list, blank=True)
    team = models.CharField(max_length=100, blank=True)
    scores = models.JSONField(default=dict, blank=True)  # the classifier's probabilities
    # The founder lane's score of ``scores`` (``founder_of``), a column of its own for the
    # noise audit's index: an index on the JSON key is not one SQLite can count on, as
    # Django writes that expression's SQL differently from one process to the next.
    founder_score = models.FloatField(null=True, blank=True)
    version = models.ForeignKey(
        "ModelVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    # The message's arrival, copied (it never changes): the cockpit counts the period's
    # decisions by category from one index, not through a million messages.
    received_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["received_at", "layer", "category"], name="decision_received"),
            models.Index(
                fields=["lane"], condition=models.Q(needs_triage=True), name="triage_queue"
            ),
            # The noise audit (``lanes.founder_scored``): the few decisions it reads, by
            # arrival. Partial, and led by the lane (as the index on the lane alone is), so
            # that SQLite takes it with or without statistics; a whole index on the score lost
            # to the messages' arrival index (0.4 s on a million messages).
            models.Index(
                fields=["lane", "received_at"],
                condition=models.Q(lane="noise", founder_score__gte=FOUNDER_AUDIT),
                name="noise_audit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lane}/{self.category} ({self.layer})"

    @staticmethod
    def founder_of(scores: Mapping[str, float]) -> float | None:
        """What ``founder_score`` keeps of ``scores``."""
        found = scores.get("founder")
        return None if found is None else float(found)


class ConversationLane(models.Model):
    """Triage's one answer for a whole conversation: whose business it is, and the facts
    routing works with. Kept by ``handoff.triage.lanes`` on every decision, correction,
    merge and move; routing, desk access, the queues, the export and the cockpit read it.

    The rule: a conversation is the founder's once any message a customer wrote in it is
    founder mail (or, before any customer wrote, once the founder wrote it), until the head
    or the founder moves it; founder mail that arrives after such a move brings it back.
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, primary_key=True, related_name="lane"
    )
    lane = models.CharField(max_length=8, choices=LANE_CHOICES, db_index=True)
    # Of the latest message a customer wrote that is not noise (the latest at all when
    # every one is noise): what the conversation is about now.
    category = models.CharField(max_length=10, choices=CATEGORY_CHOICES)
    language = models.CharField(max_length=8, blank=True)
    priority = models.CharField(max_length=8, blank=True)
    tags = models.JSONField(default=list, blank=True)
    team = models.CharField(max_length=100, blank=True)
    # A person set the tags or the priority: triage keeps them from then on (a rule's tags
    # and priority apply until someone chooses).
    tags_by_hand = models.BooleanField(default=False)
    priority_by_hand = models.BooleanField(default=False)
    # A person's move of the whole conversation ("founder": escalated; "team": handed back).
    moved_to = models.CharField(max_length=8, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.conversation_id}: {self.lane}/{self.category}"

    @property
    def is_founder(self) -> bool:
        return self.lane == "founder"


class Tag(models.Model):
    """A tag of the desk's list, kept by the head: its name (what conversations carry, in
    ``ConversationLane.tags``) and its colour. A conversation may carry a name that is not
    (or no longer) in the list, from a rule: it shows in grey."""

    class Colour(models.TextChoices):
        GREY = "grey", _("Grey")
        RED = "red", _("Red")
        ORANGE = "orange", _("Orange")
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        TEAL = "teal", _("Teal")
        BLUE = "blue", _("Blue")
        PURPLE = "purple", _("Purple")
        PINK = "pink", _("Pink")

    name = models.CharField(max_length=40, unique=True)
    colour = models.CharField(max_length=8, choices=Colour.choices, default=Colour.GREY)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = tag_name(self.name)


def tag_name(text: str) -> str:
    """A tag's name as stored: trimmed, lower case, inner spaces as hyphens; letters of any
    script, digits, ``-``, ``_`` and ``.`` only. Raises ValidationError."""
    name = "-".join(str(text).strip().lower().split())
    if not name:
        raise ValidationError({"name": _("A tag needs a name.")})
    if len(name) > 40:
        raise ValidationError({"name": _("At most 40 characters.")})
    if not all(c.isalnum() or c in "-_." for c in name):
        raise ValidationError(
            {"name": _("Letters, digits, “-”, “_” and “.” only: %(name)s") % {"name": name}}
        )
    return name


class FounderRule(models.Model):
    """A person or a domain whose mail is the founder's business (investors, board, lawyer)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person (address)")
        DOMAIN = "domain", _("Domain (and its subdomains)")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=320)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_founder_rule")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"

    def clean(self) -> None:
        self.value = self.value.strip().lower().lstrip("@")
        if self.kind == self.Kind.PERSON and "@" not in self.value:
            raise ValidationError({"value": _("An address, like jane@fund.example.")})
        if self.kind == self.Kind.DOMAIN and ("@" in self.value or "." not in self.value):
            raise ValidationError({"value": _("A domain, like fund.example.")})


class FounderContact(models.Model):
    """Someone the founder wrote to personally (learned from the founder's sent mail)."""

    address = models.CharField(max_length=320, unique=True)
    messages = models.PositiveIntegerField(default=0)
    last_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.address


class AdminRule(models.Model):
    """Conditions -> actions, applied in position order (see handoff.triage.engine.rules)."""

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(default=True)
    conditions = models.JSONField()
    actions = models.JSONField()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            triage_rules.parse_rule(self.name, self.conditions, self.actions)
        except triage_rules.RuleError as error:
            raise ValidationError(str(error)) from None

    def parsed(self) -> triage_rules.Rule:
        return triage_rules.parse_rule(self.name, self.conditions, self.actions)


class Label(models.Model):
    """What a message really was: a correction in the desk, or an imported labelled history.

    Append-only; the latest label of a message counts.
    """

    class Source(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        IMPORT = "import", _("Imported label")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="labels")
    lane = models.CharField(max_length=8, choices=LANE_CHOICES)
    category = models.CharField(max_length=10, choices=CATEGORY_CHOICES)
    source = models.CharField(max_length=10, choices=Source.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["message", "-id"])]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.lane}/{self.category}"


class ModelVersion(models.Model):
    """A trained classifier, its bytes in the database so every worker on every machine
    loads the same one. Exactly one is active; older ones stay for the record."""

    class Kind(models.TextChoices):
        STARTER = "starter", _("Starter set")
        DESK = "desk", _("Desk history")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    active = models.BooleanField(default=False)
    data = models.BinaryField()
    examples = models.PositiveIntegerField(default=0)  # labelled messages trained on
    held_back = models.PositiveIntegerField(default=0)  # labelled messages scored on
    score = models.FloatField(null=True, blank=True)  # on the held-back messages
    replaced_score = models.FloatField(null=True, blank=True)  # the active model's, then
    seconds = models.FloatField(default=0)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=models.Q(active=True), name="one_active_model"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="starter"), name="one_starter_model"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.pk} ({self.kind})"


class TriageSettings(models.Model):
    """The desk's triage settings: one row, written by the admin or the configuration file."""

    languages = models.JSONField(default=list)  # ISO 639-1 codes; empty: the defaults
    threshold = models.FloatField(default=PolicyValues().threshold)
    noise_threshold = models.FloatField(default=PolicyValues().noise_threshold)
    founder_threshold = models.FloatField(default=PolicyValues().founder_threshold)
    starter_threshold = models.FloatField(default=PolicyValues().starter_threshold)

    class Meta:
        verbose_name_plural = "triage settings"

    def __str__(self) -> str:
        return "triage settings"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        try:
            self.languages = list(check_languages(self.languages or DEFAULT_LANGUAGES))
        except ValueError as error:
            raise ValidationError({"languages": str(error)}) from None
        for name in ("threshold", "noise_threshold", "founder_threshold", "starter_threshold"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValidationError({name: _("Between 0 and 1.")})

    @classmethod
    def current(cls) -> TriageSettings:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)

    def policy(self) -> PolicyValues:
        return PolicyValues(
            self.threshold, self.noise_threshold, self.founder_threshold, self.starter_threshold
        )

    def language_codes(self) -> tuple[str, ...]:
        return check_languages(self.languages or DEFAULT_LANGUAGES)
