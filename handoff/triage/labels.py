"""Labelled history from a CSV file (`file,message_id,lane,category,...`, as in the
founder-mailbox benchmark): read, stored as labels, compared with triage."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from handoff.tickets.models import Message
from handoff.triage import lanes
from handoff.triage.engine.labels import LANE_OF
from handoff.triage.engine.metrics import Outcome, report
from handoff.triage.models import Decision, Label
from handoff.triage.pipeline import decisions_for

CHUNK = 1000


class LabelsError(ValueError):
    """A labels file that cannot be used, with the line."""


@dataclass(frozen=True, slots=True)
class Row:
    message_id: str  # without angle brackets, as the desk stores it
    lane: str
    category: str
    language: str


def read(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"message_id", "lane", "category"} - set(reader.fieldnames or [])
        if missing:
            raise LabelsError(f"{path}: missing columns {', '.join(sorted(missing))}")
        for number, item in enumerate(reader, 2):
            lane, category = item["lane"].strip(), item["category"].strip()
            if LANE_OF.get(category) != lane:
                raise LabelsError(f"{path}:{number}: {lane}/{category} is not a lane/category")
            message_id = item["message_id"].strip().removeprefix("<").removesuffix(">")
            if not message_id:
                raise LabelsError(f"{path}:{number}: empty message_id")
            rows.append(Row(message_id, lane, category, (item.get("language") or "").strip()))
    return rows


def _held(rows: Sequence[Row]) -> dict[str, tuple[int, datetime]]:
    """Message-ID -> the message's pk and arrival, for the labelled messages the desk holds
    (the first stored, when a Message-ID came twice)."""
    found: dict[str, tuple[int, datetime]] = {}
    ids = [r.message_id for r in rows]
    for start in range(0, len(ids), CHUNK):
        for message_id, pk, arrived in (
            Message.objects.filter(message_id__in=ids[start : start + CHUNK])
            .order_by("pk")
            .values_list("message_id", "pk", "received_at")
        ):
            found.setdefault(message_id, (pk, arrived))
    return found


def messages_of(rows: Sequence[Row]) -> dict[str, int]:
    """Message-ID -> message pk, for the labelled messages the desk holds."""
    return {message_id: pk for message_id, (pk, _) in _held(rows).items()}


def store(rows: Sequence[Row]) -> dict[str, int]:
    """Each labelled message the desk holds gets the label, and it as its decision."""
    found = _held(rows)
    pks = {message_id: pk for message_id, (pk, _) in found.items()}
    arrived = dict(found.values())
    now = timezone.now()
    labels = [
        Label(
            message_id=pks[r.message_id],
            lane=r.lane,
            category=r.category,
            source=Label.Source.IMPORT,
            at=now,
        )
        for r in rows
        if r.message_id in pks
    ]
    decisions = list(
        {  # the last label of a message counts
            label.message_id: Decision(
                message_id=label.message_id,
                received_at=arrived[label.message_id],
                lane=label.lane,
                category=label.category,
                confidence=1.0,
                layer=Decision.Layer.LABEL,
                explanation="imported label",
                decided_at=now,
            )
            for label in labels
        }.values()
    )
    with transaction.atomic():
        Label.objects.bulk_create(labels, batch_size=CHUNK)
        for start in range(0, len(decisions), CHUNK):
            Decision.objects.bulk_create(
                decisions[start : start + CHUNK],
                update_conflicts=True,
                unique_fields=["message"],
                update_fields=[
                    "lane",
                    "category",
                    "confidence",
                    "needs_triage",
                    "layer",
                    "explanation",
                    "decided_at",
                ],
            )
        lanes.refresh_for_messages(d.message_id for d in decisions)
    return {"labels": len(rows), "stored": len(labels), "missing": len(rows) - len(labels)}


def evaluate(rows: Sequence[Row]) -> dict[str, Any]:
    """Triage the labelled messages afresh (their labels ignored) and compare."""
    pks = messages_of(rows)
    present = [r for r in rows if r.message_id in pks]
    outcomes = []
    for start in range(0, len(present), CHUNK):
        part = present[start : start + CHUNK]
        decided = decisions_for([pks[r.message_id] for r in part])
        for row in part:
            decision, language = decided[pks[row.message_id]]
            outcomes.append(
                Outcome(
                    row.lane,
                    row.category,
                    row.language,
                    decision.lane,
                    decision.category,
                    language,
                    decision.needs_triage,
                )
            )
    return {"missing": len(rows) - len(present), **report(outcomes)}
