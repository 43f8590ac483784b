"""Assignment and SLA clocks: on shift only, skills, load, stickiness, capacity, the queue,
and due times that follow the policy, its calendar and the pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handoff.routing import actions
from handoff.routing.models import Clock, Person, Policy
from handoff.routing.strategies import STRATEGIES, register
from handoff.routing.sweep import sweep
from handoff.tickets.models import Conversation, Event, Message
from handoff.tickets.timeline import ROUTING
from handoff.triage.models import ConversationLane
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db
MONDAY_NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # Paris 13:00: Anna and Marc work
HOUR = timedelta(hours=1)


def clock_of(message: Message) -> Clock:
    return Clock.objects.select_related("assignee").get(pk=message.conversation_id)


def assignee(message: Message) -> str | None:
    found = clock_of(message).assignee
    return found.email if found else None


def test_assigned_only_to_someone_on_shift_who_speaks_the_language(team, desk):
    french = desk.write("Tarifs ? [presales fr]", when=MONDAY_NOON)
    german = desk.write("Frage [support de]", sender="jonas@kunde.example")
    assert assignee(french) in {"anna@acme.example", "marc@acme.example"}
    assert assignee(german) == "anna@acme.example"  # the only German speaker, on shift now


def test_presales_first_response_is_due_within_the_hour_even_on_a_saturday_night(team, desk):
    saturday = datetime(2026, 11, 7, 3, 17, tzinfo=UTC)
    message = desk.write("Pricing for 40 seats? [presales en]", when=saturday)
    clock = clock_of(message)
    assert clock.first_response_due == saturday + HOUR
    assert clock.first_response_warn == saturday + timedelta(minutes=45)
    # Friday 22:17 in Montréal (Luc), Saturday 14:17 in Sydney (Mia).
    assert clock.assignee.email in {"luc@acme.example", "mia@acme.example"}


def test_support_has_a_first_response_and_a_resolution_target(team, desk):
    clock = clock_of(desk.write("It crashes [support en]", when=MONDAY_NOON))
    assert clock.policy.name == "support"
    assert clock.first_response_due == MONDAY_NOON + 4 * HOUR
    assert clock.resolution_due == MONDAY_NOON + 24 * HOUR
    assert clock.respond_by == clock.first_response_due
    assert clock.earliest_due == clock.first_response_due


def test_a_business_hours_policy_counts_only_the_office_hours(team, desk):
    friday_1630_paris = datetime(2026, 11, 6, 15, 30, tzinfo=UTC)
    clock = clock_of(desk.write("Idea [feedback en]", when=friday_1630_paris))
    # 1 h 30 on Friday (to 18:00), then Monday from 09:00: 6 h 30 more -> 15:30 Paris.
    assert clock.first_response_due == datetime(2026, 11, 9, 14, 30, tzinfo=UTC)


def test_least_loaded_then_round_robin(team, desk):
    desk.at(MONDAY_NOON)
    people = [
        assignee(desk.write(f"Q{i} [support en]", sender=f"c{i}@client.example")) for i in range(6)
    ]
    assert sorted(people) == ["anna@acme.example"] * 3 + ["marc@acme.example"] * 3
    assert people[0] != people[1]
    loads = dict(Person.objects.values_list("user__email", "load"))
    assert loads["anna@acme.example"] == loads["marc@acme.example"] == 3


def test_the_same_customer_goes_back_to_the_same_person_while_on_shift(team, desk):
    first = desk.write("Q1 [support en]", when=MONDAY_NOON)
    desk.write("other [support en]", sender="zoe@client.example")  # would be the other's turn
    second = desk.write("Q2 [support en]")
    assert assignee(second) == assignee(first)
    evening = desk.write("Q3 [support en]", when=datetime(2026, 11, 2, 21, 0, tzinfo=UTC))
    assert assignee(evening) in {"claire@acme.example", "luc@acme.example"}


def test_capacity_is_respected_and_the_rest_waits_in_the_queue(team, desk):
    Person.objects.update(capacity=1)
    desk.at(MONDAY_NOON)
    taken = [desk.write(f"Q{i} [support en]", sender=f"c{i}@client.example") for i in range(3)]
    assert [assignee(m) is None for m in taken] == [False, False, True]
    waiting = clock_of(taken[2])
    assert waiting.first_response_due == MONDAY_NOON + 4 * HOUR  # its clock runs
    assert Event.objects.filter(
        kind__in=ROUTING, conversation_id=waiting.pk, kind=Event.Kind.QUEUED
    ).exists()
    # Claire starts at 14:00 UTC (09:00 in Montréal): the next sweep gives it to her.
    desk.at(datetime(2026, 11, 2, 14, 1, tzinfo=UTC))
    assert sweep(datetime(2026, 11, 2, 14, 1, tzinfo=UTC)).assigned == 1
    assert assignee(taken[2]) == "claire@acme.example"


def test_waiting_on_the_customer_pauses_the_clocks_until_they_write(team, desk):
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    desk.reply(message.conversation_id, when=MONDAY_NOON + HOUR)
    Conversation.objects.filter(pk=message.conversation_id).update(
        status=Conversation.Status.PENDING
    )
    actions.route([message.conversation_id], MONDAY_NOON + HOUR)
    paused = clock_of(message)
    assert paused.resolution_due is None
    assert paused.earliest_due is None
    assert paused.next_check_at is None
    desk.at(MONDAY_NOON + 4 * HOUR)
    deliver(
        mail("back@client.example", subject="Re: Q [support en]", in_reply_to=message.message_id)
    )
    # They wrote: the conversation needs an answer again.
    assert Conversation.objects.get(pk=message.conversation_id).status == "open"
    actions.route([message.conversation_id], MONDAY_NOON + 5 * HOUR)  # later looks change nothing
    resumed = clock_of(message)
    # 1 h ran before the wait; 3 h of waiting do not count: 23 h are left.
    assert resumed.resolution_due == MONDAY_NOON + 4 * HOUR + 23 * HOUR
    assert resumed.next_response_due == MONDAY_NOON + 8 * HOUR
    assert resumed.first_responded_at == MONDAY_NOON + HOUR


def test_an_out_of_office_reply_leaves_the_wait_on_the_customer_alone(team, desk):
    """Their mail server answering our reply is not the customer writing back: the
    conversation stays waiting on them, its clocks paused."""
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    answer = desk.reply(message.conversation_id, when=MONDAY_NOON + HOUR)
    Conversation.objects.filter(pk=message.conversation_id).update(
        status=Conversation.Status.PENDING
    )
    actions.route([message.conversation_id], MONDAY_NOON + HOUR)
    desk.at(MONDAY_NOON + 2 * HOUR)
    away = mail(
        "away@client.example",
        subject="Automatic reply: Q [support en]",
        in_reply_to=answer.message_id,
    ).replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:")
    (stored,) = deliver(away)
    assert (stored.conversation_id, stored.noise) == (message.conversation_id, "autoreply")
    assert Conversation.objects.get(pk=message.conversation_id).status == "pending"
    actions.route([message.conversation_id], MONDAY_NOON + 3 * HOUR)
    assert clock_of(message).resolution_due is None  # still paused
    assert clock_of(message).earliest_due is None


def test_a_reply_stops_the_first_response_clock_and_an_acknowledgement_does_not(team, desk):
    message = desk.write("Q [presales en]", when=MONDAY_NOON)
    acknowledgement = mail(
        "ack@acme.example",
        subject="Re: Q",
        sender="support@acme.example",
        in_reply_to=message.message_id,
    ).replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:")
    deliver(acknowledgement)
    actions.route([message.conversation_id], MONDAY_NOON)
    assert clock_of(message).first_responded_at is None
    desk.reply(message.conversation_id, when=MONDAY_NOON + timedelta(minutes=20))
    clock = clock_of(message)
    assert clock.first_responded_at == MONDAY_NOON + timedelta(minutes=20)
    assert clock.first_response_due == MONDAY_NOON + HOUR  # kept, for attainment
    assert clock.respond_by is None
    assert clock.next_check_at is None


def test_solving_lightens_the_load_and_a_new_message_reopens(team, desk):
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    person = Person.objects.get(user=clock_of(message).assignee)
    assert person.load == 1
    Conversation.objects.filter(pk=message.conversation_id).update(
        status=Conversation.Status.SOLVED
    )
    actions.route([message.conversation_id], MONDAY_NOON + HOUR)
    person.refresh_from_db()
    assert person.load == 0
    assert not clock_of(message).is_open
    assert clock_of(message).resolved_at == MONDAY_NOON + HOUR


def test_founder_lane_goes_to_the_founder_and_noise_goes_nowhere(team, desk):
    founder = desk.write("Term sheet [founder en]", sender="vc@fund.example", when=MONDAY_NOON)
    spam = desk.write("Cheap pills [spam en]", sender="x@spam.example")
    assert assignee(founder) == "camille@acme.example"
    assert clock_of(founder).first_response_due is None  # the team's targets are not hers
    assert not clock_of(spam).routed
    assert assignee(spam) is None


def test_manual_assignment_is_recorded(team, desk):
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    chris = team["chris"]
    actions.assign(message.conversation_id, chris.pk, actor_id=team["sophie"].pk, now=MONDAY_NOON)
    step = Event.objects.filter(kind__in=ROUTING, conversation_id=message.conversation_id).last()
    assert (step.kind, step.person, step.actor, step.data["manual"]) == (
        "assigned",
        chris,
        team["sophie"],
        True,
    )


def test_strategies_are_a_registry_chosen_per_team(team, desk):
    @register("alphabetical")
    def alphabetical(candidates):
        return min(candidates, key=lambda m: m.email, default=None)

    try:
        from handoff.routing.models import Team

        Team.objects.update(strategy="alphabetical", sticky=False)
        desk.at(MONDAY_NOON)
        picks = {
            assignee(desk.write(f"Q{i} [support en]", sender=f"c{i}@x.example")) for i in range(3)
        }
        assert picks == {"anna@acme.example"}
    finally:
        del STRATEGIES["alphabetical"]


def test_no_policy_matches_means_no_clock_but_still_an_assignee(team, desk):
    Policy.objects.all().delete()
    message = desk.write("Q [support en]", when=MONDAY_NOON)
    assert clock_of(message).first_response_due is None
    assert assignee(message) is not None


def test_without_a_triage_decision_the_defaults_apply(people):
    from handoff.routing.inputs import Facts, facts

    message = deliver(mail("plain@client.example", sender="Ana@Client.Example"))[0]
    ConversationLane.objects.all().delete()  # as before triage first saw it
    assert facts(message.conversation) == Facts(
        lane="team",
        category="support",
        language="en",
        priority="normal",
        customer="ana@client.example",
        customer_domain="client.example",
    )


def test_routing_reads_the_conversations_lane_that_triage_keeps(people):
    """The one reader of triage: the conversation's lane, kept from its latest customer
    message (corrections included)."""
    from handoff.routing.inputs import facts
    from handoff.triage.learning import correct
    from handoff.triage.models import Decision

    first = deliver(mail("t1@client.example", subject="Tarifs"))[0]
    later = deliver(
        mail("t2@client.example", subject="Re: Tarifs", in_reply_to="t1@client.example")
    )[0]
    Decision.objects.filter(message=later).update(language="fr", priority="high", tags=["vip"])
    correct(later, "team", "presales", people["sophie"])
    found = facts(first.conversation)
    assert (found.category, found.language, found.priority, found.tags) == (
        "presales",
        "fr",
        "high",
        ("vip",),
    )
