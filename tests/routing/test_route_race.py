"""Two workers routing one new conversation at once (PostgreSQL, where writers do not
wait for each other until they touch the same row): the second waits for the first,
then finds its clock; neither fails."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.tickets.models import Event
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db(transaction=True)


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        (waiting,) = cursor.fetchone()
    return waiting > 0


def test_two_workers_route_a_new_conversation_at_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: no two routings overlap")
    [message] = deliver(mail("route1@c.example", subject="Pricing for 40 seats?"))
    conversation = message.conversation_id
    Clock.objects.filter(pk=conversation).delete()  # as before its first routing
    Event.objects.filter(conversation=conversation, kind=Event.Kind.CLOCK).delete()
    routed, errors = threading.Event(), []

    def other_worker() -> None:
        try:
            routed.wait(10)
            route([conversation])
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=other_worker)
    other.start()
    with transaction.atomic():
        route([conversation])
        routed.set()
        deadline = time.monotonic() + 10
        while not waiting_for_a_lock() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert waiting_for_a_lock()  # the other worker waits for this one
    other.join(10)
    assert errors == []
    assert Clock.objects.filter(pk=conversation).count() == 1
    clocks_started = Event.objects.filter(conversation=conversation, kind=Event.Kind.CLOCK)
    assert clocks_started.count() == 1  # the second found the clock running: no second start
