"""The desk's classifier: the starter model, training from labels, versions, corrections.

Every model lives in a ModelVersion row (its bytes in the database, so every
worker on every machine loads the same one). A fresh desk trains the starter
model from the shipped starter set at first use (about a second) and keeps it.

Training uses the starter set and the desk's labelled history (imported labels
and corrections; the latest label of a message counts). One labelled message in
ten, chosen by a stable hash of its Message-ID, is never trained on: it is the
held-back history on which a new model must score at least as well as the
active one before it replaces it (a model kept out is recorded without its
bytes). Mail the noise layer recognised is trained on too, its verdict given
as a token: it teaches spam sent through lists apart from list mail.
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Left
from django.tasks import default_task_backend
from django.utils import timezone

from handoff.accounts.models import User
from handoff.tickets import timeline
from handoff.tickets.models import Message
from handoff.triage import lanes
from handoff.triage.engine import starter
from handoff.triage.engine.labels import LANE_OF
from handoff.triage.engine.starter import examples, train_starter
from handoff.triage.engine.text import BODY_CHARS, prepare
from handoff.triage.models import Decision, Label, ModelVersion

if TYPE_CHECKING:  # scikit-learn takes two seconds to load: only a process that triages loads it
    from handoff.triage.engine.classify import Model

log = logging.getLogger(__name__)
HOLD_BACK_ONE_IN = 10
UNTOUCHED_WEIGHT = 0.8  # a decision left as it was, beside a label's 1
# The most recent ones only: training time grows with the examples (10,000 in ~20 s), and
# a desk's recent mail says most about the mail to come.
UNTOUCHED_MAX = 5000
# The layers whose untouched decisions are learnt from (lanes people read, or headers).
UNTOUCHED_LAYERS = ("classifier", "noise", "founder_rule", "founder_contact", "admin_rule")
KEEP_VERSIONS = 3  # older versions keep their row, not their bytes
RETRAIN_DELAY_SECONDS = 600  # corrections arriving together make one retraining

_lock = threading.Lock()
_loaded: tuple[str, Model] | None = None


def held_back(message_id: str) -> bool:
    return zlib.crc32(message_id.encode("utf-8", "replace")) % HOLD_BACK_ONE_IN == 0


# ---------------------------------------------------------------- the active model


def _classifier() -> type[Model]:
    """The classifier's class, imported by the first call in a process that triages."""
    from handoff.triage.engine.classify import Model

    return Model


def active_version(starter: Callable[[], tuple[bytes, float]] | None = None) -> ModelVersion:
    """The active model's row, without its bytes; a fresh desk makes the starter model
    first (``starter``: where its bytes come from, by default trained here)."""
    rows = ModelVersion.objects.filter(active=True).values_list("pk", "kind", "created_at")
    found = rows.first()
    if found is None:
        _create_starter(*(starter or starter_model)())
        found = rows.get()
    version_id, kind, created_at = found
    return ModelVersion(pk=version_id, kind=kind, created_at=created_at)


def version_key(version: ModelVersion) -> str:
    """Names one model for good: a restored database may reuse a number."""
    return f"{version.pk}@{version.created_at.isoformat()}"


def model_bytes(version: ModelVersion) -> bytes:
    return bytes(ModelVersion.objects.values_list("data", flat=True).get(pk=version.pk))


def model_of(version: ModelVersion) -> Model:
    """The version's model, loaded once per process (kept until another becomes active)."""
    global _loaded
    key = version_key(version)
    with _lock:
        if _loaded is None or _loaded[0] != key:
            _loaded = (key, _classifier().from_bytes(model_bytes(version)))
        return _loaded[1]


def active_model() -> tuple[ModelVersion, Model]:
    """The active model (cached per process until another becomes active)."""
    version = active_version()
    return version, model_of(version)


@cache
def starter_model() -> tuple[bytes, float]:
    """The starter model's bytes (the same in every process: the set is deterministic)."""
    data, seconds = train_starter()
    log.info("starter model trained in %.1f s", seconds)
    return data, seconds


