"""A follow-the-sun team (team.toml), mail that arrives at a given time, and triage's
decisions stood in for by markers in the subject until triage lands."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
import time_machine

from handoff.mailin.models import Mailbox
from handoff.routing import inputs
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.tickets.models import Conversation, Event, Message
from tests.helpers import deliver, mail

TEAM_TOML = (Path(__file__).parent / "team.toml").read_text()
DESK = "support@acme.example"
_MARK = re.compile(r"\[(\w+)(?: (\w+))?\]")
_ids = count(1)


def decided(conversation_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Triage, as the subject says: "Question [presales fr]" is pre-sales in French."""
    found: dict[int, dict[str, Any]] = {}
    for pk, subject in Conversation.objects.filter(pk__in=conversation_ids).values_list(
        "pk", "subject"
    ):
        mark = _MARK.search(subject)
        if mark:
            lane = {"founder": "founder", "spam": "noise", "bulk": "noise"}.get(mark[1], "team")
            found[pk] = {"lane": lane, "category": mark[1], "language": mark[2] or "en"}
    return found


@pytest.fixture
def triage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "_triage", decided)


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

    def reply(self, conversation_id: int, *, when: datetime | None = None) -> Message:
        if when:
            self.at(when)
        last = Message.objects.filter(conversation_id=conversation_id).last()
        assert last is not None
        number = next(_ids)
        (message,) = deliver(
            mail(
                f"r{number}@acme.example",
                subject=f"Re: {last.subject}",
                sender=DESK,
                to=last.from_address,
                in_reply_to=last.message_id,
                date=when,
            )
        )
        assert message.direction == Message.Direction.OUT
        route([conversation_id], when or message.received_at)
        return message

    def set_status(
        self, conversation_id: int, status: str, *, when: datetime | None = None
    ) -> None:
        """What the desk's solve / waiting-on-customer buttons will do: status, timeline, route."""
        if when:
            self.at(when)
        Conversation.objects.filter(pk=conversation_id).update(status=status)
        Event.objects.create(
            conversation_id=conversation_id, kind=Event.Kind.STATUS, data={"to": status}
        )
        route([conversation_id], when)


@pytest.fixture
def desk() -> Any:
    with time_machine.travel(datetime(2026, 11, 2, 12, 0, tzinfo=UTC), tick=False) as traveller:
        yield Desk(traveller)
