"""What a person does to a conversation from the desk: solve, wait, reopen, assign."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from handoff.desk.timeline import describe
from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.routing.pauses import pauses_of
from handoff.tickets.models import Conversation, Event, Message
from handoff.tickets.timeline import ROUTING
from handoff.triage.pipeline import triage
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def routed(message_id: str, lane: str = "team", category: str = "support") -> Message:
    [message] = deliver(mail(message_id, subject="Export cassé"))
    triage([message.pk])
    decided(message, lane=lane, category=category)
    route([message.conversation_id])
    return message


def status_url(message: Message) -> str:
    return reverse("desk:change_status", args=[message.conversation_id])


def assign_url(message: Message) -> str:
    return reverse("desk:assign", args=[message.conversation_id])


def test_solving_stops_the_clocks_and_reopening_starts_them(people) -> None:
    message = routed("a1@c.example")
    chris = logged_in(people["chris"])
    assert Clock.objects.get(pk=message.conversation_id).is_open
    assert chris.post(status_url(message), {"status": "solved"}).status_code == 302
    assert Conversation.objects.get(pk=message.conversation_id).status == "solved"
    assert not Clock.objects.get(pk=message.conversation_id).is_open
    event = Event.objects.get(conversation=message.conversation_id, kind=Event.Kind.STATUS)
    assert event.actor == people["chris"]
    assert event.data == {"from": "new", "to": "solved"}
    chris.post(status_url(message), {"status": "open"})
    assert Clock.objects.get(pk=message.conversation_id).is_open


def test_waiting_on_the_customer_pauses_the_clocks(people) -> None:
    message = routed("a2@c.example")
    logged_in(people["chris"]).post(status_url(message), {"status": "pending"})
    pauses = pauses_of([message.conversation_id])[message.conversation_id]
    assert pauses
    assert pauses[-1][1] is None  # paused until the customer writes or a person reopens


def test_the_same_status_twice_is_one_event(people) -> None:
    message = routed("a3@c.example")
    chris = logged_in(people["chris"])
    chris.post(status_url(message), {"status": "solved"})
    chris.post(status_url(message), {"status": "solved"})
    assert Event.objects.filter(conversation=message.conversation_id, kind="status").count() == 1


def test_bad_requests_get_a_clear_answer(people) -> None:
    message = routed("a4@c.example")
    chris = logged_in(people["chris"])
    answer = chris.post(status_url(message), {"status": "deleted"})
    assert answer.status_code == 400
    assert b"Not a status: deleted" in answer.content
    assert chris.get(status_url(message)).status_code == 405
    answer = chris.post(assign_url(message), {"assignee": "99999"})
    assert answer.status_code == 400
    assert chris.post(reverse("desk:assign", args=[99999]), {"assignee": ""}).status_code == 404


def test_a_person_takes_a_conversation_and_gives_it_back_to_the_queue(people) -> None:
    message = routed("a5@c.example")
    chris = logged_in(people["chris"])
    page = chris.get(reverse("desk:conversation", args=[message.conversation_id])).content
    assert f'<option value="{people["chris"].pk}"'.encode() in page
    chris.post(assign_url(message), {"assignee": people["chris"].pk})
    assert Clock.objects.get(pk=message.conversation_id).assignee == people["chris"]
    step = Event.objects.filter(kind__in=ROUTING, conversation=message.conversation_id).latest(
        "at", "pk"
    )
    assert step.kind == Event.Kind.ASSIGNED
    assert step.data["manual"] is True
    chris.post(assign_url(message), {"assignee": ""})
    assert Clock.objects.get(pk=message.conversation_id).assignee is None


def test_founder_mail_goes_only_to_those_who_may_read_it(people) -> None:
    message = routed("a6@fund.example", lane="founder", category="founder")
    sophie = logged_in(people["sophie"])
    assert sophie.post(assign_url(message), {"assignee": people["chris"].pk}).status_code == 400
    sophie.post(assign_url(message), {"assignee": people["camille"].pk})
    assert Clock.objects.get(pk=message.conversation_id).assignee == people["camille"]
    # An agent cannot act on what they cannot read.
    chris = logged_in(people["chris"])
    assert chris.post(status_url(message), {"status": "solved"}).status_code == 404
    assert chris.post(assign_url(message), {"assignee": ""}).status_code == 404


def test_a_snoozed_conversation_leaves_the_queues_until_its_time(people) -> None:
    message = routed("a7@c.example")
    chris = logged_in(people["chris"])
    chris.post(assign_url(message), {"assignee": people["chris"].pk})
    mine = reverse("desk:inbox") + "?queue=mine"
    assert chris.get(mine).context["page"].object_list[0].pk == message.conversation_id
    snoozed = chris.post(reverse("desk:snooze", args=[message.conversation_id]), {"hours": "4"})
    assert snoozed.status_code == 302
    clock = Clock.objects.get(pk=message.conversation_id)
    assert clock.snoozed_until is not None
    assert 3.9 * 3600 < (clock.snoozed_until - timezone.now()).total_seconds() <= 4 * 3600
    assert Event.objects.filter(
        kind__in=ROUTING, conversation=message.conversation_id, kind=Event.Kind.PAUSED
    ).exists()
    assert len(chris.get(mine).context["page"].object_list) == 0
    snoozed = [c.pk for c in chris.get(reverse("desk:inbox") + "?queue=snoozed").context["page"]]
    assert snoozed == [message.conversation_id]
    with time_machine.travel(timezone.now() + timedelta(hours=5), tick=False):
        assert len(chris.get(mine).context["page"].object_list) == 1
        assert not chris.get(reverse("desk:inbox") + "?queue=snoozed").context["page"]
    answer = chris.post(reverse("desk:snooze", args=[message.conversation_id]), {"hours": "5000"})
    assert answer.status_code == 400


def test_the_actions_speak_french(people) -> None:
    message = routed("a8@c.example")
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("desk:conversation", args=[message.conversation_id])).content
    for words in ("Attribuer", "Personne (la file)", "Mettre en veille", "4 heures", "Résolue"):
        assert words.encode() in page


def test_the_customer_writing_wakes_a_snoozed_conversation(people) -> None:
    message = routed("a9@c.example")
    chris = logged_in(people["chris"])
    chris.post(assign_url(message), {"assignee": people["chris"].pk})
    chris.post(reverse("desk:snooze", args=[message.conversation_id]), {"hours": "72"})
    mine = reverse("desk:inbox") + "?queue=mine"
    assert len(chris.get(mine).context["page"].object_list) == 0
    later = timezone.now() + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        [reply] = deliver(
            mail(
                "a9-2@c.example", subject="Re: Export cassé", in_reply_to="a9@c.example", date=later
            )
        )
        assert reply.conversation_id == message.conversation_id
        route([message.conversation_id])  # as the pipeline does after threading
        clock = Clock.objects.get(pk=message.conversation_id)
        assert clock.snoozed_until is None
        pauses = pauses_of([message.conversation_id])[message.conversation_id]
        assert [p[2] for p in pauses if p[2] == "snoozed"] == ["snoozed"]
        assert pauses[-1][1] == later.isoformat()  # the snooze ended when they wrote
        assert len(chris.get(mine).context["page"].object_list) == 1


def merge_url(message: Message) -> str:
    return reverse("desk:merge", args=[message.conversation_id])


def test_a_person_merges_two_conversations_that_are_one(people) -> None:
    first = routed("m1@c.example")
    [second] = deliver(mail("m2@c.example", subject="Encore l'export", sender="ana@client.example"))
    route([second.conversation_id])
    assert first.conversation_id != second.conversation_id
    sophie = logged_in(people["sophie"])
    # First the question, naming both; nothing moves yet.
    asked = sophie.post(merge_url(second), {"into": f"#{first.conversation_id}"})
    assert asked.status_code == 200
    question = (
        f"Merge #{second.conversation_id} “Encore l&#x27;export” "
        f"into #{first.conversation_id} “Export cassé”?"
    )
    assert question in asked.content.decode()
    assert b'name="confirm" value="yes"' in asked.content
    assert Message.objects.get(pk=second.pk).conversation_id == second.conversation_id
    assert not Event.objects.filter(kind=Event.Kind.MERGED).exists()
    # Confirmed: it merges.
    answer = sophie.post(merge_url(second), {"into": first.conversation_id, "confirm": "yes"})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("desk:conversation", args=[first.conversation_id])
    target = Conversation.objects.get(pk=first.conversation_id)
    assert target.message_count == 2
    assert Message.objects.get(pk=second.pk).conversation_id == target.pk
    event = Event.objects.get(conversation=target, kind=Event.Kind.MERGED)
    assert event.actor == people["sophie"]
    assert event.data["from"] == second.conversation_id
    assert event.data["messages"] == [second.pk]  # what moved, for undoing it
    # The merged one's timeline says where it went, and who did it.
    gone = Event.objects.get(conversation=second.conversation_id, kind=Event.Kind.MERGED)
    assert gone.actor == people["sophie"]
    assert gone.data == {"into": target.pk}
    assert describe(gone) == f"Sophie merged this conversation into #{target.pk}"
    page = sophie.get(answer["Location"])
    assert f"#{second.conversation_id} merged into this conversation." in page.content.decode()
    assert f"Conversation #{second.conversation_id} merged into this one" in (page.content.decode())
    assert not Clock.objects.get(pk=second.conversation_id).is_open  # its clocks stopped
    # The old address leads to the conversation it became.
    old = sophie.get(reverse("desk:conversation", args=[second.conversation_id]))
    assert old["Location"] == reverse("desk:conversation", args=[target.pk])


def test_a_merge_is_undone_and_each_conversation_is_whole_again(people) -> None:
    first = routed("u1@c.example")
    [second] = deliver(mail("u2@c.example", subject="Zanzibar invoice", sender="bo@other.example"))
    route([second.conversation_id])
    sophie = logged_in(people["sophie"])
    sophie.post(note_url(second), {"text": "Bo is the buyer's accountant"})
    sophie.post(merge_url(second), {"into": first.conversation_id, "confirm": "yes"})
    target = Conversation.objects.get(pk=first.conversation_id)
    assert target.message_count == 2
    page = sophie.get(reverse("desk:conversation", args=[target.pk])).content.decode()
    assert f"#{second.conversation_id} was merged into this conversation." in page
    undo = reverse("desk:separate", args=[target.pk, second.conversation_id])
    assert f'action="{undo}"' in page

    answer = sophie.post(undo)
    assert answer.status_code == 302
    source = Conversation.objects.get(pk=second.conversation_id)
    target.refresh_from_db()
    assert source.merged_into_id is None
    assert (source.message_count, target.message_count) == (1, 1)
    assert Message.objects.get(pk=second.pk).conversation_id == source.pk
    assert source.participants.filter(address="bo@other.example").exists()
    assert not target.participants.filter(address="bo@other.example").exists()
    # Its note, its timeline and its words in the search index went back with it.
    notes = Event.objects.filter(conversation=source, kind=Event.Kind.NOTE)
    assert [n.data["text"] for n in notes] == ["Bo is the buyer's accountant"]
    found = sophie.get(reverse("desk:search"), {"q": "zanzibar"}).context["rows"]
    assert [r.conversation.pk for r in found] == [source.pk]
    found = sophie.get(reverse("desk:search"), {"q": "accountant"}).context["rows"]
    assert [r.conversation.pk for r in found] == [source.pk]
    assert Clock.objects.get(pk=source.pk).is_open  # waiting for an answer again
    # Both timelines say so; the old address is its own again.
    assert describe(Event.objects.get(conversation=source, kind=Event.Kind.SEPARATED)) == (
        f"Sophie undid the merge into #{target.pk}"
    )
    assert describe(Event.objects.get(conversation=target, kind=Event.Kind.SEPARATED)) == (
        f"Sophie undid the merge of #{source.pk}: it is on its own again"
    )
    assert sophie.get(reverse("desk:conversation", args=[source.pk])).status_code == 200
    page = sophie.get(reverse("desk:conversation", args=[target.pk])).content.decode()
    assert "was merged into this conversation." not in page
    # A reply to its message threads into it again, not into the other.
    [reply] = deliver(mail("u3@c.example", sender="bo@other.example", in_reply_to="u2@c.example"))
    assert reply.conversation_id == source.pk
    # Twice: a clear answer, nothing moves.
    again = sophie.post(undo)
    assert again.status_code == 400
    assert "is not merged into this conversation any more" in again.content.decode()


def test_an_agent_cannot_undo_a_merge_into_founder_mail(people) -> None:
    secret = routed("u4@fund.example", lane="founder", category="founder")
    other = routed("u5@fund.example", lane="founder", category="founder")
    camille = logged_in(people["camille"])
    camille.post(merge_url(other), {"into": secret.conversation_id, "confirm": "yes"})
    chris = logged_in(people["chris"])
    undo = reverse("desk:separate", args=[secret.conversation_id, other.conversation_id])
    assert chris.post(undo).status_code == 404
    assert (
        Conversation.objects.get(pk=other.conversation_id).merged_into_id == secret.conversation_id
    )


def test_a_merge_that_cannot_be_gets_a_clear_answer(people) -> None:
    first = routed("m3@c.example")
    secret = routed("m4@fund.example", lane="founder", category="founder")
    chris = logged_in(people["chris"])
    itself = chris.post(merge_url(first), {"into": str(first.conversation_id)})
    assert itself.status_code == 400
    assert b"cannot be merged into itself" in itself.content
    assert f'href="{reverse("desk:inbox")}"'.encode() in itself.content  # a way back
    assert chris.post(merge_url(first), {"into": "next week"}).status_code == 400
    # An agent cannot reach founder mail, not even by merging into it.
    assert chris.post(merge_url(first), {"into": str(secret.conversation_id)}).status_code == 404
    assert Message.objects.filter(conversation=first.conversation_id).count() == 1


def note_url(message: Message) -> str:
    return reverse("desk:note", args=[message.conversation_id])


def test_a_note_is_for_the_team_and_never_sent(people) -> None:
    from handoff.mailout.models import Outgoing

    message = routed("n1@c.example")
    chris = logged_in(people["chris"])
    sent_before = Outgoing.objects.count()
    answer = chris.post(note_url(message), {"text": "Client VIP <b>attention</b>\nRappeler lundi"})
    assert answer.status_code == 302
    note = Event.objects.get(conversation=message.conversation_id, kind=Event.Kind.NOTE)
    assert note.actor == people["chris"]
    assert Outgoing.objects.count() == sent_before  # nothing goes to the customer
    page = logged_in(people["sophie"]).get(
        reverse("desk:conversation", args=[message.conversation_id])
    )
    assert b"Client VIP &lt;b&gt;attention&lt;/b&gt;<br>Rappeler lundi" in page.content


def test_an_empty_or_unreachable_note_gets_a_clear_answer(people) -> None:
    message = routed("n2@c.example")
    secret = routed("n3@fund.example", lane="founder", category="founder")
    chris = logged_in(people["chris"])
    empty = chris.post(note_url(message), {"text": "   "})
    assert empty.status_code == 400
    assert b"A note needs some text" in empty.content
    assert chris.post(note_url(message), {"text": "x" * 20_001}).status_code == 400
    assert chris.post(note_url(secret), {"text": "hello"}).status_code == 404
    assert not Event.objects.filter(kind=Event.Kind.NOTE).exists()
