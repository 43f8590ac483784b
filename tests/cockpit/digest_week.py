"""The week the digest's tests read, and the desk in it: a quiet week and a bad one.

The week is 2026-W49, Monday 30 November to Sunday 6 December, in Paris (UTC+1); the
digest is read on Monday 7 December. Mail goes through the real pipeline; only the facts
a test needs (a lane, a breach, a risk) are set by hand on the rows the desk keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from handoff.cockpit import rollup
from handoff.desk.models import Peek, Rating
from handoff.mailin.models import Mailbox
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation
from tests.helpers import decided, deliver, mail

PARIS = ZoneInfo("Europe/Paris")
WEEK = "2026-W49"
NOW = datetime(2026, 12, 7, 9, 30, tzinfo=PARIS)  # Monday after the week
_ids = count(1)

TEAM = """
[[team]]
name = "happiness"

[[person]]
email = "chris@acme.example"
name = "Chris"
team = "happiness"
time_zone = "Europe/Paris"
shifts = ["{shifts}"]
languages = ["en", "fr"]

[[policy]]
name = "support"
when = {{ lane = ["team"] }}
first_response = "4h"
"""


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of December 2026 in Paris (30 November is day 0)."""
    return datetime(2026, 11, 30, hour, minute, tzinfo=PARIS) + timedelta(days=day)


def write(subject: str, when: datetime, *, lane: str = "team", sender: str = "") -> Conversation:
    """A customer's mail arriving at ``when``, in ``lane``, routed."""
    number = next(_ids)
    with time_machine.travel(when, tick=False):
        (message,) = deliver(
            mail(
                f"d{number}@client.example",
                subject=subject,
                sender=sender or f"customer{number}@client{number}.example",
                date=when.astimezone(UTC),
                body="Hello, could you help me with my account please?",
            )
        )
        category = "founder" if lane == "founder" else "support"
        decided(message, lane=lane, category=category)
        route([message.conversation_id], when)
    return message.conversation


def rate(conversation: Conversation, score: str, when: datetime, comment: str = "") -> None:
    Rating.objects.create(conversation=conversation, score=score, comment=comment, at=when)


@pytest.fixture
def desk(people: dict[str, Any]) -> dict[str, Any]:
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    camille = people["camille"]
    camille.time_zone = "Europe/Paris"
    camille.save()
    return people


def team(shifts: str) -> None:
    outcome = apply_text(TEAM.format(shifts=shifts), local(-30, 0))
    assert outcome.ok, outcome.errors


@pytest.fixture
def quiet(desk: dict[str, Any]) -> dict[str, Any]:
    """Two conversations answered by a team on shift around the clock; happy customers."""
    team("daily 00:00-24:00")
    first = write("Invoice address", local(1, 10))
    second = write("Export to CSV", local(3, 15))
    rate(first, "good", local(2, 9))
    rate(second, "good", local(4, 9))
    Peek.objects.create(user=desk["camille"], kind=Peek.Kind.CONVERSATION, at=local(2, 11))
    rollup.refresh_all(NOW)
    return desk


@pytest.fixture
def bad(desk: dict[str, Any]) -> dict[str, Any]:
    """A broken promise, one at risk now, two founder conversations waiting (the older one
    from the week before), satisfaction down with a bad rating, mail at 03:00 on Saturday
    with nobody on shift, three peeks."""
    team("mon-fri 09:00-17:00")
    broken = write("Refund still missing", local(1, 10))
    risky = write("Cannot log in", local(4, 11))
    night = write("Server down?", local(5, 3, 20))
    older = write("Term sheet", local(-3, 18), lane="founder", sender="jane@fund.example")
    newer = write("Board meeting", local(2, 8), lane="founder", sender="paul@board.example")
    Clock.objects.filter(conversation=broken).update(breached_at=local(1, 14, 5))
    Clock.objects.filter(conversation=risky).update(
        at_risk=True, is_open=True, respond_by=NOW + timedelta(minutes=40)
    )
    Clock.objects.filter(conversation__in=[older, newer]).update(is_open=True)
    # Last week every rating was good; this week one in two.
    rate(older, "good", local(-4, 9))
    rate(older, "good", local(-2, 9))
    rate(risky, "good", local(4, 16))
    rate(broken, "bad", local(2, 9), comment="Still <b>no</b> refund & no answer")
    for day in (1, 2, 4):
        Peek.objects.create(user=desk["camille"], kind=Peek.Kind.CONVERSATION, at=local(day, 11))
    rollup.refresh_all(NOW)
    return {
        **desk,
        "broken": broken,
        "risky": risky,
        "night": night,
        "older": older,
        "newer": newer,
    }


def conversation_link(conversation: Conversation) -> str:
    return f"{settings.PUBLIC_URL}/c/{conversation.pk}/"
