"""Tags and priority: the head's list, a person's choice on a conversation (kept whatever
later mail's rules say, on the timeline, seen by routing), a selection tagged at once,
search by tag, priority and mailbox, the list as configuration; bad input answered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handoff.mailin.models import Mailbox
from handoff.routing.config.apply import apply_text
from handoff.routing.config.dump import dump
from handoff.tickets.models import Conversation, Event
from handoff.triage import lanes
from handoff.triage.models import ConversationLane, Decision, Tag
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversations(people) -> list[Conversation]:
    messages = deliver(
        *(
            mail(f"t{i}@c.example", subject=f"Question {i}", sender=f"c{i}@c.example")
            for i in range(3)
        )
    )
    decided(None, lane="team", category="support")
    return [m.conversation for m in messages]


def lane_of(conversation: Conversation) -> ConversationLane:
    return ConversationLane.objects.get(pk=conversation.pk)


def test_the_head_keeps_the_list_and_an_agent_only_reads_it(people) -> None:
    sophie = logged_in(people["sophie"])
    answer = sophie.post("/tags/", {"name": "  VIP Client ", "colour": "purple"})
    assert answer.status_code == 302
    assert list(Tag.objects.values_list("name", "colour")) == [("vip-client", "purple")]
    sophie.post("/tags/", {"name": "vip-client", "colour": "red"})  # recoloured, not doubled
    assert list(Tag.objects.values_list("name", "colour")) == [("vip-client", "red")]
    page = sophie.get("/tags/").content.decode()
    assert 'class="tag tag-red"' in page
    assert "Take off the list" in page

    chris = logged_in(people["chris"])
    assert chris.get("/tags/").status_code == 200
    assert "Take off the list" not in chris.get("/tags/").content.decode()
    assert chris.post("/tags/", {"name": "mine", "colour": "red"}).status_code == 404
    assert chris.post("/tags/", {"delete": str(Tag.objects.get().pk)}).status_code == 404
    assert Tag.objects.count() == 1

    sophie.post("/tags/", {"delete": str(Tag.objects.get().pk)})
    assert not Tag.objects.exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"name": "", "colour": "red"}, "A tag needs a name."),
        ({"name": "<b>bold</b>", "colour": "red"}, "Letters, digits"),
        ({"name": "x" * 41, "colour": "red"}, "At most 40 characters."),
        ({"name": "fine", "colour": "#ff0000"}, "Not a colour: #ff0000"),
    ],
)
def test_a_bad_tag_gets_a_clear_answer(people, data, says) -> None:
    answer = logged_in(people["sophie"]).post("/tags/", data)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Tag.objects.exists()


def test_tags_chosen_by_a_person_stay_whatever_later_mail_says(people, conversations) -> None:
    Tag.objects.create(name="bug", colour="red")
    Tag.objects.create(name="vip", colour="purple")
    conversation = conversations[0]
    # A rule tagged the first message: the conversation carries it.
    Decision.objects.filter(message__conversation=conversation).update(tags=["from-rule"])
    lanes.refresh([conversation.pk])
    assert lane_of(conversation).tags == ["from-rule"]

    chris = logged_in(people["chris"])
    answer = chris.post(f"/c/{conversation.pk}/tags/", {"tag": ["bug", "vip"]})
    assert answer.status_code == 302
    assert lane_of(conversation).tags == ["bug", "vip"]
    event = Event.objects.get(conversation=conversation, kind=Event.Kind.TAGGED)
    assert event.data == {"added": ["bug", "vip"], "removed": ["from-rule"]}
    assert event.actor == people["chris"]
    page = chris.get(f"/c/{conversation.pk}/").content.decode()
    assert "Chris changed the tags: added bug, vip; removed from-rule" in page
    assert '<span class="tag tag-red">bug</span>' in page

    # The customer writes again and a rule tags that message: the person's choice holds.
    (again,) = deliver(
        mail("t0-again@c.example", subject="Re: Question 0", in_reply_to="t0@c.example")
    )
    assert again.conversation_id == conversation.pk
    Decision.objects.filter(message=again).update(tags=["from-rule"])
    lanes.refresh([conversation.pk])
    assert lane_of(conversation).tags == ["bug", "vip"]

    # The same choice again changes nothing and writes nothing.
    chris.post(f"/c/{conversation.pk}/tags/", {"tag": ["vip", "bug"]})
    assert Event.objects.filter(conversation=conversation, kind=Event.Kind.TAGGED).count() == 1


def test_a_tag_off_the_list_is_refused_but_one_carried_may_stay(people, conversations) -> None:
    conversation = conversations[0]
    Decision.objects.filter(message__conversation=conversation).update(tags=["from-rule"])
    lanes.refresh([conversation.pk])
    chris = logged_in(people["chris"])
    answer = chris.post(f"/c/{conversation.pk}/tags/", {"tag": ["invented"]})
    assert answer.status_code == 400
    assert "Not a tag of the list: invented" in answer.content.decode()
    assert chris.post(f"/c/{conversation.pk}/tags/", {"tag": ["from-rule"]}).status_code == 302
    assert chris.post(f"/c/{conversation.pk}/tags/", {}).status_code == 302  # none at all
    assert lane_of(conversation).tags == []


def test_priority_is_chosen_kept_and_on_the_timeline(people, conversations) -> None:
    conversation = conversations[1]
    chris = logged_in(people["chris"])
    assert chris.post(f"/c/{conversation.pk}/priority/", {"priority": "urgent"}).status_code == 302
    assert lane_of(conversation).priority == "urgent"
    Decision.objects.filter(message__conversation=conversation).update(priority="low")
    lanes.refresh([conversation.pk])
    assert lane_of(conversation).priority == "urgent"
    page = chris.get(f"/c/{conversation.pk}/").content.decode()
    assert "Chris set the priority to “urgent”" in page
    assert 'class="priority priority-urgent"' in chris.get("/").content.decode()
    answer = chris.post(f"/c/{conversation.pk}/priority/", {"priority": "asap"})
    assert answer.status_code == 400
    assert "Not a priority: asap" in answer.content.decode()


def test_founder_mail_cannot_be_tagged_by_an_agent(people) -> None:
    (founder,) = deliver(mail("vc@fund.example", subject="Term sheet", sender="vera@fund.example"))
    decided(founder, lane="founder", category="founder")
    Tag.objects.create(name="vip")
    chris = logged_in(people["chris"])
    assert chris.post(f"/c/{founder.conversation_id}/tags/", {"tag": "vip"}).status_code == 404
    assert (
        chris.post(f"/c/{founder.conversation_id}/priority/", {"priority": "low"}).status_code
        == 404
    )
    assert ConversationLane.objects.get(pk=founder.conversation_id).tags == []


def test_a_selection_is_tagged_at_once(people, conversations) -> None:
    Tag.objects.create(name="refund", colour="orange")
    ids = [c.pk for c in conversations]
    lanes.choose(ids[0], tags=["vip"])
    sophie = logged_in(people["sophie"])
    answer = sophie.post("/bulk/", {"ids": [str(i) for i in ids], "action": "tag", "tag": "refund"})
    assert answer.status_code == 302
    assert [lane_of(c).tags for c in conversations] == [["refund", "vip"], ["refund"], ["refund"]]
    answer = sophie.post("/bulk/", {"ids": [str(ids[0])], "action": "tag", "tag": "nope"})
    assert answer.status_code == 400
    assert "Not a tag of the list: nope" in answer.content.decode()


def test_search_by_tag_priority_and_mailbox(people) -> None:
    Mailbox.objects.create(address="support@acme.example")
    Mailbox.objects.create(address="sales@acme.example")
    to_support, to_sales, both = deliver(
        mail("s1@c.example", subject="Broken export", to="support@acme.example"),
        mail("s2@c.example", subject="A quote for 40 seats", to="Sales <SALES@acme.example>"),
        b"Cc: Support <support@acme.example>\n"
        + mail("s3@c.example", subject="Hello", sender="x@d.example", to="mia@d.example"),
    )
    lanes.choose(to_support.conversation_id, tags=["bug", "été"], priority="high")
    sophie = logged_in(people["sophie"])

    def found(**filters: str) -> set[int]:
        page = sophie.get("/search/", filters)
        assert page.status_code == 200
        return {r.conversation.pk for r in page.context["rows"]}

    assert found(tag="bug") == {to_support.conversation_id}
    assert found(tag="été") == {to_support.conversation_id}  # non-ASCII, as each database keeps it
    assert found(tag="bu") == set()  # a whole tag, not a piece of one
    assert found(priority="high") == {to_support.conversation_id}
    assert found(mailbox="sales@acme.example") == {to_sales.conversation_id}
    assert found(mailbox="SALES@acme.example") == {to_sales.conversation_id}
    assert found(mailbox="nobody@acme.example") == set()
    assert found(mailbox="mia@d.example") == {both.conversation_id}  # whatever the mailbox
    assert found(mailbox="support@acme.example") == {
        to_support.conversation_id,
        both.conversation_id,  # copied
    }
    assert found(mailbox="support@acme.example", tag="bug") == {to_support.conversation_id}
    for bad, says in (
        ({"priority": "asap"}, "Not a priority: asap"),
        ({"mailbox": "nobody"}, "Not a mailbox: nobody"),
    ):
        answer = sophie.get("/search/", bad)
        assert answer.status_code == 400
        assert says in answer.content.decode()


TAGS_TOML = """
[[tag]]
name = "vip"
colour = "purple"

[[tag]]
name = "Feature Request"
"""
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_the_list_is_configuration_too(db) -> None:
    outcome = apply_text(TAGS_TOML, NOW)
    assert outcome.ok, outcome.errors
    assert sorted(outcome.changes) == ["added tag feature-request", "added tag vip"]
    assert apply_text(TAGS_TOML, NOW).changes == []
    assert dict(Tag.objects.values_list("name", "colour")) == {
        "vip": "purple",
        "feature-request": "grey",
    }
    dumped = dump()
    assert '[[tag]]\nname = "vip"\ncolour = "purple"' in dumped
    assert apply_text(dumped, NOW).changes == []

    bad = apply_text(
        '[[tag]]\nname = "x"\n[[tag]]\nname = "X"\n[[tag]]\nname = "y"\ncolour = "mauve"', NOW
    )
    assert not bad.ok
    assert any("colour: one of grey" in e for e in bad.errors)
    assert any("'x' appears twice" in e for e in bad.errors)
    assert Tag.objects.count() == 2  # nothing changed
