"""What the desk answers: a notice after each action, desk pages for refusals (400, 403,
404), and the status a reply leaves behind."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import defaults

from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.routing.pauses import pauses_of
from handoff.tickets.models import Conversation, Event, Message
from handoff.triage.pipeline import triage
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def routed(message_id: str, lane: str = "team", category: str = "support") -> Message:
    [message] = deliver(mail(message_id, subject="Export cassé"))
    triage([message.pk])
    decided(message, lane=lane, category=category)
    route([message.conversation_id])
    return message


def url(name: str, message: Message) -> str:
    return reverse(f"desk:{name}", args=[message.conversation_id])


def notices(client: Client, response) -> list[str]:
    assert response.status_code == 302
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


def test_assign_status_and_snooze_say_what_happened(people) -> None:
    message = routed("n1@c.example")
    chris = logged_in(people["chris"])
    given = chris.post(url("assign", message), {"assignee": people["chris"].pk})
    assert notices(chris, given) == ["Assigned to Chris."]
    back = chris.post(url("assign", message), {"assignee": ""})
    assert notices(chris, back) == ["Back in the team's queue."]
    solved = chris.post(url("change_status", message), {"status": "solved"})
    assert notices(chris, solved) == ["Status: Solved."]
    snoozed = chris.post(url("snooze", message), {"hours": "4"})
    [said] = notices(chris, snoozed)
    # In the desk's time zone (Chris has no shifts of his own).
    until = timezone.localtime(Clock.objects.get(pk=message.conversation_id).snoozed_until)
    assert said == f"Snoozed until {until:%Y-%m-%d %H:%M}."


def main(content: bytes) -> str:
    page = content.decode()
    return page[page.index("<main>") :]


def in_the_desk(content: bytes) -> None:
    """The desk's header, its navigation and the way back to the conversations."""
    page = content.decode()
    assert '<header class="top">' in page
    assert "<nav>" in page
    assert f'<a href="{reverse("desk:inbox")}">Back to the conversations</a>' in page


def test_a_refusal_is_a_desk_page_with_its_reason_and_a_way_back(people) -> None:
    message = routed("e1@c.example")
    chris = logged_in(people["chris"])
    answer = chris.post(url("change_status", message), {"status": "deleted"})
    assert answer.status_code == 400
    assert b"Not a status: deleted" in answer.content
    in_the_desk(answer.content)
    escaped = chris.post(url("note", message), {"text": " "})
    assert escaped.status_code == 400
    in_the_desk(escaped.content)


def test_a_conversation_not_yours_is_not_found_like_one_that_never_was(people) -> None:
    secret = routed("e2@fund.example", lane="founder", category="founder")
    chris = logged_in(people["chris"])
    theirs = chris.get(url("conversation", secret))
    missing = chris.get(reverse("desk:conversation", args=[secret.conversation_id + 1000]))
    assert theirs.status_code == missing.status_code == 404
    assert main(theirs.content) == main(missing.content)  # nothing says which one exists
    assert b"There is nothing here, or nothing you may see." in theirs.content
    in_the_desk(theirs.content)
    assert chris.post(url("merge", secret), {"into": "1"}).status_code == 404


def test_django_refusals_use_the_desk_pages_too(people) -> None:
    request = RequestFactory().get("/")
    request.user = people["chris"]
    forbidden = defaults.permission_denied(request, PermissionDenied())
    assert forbidden.status_code == 403
    assert b"Not allowed" in forbidden.content
    in_the_desk(forbidden.content)
    # Django renders its 400 without the request: no navigation, but the way back.
    bad = defaults.bad_request(request, SuspiciousOperation())
    assert bad.status_code == 400
    assert b"Nothing was changed." in bad.content
    assert f'<a href="{reverse("desk:inbox")}">'.encode() in bad.content


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox.objects.create(address="support@acme.example", name="Acme")


