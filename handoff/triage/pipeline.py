"""Triage: the lane, category, language and confidence of messages, decided and stored.

``triage(message_ids)`` runs right after threading, for imports and live mail
alike. It works by batches: a few queries per batch whatever its size, one
language detection and one classifier call for the whole batch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Left
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.db import bulk
from handoff.mailin.models import Mailbox
from handoff.tickets import timeline
from handoff.tickets.models import Message
from handoff.triage import lanes, learning
from handoff.triage.engine.decide import Decision as Decided
from handoff.triage.engine.decide import Founder, Policy, decide
from handoff.triage.engine.features import Features, Text, compute
from handoff.triage.engine.rules import Facts, Rule
from handoff.triage.engine.text import BODY_CHARS
from handoff.triage.models import (
    AdminRule,
    Decision,
    FounderContact,
    FounderRule,
    ModelVersion,
    TriageSettings,
)

if TYPE_CHECKING:  # scikit-learn is loaded with the first model (triage.learning)
    from handoff.triage.engine.classify import Model

BATCH = 1000


@dataclass(frozen=True, slots=True)
class Row:
    pk: int
    conversation_id: int
    outbound: bool
    facts: Facts
    noise: tuple[str, str]
    received_at: datetime


@dataclass
class Context:
    policy: Policy
    languages: tuple[str, ...]
    founder: Founder
    founders: frozenset[str]  # the founder's own addresses
    rules: tuple[Rule, ...]
    version: ModelVersion

    @cached_property
    def model(self) -> Model:
        """Loaded only when some message's features were not computed already."""
        return learning.model_of(self.version)


def triage(
    message_ids: Sequence[int], features: Mapping[int, Features] | None = None, key: str = ""
) -> None:
    """Decide and store the triage of these messages (a decision a person made stays).
    ``features``: what was already read from some of the texts, by message, with the model
    ``key`` names (an import's pool reads them while it parses); used if it is still the
    active one."""
    ids = list(message_ids)
    for start in range(0, len(ids), BATCH):
        _store(ids[start : start + BATCH], features or {}, key)


