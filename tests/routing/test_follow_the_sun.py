"""A team in Montréal, Paris and Sydney, and mail around the clock from Friday to Sunday
night: every conversation goes only to someone on shift who speaks its language,
pre-sales first responses are due within the hour, and nothing is forgotten over the
weekend. The sweep runs every ten minutes; agents answer what they hold.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

import pytest

from handoff.routing.models import Clock
from handoff.routing.roster import Roster
from handoff.routing.sweep import sweep
from handoff.tickets.models import Conversation, Event, Message

pytestmark = pytest.mark.django_db
START = datetime(2026, 11, 6, 0, 0, tzinfo=UTC)  # Friday
LAST_MAIL = datetime(2026, 11, 8, 23, 0, tzinfo=UTC)  # Sunday night
END = datetime(2026, 11, 9, 1, 0, tzinfo=UTC)
STEP = timedelta(minutes=10)
EVERY = timedelta(minutes=35)
CATEGORIES = ["presales", "support", "billing", "bug", "presales", "feedback"]
LANGUAGES = ["en", "fr", "en"]
ANSWER_AFTER = timedelta(minutes=15)


@cache
def roster_at(at: datetime) -> Roster:
    return Roster.load(at)


def answer_what_they_hold(desk, now: datetime) -> None:
    roster = roster_at(now)
    for pk, user_id, assigned_at in Clock.objects.filter(
        is_open=True, assignee__isnull=False, respond_by__isnull=False
    ).values_list("pk", "assignee_id", "assigned_at"):
        member = roster.members.get(user_id)
        if member and member.on_shift and now - assigned_at >= ANSWER_AFTER:
            desk.reply(pk, when=now)
            desk.set_status(pk, Conversation.Status.SOLVED, when=now)


def test_a_day_of_mail_around_the_clock_and_a_weekend(team, desk):
    now, next_mail, number = START, START, 0
    while now <= END:
        desk.at(now)
        while next_mail <= min(now, LAST_MAIL):
            category = CATEGORIES[number % len(CATEGORIES)]
            language = LANGUAGES[number % len(LANGUAGES)]
            # Every fourth customer writes again: the same person gets them while on shift.
            sender = f"customer{number // 4 if number % 4 == 3 else number}@client.example"
            desk.write(f"Question {number} [{category} {language}]", sender=sender, when=now)
            number += 1
            next_mail += EVERY
        answer_what_they_hold(desk, now)
        sweep(now)
        now += STEP

    clocks = list(Clock.objects.select_related("policy"))
    assert len(clocks) == number > 120

    # Only to someone on shift, with the conversation's language.
    given = Event.objects.filter(kind__in=["assigned", "handover", "reassigned"]).select_related(
        "person"
    )
    language = {c.pk: c.language for c in clocks}
    for step in given:
        member = roster_at(step.at).members[step.person_id]
        assert member.on_shift, f"{step.kind} to {step.person} off shift at {step.at}"
        assert language[step.conversation_id] in member.languages
    assert {s.person.email.split("@")[0] for s in given} >= {"claire", "luc", "anna", "marc", "mia"}

    # Pre-sales: first response due one hour after the customer wrote, day and night.
    first_in = dict(
        Message.objects.filter(direction="in")
        .order_by("-received_at")
        .values_list("conversation_id", "received_at")
    )
    presales = [c for c in clocks if c.category == "presales"]
    assert presales
    assert all(c.first_response_due - first_in[c.pk] == timedelta(hours=1) for c in presales)

    # Nothing forgotten: every conversation answered, no target missed, nothing waiting.
    assert [c.pk for c in clocks if c.first_responded_at is None] == []
    assert [c.pk for c in clocks if c.breached_at is not None] == []
    assert [c.pk for c in clocks if c.assignee_id is None] == []
    weekend = [c for c in clocks if first_in[c.pk].weekday() >= 5]
    assert len(weekend) > 50
