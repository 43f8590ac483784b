"""The escalation ladder, handovers and breach prediction, under a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handoff.accounts.models import User
from handoff.mailout.models import Outgoing
from handoff.pipeline.process import sweep_and_notify
from handoff.routing import actions
from handoff.routing.models import Clock, Notification, Person, Team
from handoff.routing.notify import mark_sent, unsent
from handoff.routing.sweep import sweep
from handoff.tickets.models import Event
from handoff.tickets.timeline import ROUTING

pytestmark = pytest.mark.django_db
MONDAY_NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # Anna and Marc (Paris) on shift
MINUTE = timedelta(minutes=1)


def clock(pk: int) -> Clock:
    return Clock.objects.select_related("assignee").get(pk=pk)


def notes(kind: str) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(kind=kind).values_list("user__email", "text"))


def test_reminder_at_three_quarters_then_breach_reassigns_and_alerts_the_head(team, desk):
    message = desk.write("Pricing? [presales en]", when=MONDAY_NOON)
    first = clock(message.conversation_id).assignee.email
    assert clock(message.conversation_id).next_check_at == MONDAY_NOON + 45 * MINUTE

    desk.at(MONDAY_NOON + 44 * MINUTE)
    assert sweep().reminded == 0
    desk.at(MONDAY_NOON + 45 * MINUTE)
    assert sweep().reminded == 1
    assert notes("reminder") == [
        (
            first,
            f"Conversation #{message.conversation_id}: first response due at 2026-11-02 13:00 UTC",
        )
    ]
    desk.at(MONDAY_NOON + 50 * MINUTE)
    assert sweep().reminded == 0  # once

    desk.at(MONDAY_NOON + 60 * MINUTE)
    result = sweep()
    assert (result.breached, result.reassigned) == (1, 1)
    after = clock(message.conversation_id)
    assert after.assignee.email != first
    assert after.assignee.email in {
        "anna@acme.example",
        "marc@acme.example",
    }
    assert after.breached_at == MONDAY_NOON + 60 * MINUTE
    assert after.next_check_at is None  # nothing left to climb for this clock
    kinds = list(
        Event.objects.filter(kind__in=ROUTING, conversation_id=message.conversation_id).values_list(
            "kind", flat=True
        )
    )
    assert kinds == ["assigned", "reminded", "breached", "reassigned"]
    heads = [user for user, _ in notes("breach")]
    assert "sophie@acme.example" in heads
    assert after.assignee.email in heads

    # The tick sends them through the outbox and marks them.
    waiting = list(unsent())
    assert len(waiting) == 3  # reminder, breach to the new assignee, breach to the head
    assert mark_sent([n.pk for n in waiting], MONDAY_NOON + 61 * MINUTE) == 3
    assert not unsent().exists()


def test_each_reader_is_told_in_their_own_language(team, desk):
    """Sophie, the head, reads French; the people on shift, the desk's English."""
    User.objects.filter(email="sophie@acme.example").update(language="fr")
    message = desk.write("Pricing? [presales en]", when=MONDAY_NOON)
    number = message.conversation_id
    desk.at(MONDAY_NOON + 60 * MINUTE)
    assert sweep().reassigned == 1
    taker = clock(number).assignee.email
    told = dict(notes("breach"))
    assert told["sophie@acme.example"] == (
        f"Conversation n° {number} : délai de première réponse dépassé (attendue avant "
        f"2026-11-02 13:00 UTC) ; réattribuée à {taker}"
    )
    assert told[taker] == (
        f"Conversation #{number}: first response target missed (due 2026-11-02 13:00 UTC); "
        f"reassigned to {taker}"
    )


def test_a_reply_in_time_stops_the_ladder(team, desk):
    message = desk.write("Pricing? [presales en]", when=MONDAY_NOON)
    desk.reply(message.conversation_id, when=MONDAY_NOON + 30 * MINUTE)
    desk.at(MONDAY_NOON + 2 * 60 * MINUTE)
    result = sweep()
    assert (result.reminded, result.breached) == (0, 0)


def test_at_shift_end_what_is_due_before_the_next_shift_is_handed_over(team, desk):
    desk.at(datetime(2026, 11, 2, 14, 30, tzinfo=UTC))  # Anna ends at 15:00 UTC (16:00 Paris)
    anna = Person.objects.get(user__email="anna@acme.example").user
    urgent = desk.write("Down! [support en]")
    later = desk.write("Idea [feedback en]", sender="bo@client.example")  # office hours: Tuesday
    for message in (urgent, later):
        actions.assign(message.conversation_id, anna.pk, now=desk_now())

    desk.at(datetime(2026, 11, 2, 15, 1, tzinfo=UTC))
    result = sweep()
    assert result.handed_over == 1
    moved = clock(urgent.conversation_id)
    assert moved.assignee.email in {"marc@acme.example", "claire@acme.example"}
    assert clock(later.conversation_id).assignee == anna  # due after she is back
    step = Event.objects.filter(
        kind__in=ROUTING, conversation_id=urgent.conversation_id, kind="handover"
    ).get()
    assert step.data == {
        "from": anna.pk,
        "reason": "shift ended",
        "back": "2026-11-03T07:00:00+00:00",
    }
    assert notes("handover")[0][0] == moved.assignee.email


