"""The cockpit's figures of delegation against the desk of ``figures_week``, computed by
hand: the hands-off rate and the founder's reasons (also when she answers with the desk's
reply button, or hands an escalated conversation back), her peeks and the customers' ratings."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
import time_machine

from handoff.accounts.models import Role, User
from handoff.cockpit import figures, people, rollup
from handoff.cockpit.figures import Period
from handoff.desk import actions
from handoff.desk.models import Peek, Rating
from handoff.tickets.models import Conversation
from tests.cockpit.figures_week import PARIS, WEEK, Desk, desk, utc

pytestmark = pytest.mark.django_db

__all__ = ["desk"]  # the fixture, imported for pytest


# -- hands-off ---------------------------------------------------------------------------


def test_hands_off_rate_and_the_founders_reasons(desk: dict[str, Conversation]) -> None:
    found = figures.hands_off(WEEK)
    assert found.needed == 9  # A B C D E F G H I; N is noise
    assert found.by_team == 5  # A B C D E
    assert found.rate == 5 / 9
    # F came in the founder's lane; G was escalated to her; she took I from the queue and
    # answered H herself.
    assert found.reasons == Counter({"lane": 1, "escalated": 1, "jumped_in": 2})
    assert [(pk, reason) for pk, _, reason, _ in found.handled] == [
        (desk["G"].pk, "escalated"),  # newest first: Fri 15:00
        (desk["H"].pk, "jumped_in"),  # Fri 10:00
        (desk["I"].pk, "jumped_in"),  # Thu 14:00
        (desk["F"].pk, "lane"),  # Thu 11:00
    ]
    assert found.handled[0][1:] == ("Partnership proposal", "escalated", utc(23, 13))


# -- peeks and ratings -------------------------------------------------------------------


def test_peeks_and_ratings_fall_in_the_local_week(desk: dict[str, Conversation]) -> None:
    camille = User.objects.get(role=Role.FOUNDER)
    conversation = desk["A"]
    for at in (
        utc(18, 21, 30),  # Sun 18 23:30 UTC+2: the week before
        utc(18, 22, 30),  # Mon 19 00:30 UTC+2
        utc(25, 22, 30),  # Sun 25 23:30 UTC+1
        utc(25, 23, 30),  # Mon 26 00:30 UTC+1: the week after
    ):
        Peek.objects.create(user=camille, kind=Peek.Kind.CONVERSATION, at=at)
    Rating.objects.create(conversation=conversation, score="good", at=utc(18, 21, 30))
    Rating.objects.create(conversation=conversation, score="bad", at=utc(18, 22, 30))
    Rating.objects.create(
        conversation=conversation, score="good", comment="Quick!", at=utc(25, 22, 30)
    )
    Rating.objects.create(conversation=conversation, score="okay", at=utc(25, 23, 30))
    assert people.peeks(WEEK) == [(date(2026, 10, 19), 2)]
    assert people.peek_count(WEEK) == 2
    two_weeks = Period.dates(date(2026, 10, 19), date(2026, 11, 1), PARIS)
    assert people.peeks(two_weeks) == [(date(2026, 10, 19), 2), (date(2026, 10, 26), 1)]
    found = people.satisfaction(WEEK)
    assert found.counts == Counter({"good": 1, "bad": 1})
    assert found.good == 1 / 2
    assert found.weeks == [(date(2026, 10, 19), Counter({"good": 1, "bad": 1}))]
    assert found.comments == [(conversation.pk, "good", "Quick!", utc(25, 22, 30))]
    assert people.satisfaction(WEEK.previous()).counts == Counter({"good": 1})


# -- the desk's reply button -------------------------------------------------------------


def test_the_founder_answering_with_the_desks_reply_button_jumped_in(
    desk: dict[str, Conversation],
) -> None:
    d = Desk()
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    hers = d.write("Bulk discount?", monday, category="presales")
    theirs = d.write("Bulk export?", monday + timedelta(minutes=1))
    with time_machine.travel(monday + timedelta(minutes=5), tick=False):
        # Both sent from the desk's address: only the author tells them apart.
        actions.reply(hers, d.camille, "Yes: 10% above 50 seats.")
        actions.reply(theirs, d.chris, "Settings, then Export.")
    rollup.refresh_all(monday + timedelta(hours=1))
    found = figures.hands_off(Period.dates(monday.date(), monday.date(), PARIS))
    assert (found.needed, found.by_team) == (2, 1)
    assert found.reasons == Counter({"jumped_in": 1})
    assert [pk for pk, *_ in found.handled] == [hers.pk]


def test_a_conversation_escalated_then_handed_back_counts_as_escalated(
    desk: dict[str, Conversation],
) -> None:
    d = Desk()
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    conversation = d.write("Delete all my data", monday)
    d.escalate(conversation, monday + timedelta(minutes=10))  # routing gives it to her
    with time_machine.travel(monday + timedelta(minutes=30), tick=False):
        assert actions.hand_to_team(conversation, d.camille)
    rollup.refresh_all(monday + timedelta(hours=1))
    found = figures.hands_off(Period.dates(monday.date(), monday.date(), PARIS))
    assert (found.needed, found.by_team) == (1, 0)
    assert found.reasons == Counter({"escalated": 1})
