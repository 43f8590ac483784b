"""The cockpit's tags: what is open under each tag now, and how much of it is late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from handoff.cockpit.tags import open_by_tag
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation
from handoff.triage import lanes
from handoff.triage.models import Tag
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def test_open_conversations_are_counted_under_their_tags(people) -> None:
    Tag.objects.create(name="vip", colour="purple")
    Tag.objects.create(name="quiet", colour="green")
    one, two, three, secret = deliver(
        mail("g1@c.example", sender="a@c.example"),
        mail("g2@c.example", sender="b@c.example"),
        mail("g3@c.example", sender="d@c.example"),
        mail("g4@fund.example", sender="vc@fund.example"),
    )
    decided(secret, lane="founder", category="founder")
    lanes.choose(one.conversation_id, tags=["vip", "bug"])
    lanes.choose(two.conversation_id, tags=["vip"])
    lanes.choose(three.conversation_id, tags=["vip"])
    lanes.choose(secret.conversation_id, tags=["vip"])
    Conversation.objects.filter(pk=three.conversation_id).update(status="solved")
    now = timezone.now()
    Clock.objects.update_or_create(
        conversation_id=one.conversation_id,
        defaults={"is_open": True, "respond_by": now - timedelta(minutes=5)},
    )
    counted = {(t.name, t.colour, t.open, t.overdue) for t in open_by_tag(now, founder_lane=True)}
    assert counted == {
        ("vip", "purple", 3, 1),  # the founder's too; not the solved one
        ("bug", "grey", 1, 1),  # a rule's tag, off the list
        ("quiet", "green", 0, 0),
    }
    hidden = {t.name: t.open for t in open_by_tag(now, founder_lane=False)}
    assert hidden["vip"] == 2

    page = logged_in(people["camille"]).get("/cockpit/").content.decode()
    assert 'id="tags"' in page
    assert '<a class="tag tag-purple" href="/search/?tag=vip">vip</a></td><td>3</td>' in page
    assert logged_in(people["chris"]).get("/cockpit/").status_code == 404