def desk_now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def test_handover_can_be_turned_off(team, desk):
    Team.objects.update(handover=Team.Handover.NONE)
    desk.at(datetime(2026, 11, 2, 14, 30, tzinfo=UTC))
    anna = Person.objects.get(user__email="anna@acme.example").user
    urgent = desk.write("Down! [support en]")
    actions.assign(urgent.conversation_id, anna.pk, now=desk_now())
    desk.at(datetime(2026, 11, 2, 15, 1, tzinfo=UTC))
    assert sweep().handed_over == 0
    assert clock(urgent.conversation_id).assignee == anna


def test_an_absent_person_hands_over_to_their_named_backup(team, desk):
    tuesday = datetime(2026, 12, 22, 3, 0, tzinfo=UTC)  # Jack would work; he is away, Mia works
    desk.at(tuesday)
    jack = Person.objects.get(user__email="jack@acme.example").user
    message = desk.write("Q [support en]")
    assert clock(message.conversation_id).assignee.email != "jack@acme.example"
    actions.assign(message.conversation_id, jack.pk, now=tuesday)
    assert sweep().handed_over == 1
    moved = Event.objects.filter(
        kind__in=ROUTING, conversation_id=message.conversation_id, kind="handover"
    ).get()
    assert (moved.person.email, moved.data["reason"]) == ("mia@acme.example", "away")


def test_breach_prediction_marks_what_the_people_on_shift_cannot_reach(team, desk):
    Team.objects.update(answers_per_hour=4)  # two on shift: 8 answers an hour
    Person.objects.update(capacity=100)
    desk.at(MONDAY_NOON)
    messages = [desk.write(f"Q{i} [presales en]", sender=f"c{i}@client.example") for i in range(12)]
    result = sweep()
    # Claire joins at 14:00: within the hour only 8 of the 12 can be answered.
    assert (result.at_risk, result.newly_at_risk) == (4, 4)
    risky = set(Clock.objects.filter(at_risk=True).values_list("pk", flat=True))
    assert risky == {m.conversation_id for m in messages[8:]}
    assert len(notes("at_risk")) == 1
    assert sweep().newly_at_risk == 0  # said once
    for message in messages[8:]:
        desk.reply(message.conversation_id)
    assert sweep().at_risk == 0
    assert not Clock.objects.filter(at_risk=True).exists()


def test_waiting_unassigned_while_everyone_is_full_is_at_risk(team, desk):
    Person.objects.update(capacity=1)
    Person.objects.exclude(user__email__in=["anna@acme.example", "marc@acme.example"]).update(
        capacity=0
    )
    desk.at(MONDAY_NOON)
    messages = [desk.write(f"Q{i} [support en]", sender=f"c{i}@client.example") for i in range(3)]
    assert sweep().at_risk == 1
    assert Clock.objects.get(at_risk=True).pk == messages[2].conversation_id


def test_a_snooze_stops_the_clocks_until_it_ends(team, desk):
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    actions.snooze(
        message.conversation_id, MONDAY_NOON + 3 * 60 * MINUTE, now=MONDAY_NOON + 60 * MINUTE
    )
    snoozed = clock(message.conversation_id)
    # One hour ran, two are snoozed: the 4-hour target moves two hours later.
    assert snoozed.first_response_due == MONDAY_NOON + 6 * 60 * MINUTE
    assert Event.objects.filter(
        kind__in=ROUTING, conversation_id=message.conversation_id, kind="paused"
    ).exists()


def test_a_deactivated_login_hands_over_what_it_held(team, desk):
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    holder = clock(message.conversation_id).assignee
    holder.is_active = False
    holder.save()
    assert sweep().handed_over == 1
    assert clock(message.conversation_id).assignee not in {holder, None}


def test_many_late_conversations_at_once_make_one_notification_each_reader(team, desk):
    """Mail imported with its past, or a sweep stopped for a night: the head hears of the
    breaches in one notification (one mail) naming them, not one for each."""
    User.objects.filter(email="sophie@acme.example").update(language="fr")
    late = [
        desk.write("Pricing? [presales en]", when=MONDAY_NOON, sender=f"buyer{i}@client.example")
        for i in range(5)
    ]
    desk.at(MONDAY_NOON + 60 * MINUTE)
    assert sweep().breached == 5
    numbers = ", ".join(f"#{m.conversation_id}" for m in late)
    told = [text for who, text in notes("breach") if who == "sophie@acme.example"]
    assert told == [f"5 conversations ont manqué une échéance : {numbers}"]
    grouped = Notification.objects.get(user__email="sophie@acme.example")
    assert grouped.conversation is None
    sweep_and_notify(MONDAY_NOON + 61 * MINUTE)
    assert Outgoing.objects.filter(recipient="sophie@acme.example").count() == 1


def test_a_few_late_conversations_are_told_one_by_one(team, desk):
    late = [
        desk.write("Pricing? [presales en]", when=MONDAY_NOON, sender=f"buyer{i}@client.example")
        for i in range(3)
    ]
    desk.at(MONDAY_NOON + 60 * MINUTE)
    assert sweep().breached == 3
    told = Notification.objects.filter(user__email="sophie@acme.example", kind="breach")
    assert sorted(told.values_list("conversation_id", flat=True)) == sorted(
        m.conversation_id for m in late
    )
