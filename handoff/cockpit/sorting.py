"""How well the desk sorts the mail, as the team's corrections tell it: can the founder
let go of the sorting?

For the messages received during the period (our own mail aside), by the category the
desk chose: how many, and how many a person has corrected since into another category or
lane (the first correction of a message counts, when it differs from the desk's last
decision before it). What nobody corrected counts as kept: what the team saw fit to fix,
not a measured accuracy. Counted apart, being what matters most to the founder: mail a
person moved into the founder lane (the desk had missed it), mail a person took out of the
noise, and mail a person put into pre-sales (a buyer the desk had missed: the hour the
founder promised started late).

The counts come from each message's decision (one row per message; a corrected one holds
the person's answer, so the desk's own comes from the timeline, for those few), by the
arrival time the decision keeps (an index of arrival, layer and category: the count reads
the index alone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count

from handoff.cockpit.figures import Period, share
from handoff.tickets.models import Event
from handoff.triage.models import Decision

FOUNDER, NOISE, PRESALES = "founder", "noise", "presales"


@dataclass
class Sorted:
    category: str  # the one the desk chose
    count: int
    corrected: int = 0

    @property
    def kept(self) -> float | None:
        return share(self.count - self.corrected, self.count)


@dataclass
class Sorting:
    by_category: list[Sorted] = field(default_factory=list)  # the most sorted first
    founder_found: int = 0  # moved into the founder lane by a person
    out_of_noise: int = 0  # taken out of the noise lane by a person
    presales_found: int = 0  # put into pre-sales by a person: a buyer the desk had missed

    @property
    def count(self) -> int:
        return sum(s.count for s in self.by_category)

    @property
    def corrected(self) -> int:
        return sum(s.corrected for s in self.by_category)

    @property
    def kept(self) -> float | None:
        return share(self.count - self.corrected, self.count)


def sorting(period: Period) -> Sorting:
    received = {"message__received_at__gte": period.start, "message__received_at__lt": period.end}
    decisions = Decision.objects.filter(
        received_at__gte=period.start, received_at__lt=period.end
    ).exclude(layer=Decision.Layer.SENT)
    counts = decisions.order_by().values_list("category").annotate(n=Count("*"))
    found = {category: Sorted(category, n) for category, n in counts}
    firsts: dict[int, tuple[datetime, dict[str, Any]]] = {}  # each message's first correction
    # A correction comes after its message was stored: ``at`` narrows the search to the
    # few corrections since the period began (an index), not every message's timeline.
    for message_id, at, data in (
        Event.objects.filter(kind=Event.Kind.CORRECTED, at__gte=period.start, **received)
        .order_by("at", "id")
        .values_list("message_id", "at", "data")
    ):
        firsts.setdefault(message_id, (at, data))
    before = _decided_before(firsts)
    now: dict[int, str] = dict(
        decisions.filter(message__in=list(firsts)).values_list("message_id", "category")
    )
    result = Sorting()
    for message_id, (_at, answer) in firsts.items():
        desk = before.get(message_id)
        if desk is None or message_id not in now:
            continue
        # Counted under the desk's category, not the person's that the decision holds now.
        found[now[message_id]].count -= 1
        found.setdefault(desk["category"], Sorted(desk["category"], 0)).count += 1
        if desk["category"] == answer["category"]:
            continue  # a person who confirms what the desk said corrects nothing
        found[desk["category"]].corrected += 1
        result.founder_found += desk["lane"] != FOUNDER and answer["lane"] == FOUNDER
        result.out_of_noise += desk["lane"] == NOISE and answer["lane"] != NOISE
        result.presales_found += answer["category"] == PRESALES
    result.by_category = sorted(
        (s for s in found.values() if s.count), key=lambda s: (-s.count, s.category)
    )
    return result


def _decided_before(
    firsts: dict[int, tuple[datetime, dict[str, Any]]],
) -> dict[int, dict[str, Any]]:
    """Each corrected message's last decision by the desk before its first correction."""
    decided: dict[int, dict[str, Any]] = {}
    for message_id, at, data in (
        Event.objects.filter(kind=Event.Kind.TRIAGED, message__in=list(firsts))
        .order_by("at", "id")
        .values_list("message_id", "at", "data")
    ):
        if at <= firsts[message_id][0]:
            decided[message_id] = data
    return decided
