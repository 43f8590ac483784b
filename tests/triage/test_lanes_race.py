"""Two workers triaging two messages of one conversation at once (PostgreSQL, where
writers do not wait for each other until they touch the same row): neither fails, and
the lane is made from both decisions, whoever commits last."""

from __future__ import annotations

import pytest
from django.db import transaction

from handoff.triage import lanes
from handoff.triage.models import ConversationLane, Decision
from tests.helpers import decided, deliver, mail, race

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

    def first_worker() -> None:  # the first message is the founder's
        Decision.objects.filter(message=first).update(lane="founder", category="founder")
        lanes.refresh([conversation])

    def other_worker() -> None:  # triages the reply: its decision stays "team"
        with transaction.atomic():
            lanes.refresh([conversation])

    assert race(first_worker, other_worker) == []
    # The other worker committed last, and saw the founder's decision before it wrote.
    assert ConversationLane.objects.get(pk=conversation).lane == "founder"