def triage_undecided() -> int:
    """Triage every message that has no decision yet; how many there were."""
    done = 0
    while ids := list(
        Message.objects.filter(triage__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    ):
        triage(ids)
        done += len(ids)
    return done


def decisions_for(message_ids: Sequence[int]) -> dict[int, tuple[Decided, str]]:
    """What triage decides now for these messages, labels ignored, nothing stored."""
    rows = _rows(message_ids)
    return dict(zip((r.pk for r in rows), _decide(rows, _context(rows)), strict=True))


def _store(ids: list[int], features: Mapping[int, Features], key: str) -> None:
    labelled = set(
        Decision.objects.filter(message_id__in=ids, layer=Decision.Layer.LABEL).values_list(
            "message_id", flat=True
        )
    )
    rows = [r for r in _rows(ids) if r.pk not in labelled]
    if not rows:
        return
    founders = _founder_addresses()
    _learn_contacts([r for r in rows if r.outbound and r.facts.sender in founders])
    context = _context(rows, founders)
    if features and key != learning.version_key(context.version):
        features = {}  # read by another model than the one active now
    now = timezone.now()
    version_id = context.version.pk
    objects = [
        Decision(
            message_id=row.pk,
            lane=decided.lane,
            category=decided.category,
            language=language,
            confidence=decided.confidence,
            needs_triage=decided.needs_triage,
            layer=decided.layer,
            explanation=decided.explanation[:500],
            priority=decided.priority,
            tags=list(decided.tags),
            team=decided.team[:100],
            scores=dict(decided.scores),
            founder_score=Decision.founder_of(decided.scores),
            version_id=version_id if decided.layer == Decision.Layer.CLASSIFIER else None,
            decided_at=now,
            received_at=row.received_at,
        )
        for row, (decided, language) in zip(rows, _decide(rows, context, features), strict=True)
    ]
    fields = [f.name for f in Decision._meta.concrete_fields if f.name != "message"]
    with transaction.atomic():
        bulk.insert(objects, unique=["message"], update=fields)
        timeline.append_all(
            timeline.entry(
                row.conversation_id,
                timeline.Kind.TRIAGED,
                at=now,
                message=row.pk,
                lane=decision.lane,
                category=decision.category,
                layer=decision.layer,
                confidence=round(decision.confidence, 3),
            )
            for row, decision in zip(rows, objects, strict=True)
        )
        lanes.refresh({row.conversation_id for row in rows})


def _rows(message_ids: Sequence[int]) -> list[Row]:
    found = (
        Message.objects.filter(pk__in=list(message_ids))
        .annotate(head=Left("text", BODY_CHARS))
        .order_by("pk")
        .values_list(
            "pk",
            "conversation_id",
            "direction",
            "from_address",
            "to",
            "cc",
            "subject",
            "head",
            "headers",
            "noise",
            "noise_reason",
            "received_at",
        )
    )
    rows = []
    for (
        pk,
        conversation,
        direction,
        sender,
        to,
        cc,
        subject,
        head,
        headers,
        noise,
        reason,
        received_at,
    ) in found:
        facts = Facts(
            sender=(sender or "").lower(),
            recipients=tuple(_addresses(to) + _addresses(cc)),
            subject=subject,
            body=head or "",
            headers=headers if isinstance(headers, dict) else {},
        )
        outbound = direction == Message.Direction.OUT
        rows.append(Row(pk, conversation, outbound, facts, (noise, reason), received_at))
    return rows


def _addresses(pairs: object) -> list[str]:
    if not isinstance(pairs, list):
        return []
    return [str(p[1]).lower() for p in pairs if isinstance(p, list) and len(p) == 2 and p[1]]


def _founder_addresses() -> frozenset[str]:
    return frozenset(
        e.lower() for e in User.objects.filter(role=Role.FOUNDER).values_list("email", flat=True)
    )


def _context(rows: Sequence[Row], founders: frozenset[str] | None = None) -> Context:
    settings = TriageSettings.current()
    senders = {r.facts.sender for r in rows if r.facts.sender}
    people: set[str] = set()
    domains: set[str] = set()
    for kind, value in FounderRule.objects.values_list("kind", "value"):
        (people if kind == FounderRule.Kind.PERSON else domains).add(value.lower())
    contacts = FounderContact.objects.filter(address__in=senders).values_list("address", flat=True)
    version = learning.active_version()
    policy = settings.policy()
    founders = _founder_addresses() if founders is None else founders
    return Context(
        policy=policy.for_starter() if version.kind == ModelVersion.Kind.STARTER else policy,
        languages=settings.language_codes(),
        founder=Founder(
            frozenset(people),
            frozenset(domains),
            frozenset(contacts),
            Founder.own_domains(founders),
        ),
        founders=founders,
        rules=tuple(r.parsed() for r in AdminRule.objects.filter(enabled=True)),
        version=version,
    )


def _features(
    rows: Sequence[Row], context: Context, known: Mapping[int, Features]
) -> dict[int, Features]:
    """Each row's features: those already read (by the active model), the others now."""
    found = {r.pk: known[r.pk] for r in rows if r.pk in known}
    missing = [r for r in rows if r.pk not in found]
    if missing:
        texts = [Text.of(r.facts.subject, r.facts.body, r.noise[0]) for r in missing]
        computed = compute(texts, context.model, context.languages)
        found.update(zip((r.pk for r in missing), computed, strict=True))
    return found


def _decide(
    rows: Sequence[Row], context: Context, known: Mapping[int, Features] | None = None
) -> list[tuple[Decided, str]]:
    features = _features(rows, context, known or {})
    sent = _conversation_lanes(rows)
    version = f"v{context.version.pk}"
    result = []
    for row in rows:
        found = features[row.pk]
        if row.outbound:
            result.append((_sent(row, context.founders, sent), found.language))
            continue
        facts = Facts(
            row.facts.sender,
            row.facts.recipients,
            row.facts.subject,
            row.facts.body,
            row.facts.headers,
            found.language,
        )
        decided = decide(
            facts,
            noise=row.noise,
            founder=context.founder,
            rules=context.rules,
            prediction=found.prediction,
            policy=context.policy,
            version=version,
        )
        explained = decided.layer == Decision.Layer.CLASSIFIER and decided.category == found.top
        if explained and found.words:
            words = ", ".join(found.words)
            decided = replace(decided, explanation=f"{decided.explanation}; words: {words}")
        result.append((decided, found.language))
        _follow(sent, row.conversation_id, decided)
    return result


def _follow(sent: dict[int, tuple[str, str]], conversation_id: int, decided: Decided) -> None:
    """A reply later in the same batch is in the conversation as this message left it (as
    ``lanes`` will store it): what was imported together is decided as if it came apart."""
    if decided.lane == "noise":
        return
    now = sent.get(conversation_id, ("", ""))[0]
    lane = "founder" if "founder" in (now, decided.lane) else decided.lane
    sent[conversation_id] = (lane, decided.category)


def _conversation_lanes(rows: Sequence[Row]) -> dict[int, tuple[str, str]]:
    """Each conversation's lane and category, as triage last decided them."""
    found = lanes.lanes_for({r.conversation_id for r in rows})
    return {pk: (lane.lane, lane.category) for pk, lane in found.items()}


def _sent(row: Row, founders: frozenset[str], known: dict[int, tuple[str, str]]) -> Decided:
    lane, category = known.get(row.conversation_id, ("", ""))
    if row.facts.sender in founders and lane in ("", "founder"):
        return Decided("founder", "founder", 1.0, "sent", "sent by the founder")
    if row.facts.sender in founders:
        # The founder answered in the team's conversation: it stays the team's.
        explanation = "sent by the founder, in a conversation of this lane"
    else:
        explanation = "sent by us, in a conversation of this lane"
    return Decided(lane or "team", category or "support", 1.0, "sent", explanation)


def _learn_contacts(rows: Sequence[Row]) -> None:
    """People the founder writes to personally become founder mail, unless the founder
    answered them in a team conversation (that is doing the team's work, not a contact)."""
    if not rows:
        return
    team = set(
        Decision.objects.filter(
            message__conversation_id__in={r.conversation_id for r in rows},
            message__direction=Message.Direction.IN,
            lane="team",
        ).values_list("message__conversation_id", flat=True)
    )
    own = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
    own |= {a.lower() for a in User.objects.values_list("email", flat=True)}
    counts: dict[str, int] = {}
    for row in rows:
        if row.conversation_id in team:
            continue
        for address in set(row.facts.recipients) - own:
            counts[address] = counts.get(address, 0) + 1
    if not counts:
        return
    now = timezone.now()
    with transaction.atomic():
        FounderContact.objects.bulk_create(
            [FounderContact(address=a[:320], messages=0, last_at=now) for a in counts],
            ignore_conflicts=True,
        )
        for address, count in counts.items():
            FounderContact.objects.filter(address=address[:320]).update(
                messages=F("messages") + count, last_at=now
            )
