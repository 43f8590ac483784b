"""A customer's reply that only thanks, after the team's answer, asks for nothing: no
response clock, no reopening. Anything more than thanks counts as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.urls import reverse

from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation, Message
from tests.helpers import deliver, logged_in, mail

MONDAY_NOON = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def clock(message: Message) -> Clock:
    return Clock.objects.get(conversation_id=message.conversation_id)


def test_thanks_after_an_answer_starts_no_clock_and_a_question_does(team, desk):
    question = desk.write("Export [support en]", when=MONDAY_NOON)
    desk.reply(question.conversation_id, when=MONDAY_NOON + HOUR)
    conversation = question.conversation_id
    thanks = desk.reply(conversation, when=MONDAY_NOON + 2 * HOUR, customer="Got it, thanks!")
    assert thanks.thanks
    assert clock(question).respond_by is None
    assert clock(question).next_response_due is None
    page = logged_in(team["sophie"]).get(
        reverse("desk:conversation", args=[question.conversation_id])
    )
    assert page.content.decode().count('class="tag thanks"') == 1  # on the thanks, not the rest
    more = desk.reply(
        conversation, when=MONDAY_NOON + 3 * HOUR, customer="Thanks, but the totals are wrong."
    )
    assert not more.thanks
    assert clock(question).next_response_started == MONDAY_NOON + 3 * HOUR
    assert clock(question).respond_by is not None


def test_thanks_keeps_a_solved_conversation_solved(team, desk):
    question = desk.write("Refund [billing en]", when=MONDAY_NOON)
    desk.reply(question.conversation_id, when=MONDAY_NOON + HOUR)
    desk.set_status(question.conversation_id, "solved", when=MONDAY_NOON + HOUR)
    thanks = "Perfect, thank you so much!"
    desk.reply(question.conversation_id, when=MONDAY_NOON + 5 * HOUR, customer=thanks)
    conversation = Conversation.objects.get(pk=question.conversation_id)
    assert conversation.status == Conversation.Status.SOLVED
    assert not clock(question).is_open
    more = "Sorry, one more thing: can I get a PDF copy?"
    desk.reply(question.conversation_id, when=MONDAY_NOON + 6 * HOUR, customer=more)
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN
    assert clock(question).is_open
    assert clock(question).respond_by is not None


def test_thanks_before_any_answer_is_answered(team, desk):
    """A first message that thanks (praise, say) is the customer's: it gets its clock."""
    desk.at(MONDAY_NOON)
    (message,) = deliver(
        mail("praise@client.example", subject="Bravo", body="Thank you so much, love it!")
    )
    route([message.conversation_id], MONDAY_NOON)
    assert message.thanks
    assert clock(message).respond_by is not None
