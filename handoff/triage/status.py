"""What the desk's triage has learnt, as `handoff triage status` prints it: the active
model, the labels it learns from per class, the founder's people, the last training
and its held-back score. Read-only, a handful of queries."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Max

from handoff.triage.engine.labels import CATEGORIES
from handoff.triage.models import FounderContact, FounderRule, Label, ModelVersion

FIELDS = ("pk", "kind", "created_at", "active", "examples", "held_back", "score")


def _version(row: ModelVersion | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "version": row.pk,
        "kind": row.kind,
        "created_at": row.created_at.isoformat(),
        "examples": row.examples,
        "held_back": row.held_back,
        "held_back_score": row.score,
    }


def labels_per_class() -> dict[str, int]:
    """The latest label of each labelled message (the one training reads), per category."""
    latest = Label.objects.values("message_id").annotate(last=Max("id")).values("last")
    counts = Counter(
        Label.objects.filter(id__in=latest).values_list("category", flat=True).iterator()
    )
    return {category: counts[category] for category in CATEGORIES if counts[category]}


def status() -> dict[str, Any]:
    versions = ModelVersion.objects.only(*FIELDS, "report", "replaced_score")
    active = versions.filter(active=True).first()
    last = versions.filter(kind=ModelVersion.Kind.DESK).order_by("-created_at", "-id").first()
    per_class = labels_per_class()
    sources = Counter(Label.objects.values_list("source", flat=True).iterator())
    rules = Counter(FounderRule.objects.values_list("kind", flat=True))
    training = None
    if last is not None:
        training = _version(last) or {}
        training |= {
            # Older rows say it by being active; newer ones keep it in their report.
            "accepted": last.active or bool((last.report or {}).get("accepted")),
            "replaced_score": last.replaced_score,
            "reason": (last.report or {}).get("reason", ""),
            # Decisions nobody corrected, learnt from beside the labels.
            "untouched": (last.report or {}).get("untouched", 0),
        }
        del training["kind"]
    return {
        "model": _version(active),  # None: no model yet, the first triage makes the starter
        "labels": {
            "messages": sum(per_class.values()),
            "per_class": per_class,
            "corrections": sources[Label.Source.CORRECTION],
            "imported": sources[Label.Source.IMPORT],
        },
        "founder": {
            "contacts": FounderContact.objects.count(),
            "rules": {kind: rules[kind] for kind in FounderRule.Kind.values},
        },
        "last_training": training,
        "trainings": versions.filter(kind=ModelVersion.Kind.DESK).count(),
    }