def _create_starter(data: bytes, seconds: float) -> None:
    """Make the starter model the active one: a fresh desk, or no model active."""
    try:
        with transaction.atomic():
            ModelVersion.objects.create(
                kind=ModelVersion.Kind.STARTER,
                active=True,
                data=data,
                seconds=seconds,
                report={"starter_examples": len(examples())},
            )
    except IntegrityError:  # it exists (another process made it meanwhile, or long ago)
        with transaction.atomic():
            if not ModelVersion.objects.filter(active=True).exists():
                ModelVersion.objects.filter(kind=ModelVersion.Kind.STARTER).update(
                    active=True, data=data
                )


# ---------------------------------------------------------------- labelled history


@dataclass(frozen=True, slots=True)
class Example:
    message_id: str
    text: str
    category: str
    labelled: bool = True  # False: a decision nobody corrected
    weight: float = 1.0


def latest_labels(message_pks: Sequence[int] | None = None) -> dict[int, tuple[str, str]]:
    rows = Label.objects.order_by("id")
    if message_pks is not None:
        rows = rows.filter(message_id__in=message_pks)
    return {
        pk: (lane, category)
        for pk, lane, category in rows.values_list("message_id", "lane", "category").iterator(
            chunk_size=5000
        )
    }


def untouched() -> dict[int, tuple[str, str]]:
    """Decisions nobody corrected or labelled, of the layers learnt from, the latest
    ``UNTOUCHED_MAX``: message pk -> (lane, category). Not the classifier's noise lane
    (nobody reads it), nor what it was unsure of (the head's "needs triage" queue)."""
    rows = (
        Decision.objects.filter(layer__in=UNTOUCHED_LAYERS, needs_triage=False)
        .exclude(layer=Decision.Layer.CLASSIFIER, lane="noise")
        .exclude(message__labels__isnull=False)
        .order_by("-decided_at", "-message_id")
        .values_list("message_id", "lane", "category")[:UNTOUCHED_MAX]
    )
    return {pk: (lane, category) for pk, lane, category in rows}


def history(*, with_untouched: bool = True) -> Iterator[Example]:
    """Every labelled message, and (``with_untouched``) every untouched decision at a
    lower weight, with the noise layer's verdict as a token."""
    labels = latest_labels()
    implicit = untouched() if with_untouched else {}
    pks = sorted(labels.keys() | implicit.keys())
    for start in range(0, len(pks), 2000):
        rows = (
            Message.objects.filter(pk__in=pks[start : start + 2000])
            .annotate(head=Left("text", BODY_CHARS))
            .values_list("pk", "message_id", "subject", "head", "noise")
        )
        for pk, message_id, subject, head, noise in rows:
            text = prepare(subject, head or "", noise)
            if pk in labels:
                yield Example(message_id, text, labels[pk][1])
            else:
                yield Example(message_id, text, implicit[pk][1], False, UNTOUCHED_WEIGHT)


def score(model: Model, held: Sequence[Example]) -> float:
    """Half lane accuracy, half macro-F1 over the categories present."""
    predictions = model.predict([e.text for e in held])
    chosen = [max(p.probabilities, key=p.probabilities.__getitem__) for p in predictions]
    truth = [e.category for e in held]
    lanes = sum(LANE_OF[a] == LANE_OF[b] for a, b in zip(truth, chosen, strict=True))
    f1 = []
    for category in set(truth):
        hit = sum(a == b == category for a, b in zip(truth, chosen, strict=True))
        predicted, actual = chosen.count(category), truth.count(category)
        f1.append(2 * hit / (predicted + actual) if predicted + actual else 0.0)
    return round(0.5 * lanes / len(held) + 0.5 * sum(f1) / len(f1), 4)


def tolerance(held: int) -> float:
    """How much worse than the active model a new one may score on ``held`` held-back
    messages and still replace it: half the standard error of a share of them, at most 0.1.
    With three held-back messages one of them decides 0.3 of the score; the new model
    has learnt from more."""
    return round(min(0.1, 0.25 / held**0.5), 4) if held else 0.0


@dataclass(frozen=True, slots=True)
class Trained:
    version: ModelVersion | None  # None: no labelled history to learn from
    accepted: bool
    reason: str


