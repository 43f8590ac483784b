"""Two workers routing one new conversation at once (PostgreSQL, where writers do not
wait for each other until they touch the same row): the second waits for the first,
then finds its clock; neither fails."""

from __future__ import annotations

import pytest
from django.utils import timezone

from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.routing.models import Clock
from handoff.tickets.models import Event
from tests.helpers import deliver, mail, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
POLICY = """
[[policy]]
name = "everything"
when = { lane = ["team"] }
first_response = "4h"
"""


def test_two_workers_route_a_new_conversation_at_once() -> None:
    # Its own policy: a test before this one may have flushed the tables (transactional).
    assert apply_text(POLICY, timezone.now()).ok
    [message] = deliver(mail("route1@c.example", subject="Pricing for 40 seats?"))
    conversation = message.conversation_id
    Clock.objects.filter(pk=conversation).delete()  # as before its first routing
    Event.objects.filter(conversation=conversation, kind=Event.Kind.CLOCK).delete()
    assert race(lambda: route([conversation]), lambda: route([conversation])) == []
    assert Clock.objects.filter(pk=conversation).count() == 1
    clocks_started = Event.objects.filter(conversation=conversation, kind=Event.Kind.CLOCK)
    assert clocks_started.count() == 1  # the second found the clock running: no second start
