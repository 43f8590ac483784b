"""Assignment strategies: a plain registry, chosen per team (``Team.strategy``).

A strategy picks one of the candidates routing found eligible (on shift, in the
team, with the skills and room for one more), or ``None``. Built-ins use the same
interface as extensions: ``@register("name")`` on a function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from handoff.routing.roster import Member

Strategy = Callable[[Sequence[Member]], Member | None]
STRATEGIES: dict[str, Strategy] = {}
_NEVER = datetime.min.replace(tzinfo=UTC)


def register(name: str) -> Callable[[Strategy], Strategy]:
    def add(strategy: Strategy) -> Strategy:
        STRATEGIES[name] = strategy
        return strategy

    return add


def _turn(member: Member) -> tuple[datetime, int]:
    return (member.last_assigned_at or _NEVER, member.person_id)


@register("least_loaded")
def least_loaded(candidates: Sequence[Member]) -> Member | None:
    """Fewest open conversations, then whoever was given one longest ago (round robin)."""
    return min(candidates, key=lambda m: (m.load, *_turn(m)), default=None)


@register("round_robin")
def round_robin(candidates: Sequence[Member]) -> Member | None:
    """Whoever was given one longest ago, whatever their load (capacity still holds)."""
    return min(candidates, key=_turn, default=None)


@register("most_room")
def most_room(candidates: Sequence[Member]) -> Member | None:
    """The largest share of capacity left: people with a bigger capacity take more."""
    return min(candidates, key=lambda m: (m.load / max(m.capacity, 1), *_turn(m)), default=None)


def strategy(name: str) -> Strategy:
    """The team's strategy; an unknown name (edited in the admin) falls back to least loaded."""
    return STRATEGIES.get(name, least_loaded)