def train() -> Trained:
    """Train on the starter set and the labelled history; activate only if no worse."""
    started = time.monotonic()
    examples_ = list(history())
    if not any(e.labelled for e in examples_):
        return Trained(None, False, "no labelled messages to learn from")
    # Only labels are held back: an untouched decision would score the model that made it.
    held = [e for e in examples_ if e.labelled and held_back(e.message_id)]
    kept = [e for e in examples_ if not e.labelled or not held_back(e.message_id)]
    texts, categories, weights = starter.weighted_history(
        [e.text for e in kept], [e.category for e in kept], [e.weight for e in kept]
    )
    model = _classifier().fit(texts, categories, weights)
    current, current_model = active_model()
    new_score = score(model, held) if held else None
    old_score = score(current_model, held) if held else None
    margin = tolerance(len(held))
    accepted = new_score is None or old_score is None or new_score >= old_score - margin
    reason = (
        "no held-back history: accepted"
        if new_score is None
        else f"held-back score {new_score} vs {old_score} for v{current.pk}"
        + (f" (within {margin} on {len(held)} held back)" if margin else "")
    )
    with transaction.atomic():
        version = ModelVersion.objects.create(
            kind=ModelVersion.Kind.DESK,
            data=model.to_bytes() if accepted else b"",
            examples=sum(e.labelled for e in kept),
            held_back=len(held),
            score=new_score,
            replaced_score=old_score,
            seconds=round(time.monotonic() - started, 3),
            report={
                "categories": model.counts,
                "reason": reason,
                "accepted": accepted,
                "untouched": sum(not e.labelled for e in kept),
            },
        )
        if accepted:
            ModelVersion.objects.filter(active=True).update(active=False)
            ModelVersion.objects.filter(pk=version.pk).update(active=True)
            version.active = True
            _prune()
    log.info("model v%s %s: %s", version.pk, "accepted" if accepted else "kept out", reason)
    return Trained(version, accepted, reason)


def _prune() -> None:
    keep = list(
        ModelVersion.objects.exclude(data=b"")
        .order_by("-active", "-created_at", "-id")
        .values_list("pk", flat=True)[:KEEP_VERSIONS]
    )
    ModelVersion.objects.exclude(pk__in=keep).exclude(kind=ModelVersion.Kind.STARTER).update(
        data=b""
    )


# ---------------------------------------------------------------- corrections


def check(lane: str, category: str) -> None:
    if category not in LANE_OF:
        raise ValueError(f"unknown category {category!r}")
    if LANE_OF[category] != lane:
        raise ValueError(f"category {category} is not in the {lane} lane")


def correct(message: Message, lane: str, category: str, by_user: User | None) -> Decision:
    """A person says what this message is: stored as a label, decided at once, learned later."""
    check(lane, category)
    now = timezone.now()
    who = by_user.email if by_user is not None else "the command line"
    with transaction.atomic():
        Label.objects.create(
            message=message,
            lane=lane,
            category=category,
            source=Label.Source.CORRECTION,
            by=by_user,
            at=now,
        )
        answer = {
            "lane": lane,
            "category": category,
            "confidence": 1.0,
            "needs_triage": False,
            "layer": Decision.Layer.LABEL,
            "explanation": f"corrected by {who}"[:500],
            "decided_at": now,
        }
        decision, _ = Decision.objects.update_or_create(
            message=message,
            defaults=answer,
            create_defaults={**answer, "received_at": message.received_at},
        )
        timeline.append(
            message.conversation_id,
            timeline.Kind.CORRECTED,
            at=now,
            actor_id=by_user.pk if by_user else None,
            message=message.pk,
            lane=lane,
            category=category,
        )
        lanes.refresh([message.conversation_id])
        transaction.on_commit(schedule_retraining)
    return decision


def schedule_retraining() -> None:
    """One retraining job waiting, a while after the first correction of a batch."""
    from handoff.triage.tasks import retrain  # the task module imports this one

    if not default_task_backend.supports_defer:
        return  # inline backends would retrain on every correction; `triage train` does it
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=retrain.module_path, status="READY").exists():
        return
    retrain.using(run_after=timezone.now() + timedelta(seconds=RETRAIN_DELAY_SECONDS)).enqueue()


def describe(version: ModelVersion) -> dict[str, Any]:
    return {
        "version": version.pk,
        "kind": version.kind,
        "active": version.active,
        "examples": version.examples,
        "held_back": version.held_back,
        "score": version.score,
        "replaced_score": version.replaced_score,
        "seconds": version.seconds,
    }
