"""Two workers triaging two messages of one conversation at once (PostgreSQL, where
writers do not wait for each other until they touch the same row): neither fails, and
the lane is made from both decisions, whoever commits last."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from handoff.triage import lanes
from handoff.triage.models import ConversationLane, Decision
from tests.helpers import another_session_waits, decided, deliver, mail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("new", [True, False], ids=["new lane", "existing lane"])
def test_two_workers_refresh_a_conversations_lane_at_once(new: bool) -> None:
    first, second = deliver(
        mail("r1@c.example", subject="Our shares", sender="investor@fund.example"),
        mail("r2@c.example", subject="Re: Our shares", in_reply_to="r1@c.example"),
    )
    decided(None, lane="team", category="support")
    conversation = first.conversation_id
    assert second.conversation_id == conversation
    if new:  # as before its first triage
        ConversationLane.objects.filter(pk=conversation).delete()
    refreshed, errors = threading.Event(), []

    def other_worker() -> None:  # triages the reply: its decision stays "team"
        try:
            refreshed.wait(10)
            with transaction.atomic():
                lanes.refresh([conversation])
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    other = threading.Thread(target=other_worker)
    other.start()
    with transaction.atomic():  # this worker: the first message is the founder's
        Decision.objects.filter(message=first).update(lane="founder", category="founder")
        lanes.refresh([conversation])
        refreshed.set()
        assert another_session_waits()  # the other worker is at the same lane, waiting
    other.join(10)
    assert errors == []
    # The other worker committed last, and saw the founder's decision before it wrote.
    assert ConversationLane.objects.get(pk=conversation).lane == "founder"
