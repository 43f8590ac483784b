"""A follow-the-sun team (team.toml), mail that arrives at a given time, and triage's
decisions told by markers in the subject: only the engine's verdict is stood in for;
storing it, the conversation's lane and routing's reading of it are the real code."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine

from handoff.mailin.models import Mailbox
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.tickets import changes
from handoff.tickets.models import Conversation, Message
from handoff.triage import pipeline
from handoff.triage.engine.decide import Decision
from tests.helpers import deliver, mail

TEAM_TOML = (Path(__file__).parent / "team.toml").read_text()
DESK = "support@acme.example"
_MARK = re.compile(r"\[(\w+)(?: (\w+))?\]")
_ids = count(1)


def marked(rows: list[Any], context: Any, known: Any = None) -> list[tuple[Decision, str]]:
    """Triage, as the subject says: "Question [presales fr]" is pre-sales in French; mail
    with no mark is support in English; our own mail is decided as triage decides it."""
    sent = pipeline._conversation_lanes([r for r in rows if r.outbound])
    found = []
    for row in rows:
        if row.outbound:
            found.append((pipeline._sent(row, context.founders, sent), "en"))
            continue
        mark = _MARK.search(row.facts.subject)
        category, language = (mark[1], mark[2] or "en") if mark else ("support", "en")
        lane = {"founder": "founder", "spam": "noise", "bulk": "noise"}.get(category, "team")
        found.append((Decision(lane, category, 1.0, "admin_rule", "the subject's mark"), language))
    return found


def _context(rows: list[Any], founders: frozenset[str] | None = None) -> Any:
    known = pipeline._founder_addresses() if founders is None else founders
    return SimpleNamespace(founders=known, version=SimpleNamespace(pk=None))


@pytest.fixture
def triage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "_decide", marked)
    monkeypatch.setattr(pipeline, "_context", _context)


@pytest.fixture
def team(people: dict[str, Any], triage: None) -> dict[str, Any]:
    """The Montréal-Paris-Sydney team of team.toml, the desk's mailbox, and the personas."""
    Mailbox.objects.create(address=DESK, name="Acme")
    outcome = apply_text(TEAM_TOML, datetime(2026, 11, 1, tzinfo=UTC))
    assert outcome.ok, outcome.errors
    return people


class Desk:
    """Mail in and replies out at the travelled time, routed as the pipeline will."""

    def __init__(self, traveller: Any) -> None:
        self.traveller = traveller

    def at(self, when: datetime) -> None:
        self.traveller.move_to(when)

    def write(
        self, subject: str, *, sender: str = "ana@client.example", when: datetime | None = None
    ) -> Message:
        if when:
            self.at(when)
        number = next(_ids)
        (message,) = deliver(
            mail(f"m{number}@client.example", subject=subject, sender=sender, date=when)
        )
        route([message.conversation_id], when or message.received_at)
        return message

    def reply(
        self, conversation_id: int, *, when: datetime | None = None, customer: str = ""
    ) -> Message:
        """The team's reply to the last message; with ``customer``, the customer's, saying so."""
        if when:
            self.at(when)
        last = Message.objects.filter(conversation_id=conversation_id).last()
        assert last is not None
        number = next(_ids)
        (message,) = deliver(
            mail(
                f"r{number}@{'client' if customer else 'acme'}.example",
                subject=f"Re: {last.subject}",
                sender="ana@client.example" if customer else DESK,
                to=DESK if customer else last.from_address,
                body=customer or "Hello",
                in_reply_to=last.message_id,
                date=when,
            )
        )
        assert message.direction == (Message.Direction.IN if customer else Message.Direction.OUT)
        route([conversation_id], when or message.received_at)
        return message

    def set_status(
        self, conversation_id: int, status: str, *, when: datetime | None = None
    ) -> None:
        """What the desk's solve / waiting-on-customer buttons do: status, timeline, route."""
        if when:
            self.at(when)
        conversation = Conversation.objects.get(pk=conversation_id)
        changes.set_status(conversation, status, actor_id=None)
        route([conversation_id], when)


@pytest.fixture
def desk() -> Any:
    with time_machine.travel(datetime(2026, 11, 2, 12, 0, tzinfo=UTC), tick=False) as traveller:
        yield Desk(traveller)