def status_of(message: Message) -> str:
    return Conversation.objects.get(pk=message.conversation_id).status


def test_a_reply_leaves_the_conversation_waiting_on_the_customer(people, mailbox) -> None:
    message = routed("r1@c.example")
    chris = logged_in(people["chris"])
    page = chris.get(url("conversation", message)).content.decode()
    assert '<option value="pending">waiting on the customer</option>' in page
    assert status_of(message) == "new"
    sent = chris.post(url("reply", message), {"text": "Corrigé, réessayez."})
    assert notices(chris, sent) == ["Reply queued for sending."]
    assert status_of(message) == "pending"
    [pause] = [p for p in pauses_of([message.conversation_id])[message.conversation_id]]
    assert pause[2] == "pending"
    assert pause[1] is None  # resolution waits with the customer
    assert Clock.objects.get(pk=message.conversation_id).respond_by is None
    # The customer's next message ends the wait: the clocks run again.
    later = timezone.now() + timedelta(hours=2)
    with time_machine.travel(later, tick=False):
        [again] = deliver(
            mail(
                "r1-2@c.example", subject="Re: Export cassé", in_reply_to="r1@c.example", date=later
            )
        )
        assert again.conversation_id == message.conversation_id
        route([message.conversation_id])
        [pause] = pauses_of([message.conversation_id])[message.conversation_id]
        assert pause[1] is not None
        clock = Clock.objects.get(pk=message.conversation_id)
        assert clock.is_open
        assert clock.respond_by is not None


@pytest.mark.parametrize(
    ("then", "status", "is_open"), [("open", "open", True), ("solved", "solved", False)]
)
def test_the_person_says_what_a_reply_leaves(people, mailbox, then, status, is_open) -> None:
    message = routed(f"r-{then}@c.example")
    chris = logged_in(people["chris"])
    chris.post(url("reply", message), {"text": "Voilà.", "then": then})
    assert status_of(message) == status
    assert Clock.objects.get(pk=message.conversation_id).is_open is is_open


def test_a_reply_with_a_bad_then_is_refused_and_not_sent(people, mailbox) -> None:
    message = routed("r2@c.example")
    chris = logged_in(people["chris"])
    answer = chris.post(url("reply", message), {"text": "Voilà.", "then": "deleted"})
    assert answer.status_code == 400
    assert b"Not a status after a reply: deleted" in answer.content
    in_the_desk(answer.content)
    assert not Outgoing.objects.exists()
    assert status_of(message) == "new"


def test_who_answers_a_conversation_nobody_holds_takes_it(people, mailbox) -> None:
    """Chris answers from the queue: the conversation is his (timeline, Mine). A reply to
    one someone holds changes nothing, and the founder answering leaves it to the team."""
    queued = routed("t1@c.example")
    held = routed("t2@c.example")
    founders = routed("t3@c.example")
    Clock.objects.filter(pk=held.conversation_id).update(assignee=people["sophie"])
    assert Clock.objects.get(pk=queued.conversation_id).assignee is None
    chris = logged_in(people["chris"])
    for message in (queued, held):
        chris.post(url("reply", message), {"text": "Voilà.", "then": "pending"})
    logged_in(people["camille"]).post(url("reply", founders), {"text": "Merci !"})
    assert Outgoing.objects.filter(conversation_id=founders.conversation_id).exists()
    holders = dict(
        Clock.objects.filter(
            pk__in=[m.conversation_id for m in (queued, held, founders)]
        ).values_list("pk", "assignee__email")
    )
    assert holders == {
        queued.conversation_id: "chris@acme.example",
        held.conversation_id: "sophie@acme.example",
        founders.conversation_id: None,
    }
    taken = Event.objects.filter(conversation_id=queued.conversation_id, kind="assigned").last()
    assert (taken.person, taken.actor) == (people["chris"], people["chris"])
    assert "Chris took it" in chris.get(url("conversation", queued)).content.decode()
