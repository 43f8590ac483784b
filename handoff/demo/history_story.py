"""The demo's history as a simulation of the desk at work: what it knows of the desk, what
it tells of each conversation. Pure: ``handoff.ops.history`` hands it the team's shifts and
the SLA targets, and writes what it tells as rows; ``history_clockwork`` is the desk's
machinery, ``history_tales`` the conversations.

Each conversation is told in time order, as the pipeline, the routing sweep and the team
would have written it: its mail (``Mail``) and its timeline (``Story.steps``), with who
holds it, its status, its pauses and its clocks' reminders and breaches. Nothing happens
after ``now``: a conversation whose next step would come later stays as it stands, open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
HOLDING = ("assigned", "handover", "reassigned", "queued")  # the steps that change the holder

# (kind, at, actor, person, index of the mail it names, payload): one timeline row.
Step = tuple[str, float, int | None, int | None, int | None, dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    first: str  # signs the replies
    zone: ZoneInfo
    languages: frozenset[str]


@dataclass(frozen=True, slots=True)
class Target:
    """An SLA policy's response targets, in seconds (None: no such clock)."""

    policy: str
    first_response: float | None
    next_response: float | None
    remind_at: float = 0.75


@dataclass(frozen=True, slots=True)
class Desk:
    """What the simulation knows of the desk, read once from its configuration."""

    members: dict[int, Member]
    founder: tuple[int, str, str]  # user id, name, address
    head: int
    mailboxes: dict[str, str]  # "support", "sales": the desk's addresses
    domain: str  # the company's, in its Message-IDs
    shifts: Sequence[tuple[int, ...]]  # who is on shift, hour by hour from ``first_hour``
    first_hour: float
    target: Callable[[str, str], Target | None]  # the SLA policy, by lane and category

    def on(self, at: float) -> tuple[int, ...]:
        hour = int((at - self.first_hour) // HOUR)
        return self.shifts[hour] if 0 <= hour < len(self.shifts) else ()


class Decided(NamedTuple):
    """Triage's decision on a message, as the pipeline stores it."""

    lane: str
    category: str
    language: str
    confidence: float
    layer: str
    explanation: str
    scores: str = "{}"  # the classifier's probabilities, as JSON
    needs_triage: bool = False


@dataclass(slots=True)
class Mail:
    at: float
    out: bool
    sender: tuple[str, str]  # (name, address)
    to: tuple[str, str]
    subject: str
    text: str
    msgid: str
    zone: ZoneInfo  # the writer's, for the Date header
    decision: Decided
    references: tuple[str, ...] = ()  # the last is the parent (In-Reply-To)
    kind: str = ""  # "autoreply", "list", "bounce": the headers of a machine
    reason: str = ""  # why the noise recognition says so
    bounced: tuple[str, ...] = ()  # a bounce's original Message-IDs
    human: bool = True  # a person wrote it: the clocks count it
    thanks: bool = False  # a customer's reply that only thanks (``lib.thanks``)


@dataclass(slots=True)
class Wait:
    """A response clock running: since ``start`` the customer waits for an answer."""

    key: str  # "first_response", "next_response@ISO"
    start: float
    warn: float
    due: float
    stage: str = ""  # "reminded", "breached": what the sweep did


@dataclass(slots=True)
class Story:
    index: int
    lane: str
    category: str
    language: str
    customer: str  # the first customer message's sender (routing's facts)
    mails: list[Mail] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    status: str = "new"
    assignee: int | None = None
    assigned_at: float | None = None
    routed: bool = True
    pauses: list[list[Any]] = field(default_factory=list)  # [start, end or None, reason]
    target: Target | None = None
    wait: Wait | None = None
    breached_at: float | None = None
    moved: tuple[float, int] | None = None  # escalated to the founder: when, by whom
    ratings: list[tuple[int, str, str, float]] = field(default_factory=list)
    peeks: list[float] = field(default_factory=list)
    routed_at: float = 0.0  # routing's last look: the clock's updated_at
    own: str = ""  # the last message's own words, for the next one's quote
    stopped: bool = False  # the story reached ``now``


def holder_at(s: Story, at: float) -> int | None:
    """Who held the conversation at ``at``, from its timeline (written ahead of time at
    moments: a step for later may already be there)."""
    found, latest = None, -1.0
    for kind, when, _, person, _, _ in s.steps:
        if kind in HOLDING and latest <= when <= at:
            found, latest = person, when
    return found
