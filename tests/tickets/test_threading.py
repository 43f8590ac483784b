from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from handoff.lib.subjects import desk_token, subject_key
from handoff.mailin.models import Mailbox
from handoff.tickets.models import Conversation, Event
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Facture de mars",
        "RE : Facture de mars",
        "TR: Facture de mars",
        "Fwd: Re: Facture de mars",
        "AW: Facture de mars",
        "Réf : Facture de mars",
        "Re[2]: Facture de mars",
        "[HO-12] Re: Facture de mars",
        "  facture   DE mars ",
    ],
)
def test_subject_key_drops_prefixes_in_many_languages(subject: str) -> None:
    assert subject_key(subject) == "facture de mars"


def test_desk_token() -> None:
    assert desk_token("Re: [HO-42] Votre demande") == 42
    assert desk_token("Votre demande") is None


THREAD = [
    mail("root@c.example", subject="Export PDF cassé"),
    mail(
        "r1@acme.example",
        subject="Re: Export PDF cassé",
        sender="support@acme.example",
        to="ana@client.example",
        in_reply_to="root@c.example",
        references=["root@c.example"],
    ),
    mail(
        "r2@c.example",
        subject="Re: Export PDF cassé",
        in_reply_to="r1@acme.example",
        references=["root@c.example", "r1@acme.example"],
    ),
    mail("r3@c.example", subject="Re: Export PDF cassé", in_reply_to="r2@c.example"),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_import_order_does_not_matter(order: tuple[int, ...]) -> None:
    for index in order:
        deliver(THREAD[index])
    live = Conversation.objects.filter(merged_into=None)
    assert live.count() == 1
    assert live.get().messages.count() == 4


def test_a_reply_before_its_parent_is_joined_when_the_parent_comes() -> None:
    [last] = deliver(THREAD[3])
    [parent] = deliver(THREAD[2])
    assert parent.conversation_id == last.conversation_id


def test_the_missing_link_merges_two_conversations_and_says_so() -> None:
    [early] = deliver(THREAD[1])
    # From a colleague of the customer: the subject fallback does not apply.
    [late] = deliver(THREAD[3].replace(b"From: ana@client.example", b"From: bob@client.example"))
    assert early.conversation_id != late.conversation_id
    [link] = deliver(THREAD[2])
    assert link.conversation_id == early.conversation_id
    late_conversation = Conversation.objects.get(pk=late.conversation_id)
    assert late_conversation.merged_into_id == early.conversation_id
    assert Conversation.objects.get(pk=early.conversation_id).message_count == 3
    assert (
        Event.objects.filter(kind=Event.Kind.MERGED, conversation_id=early.conversation_id).count()
        == 1
    )


def test_two_replies_to_an_absent_message_stay_apart_until_it_comes() -> None:
    a = mail("a@c.example", subject="Re: x", in_reply_to="gone@c.example")
    b = mail(
        "b@other.example", subject="Re: y", sender="bob@other.example", in_reply_to="gone@c.example"
    )
    deliver(a, b)
    assert Conversation.objects.filter(merged_into=None).count() == 2
    deliver(mail("gone@c.example", subject="x"))
    assert Conversation.objects.filter(merged_into=None).count() == 1


def test_the_desk_token_threads_a_reply_without_headers() -> None:
    [first] = deliver(mail("q@c.example", subject="Question tarifs"))
    token = first.conversation.token
    [answer] = deliver(mail("other@c.example", subject=f"Re: {token} Question tarifs"))
    assert answer.conversation_id == first.conversation_id


def test_subject_fallback_needs_the_same_people() -> None:
    [first] = deliver(
        mail(
            "q1@c.example",
            subject="Remboursement",
            sender="ana@client.example",
            to="support@acme.example",
        )
    )
    [same] = deliver(
        mail(
            "q2@c.example",
            subject="RE : Remboursement",
            sender="ana@client.example",
            to="support@acme.example",
            date=datetime(2026, 11, 3, tzinfo=UTC),
        )
    )
    [stranger] = deliver(
        mail(
            "q3@c.example",
            subject="Re: Remboursement",
            sender="zoe@else.example",
            to="support@acme.example",
        )
    )
    assert same.conversation_id == first.conversation_id
    assert stranger.conversation_id != first.conversation_id


def test_subject_fallback_is_bounded_in_time() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    [first] = deliver(mail("t1@c.example", subject="Remboursement", date=start))
    [late] = deliver(
        mail("t2@c.example", subject="Re: Remboursement", date=start + timedelta(days=90))
    )
    assert late.conversation_id != first.conversation_id


def test_list_mail_never_threads_by_subject() -> None:
    listed = mail("l1@c.example", subject="Re: Remboursement").replace(
        b"Subject:", b"List-Id: <news.example>\nSubject:", 1
    )
    [first] = deliver(mail("l0@c.example", subject="Remboursement"))
    [post] = deliver(listed)
    assert post.conversation_id != first.conversation_id


def test_the_teams_answer_from_its_own_mail_makes_a_new_conversation_open() -> None:
    """An answer sent from someone's mail client (not the desk's reply button, which sets
    the status it is told) means the conversation is no longer new; an acknowledgement the
    desk's address sent automatically does not."""
    Mailbox.objects.create(address="support@acme.example")
    (question,) = deliver(mail("q1@client.example"))
    conversation = Conversation.objects.get(pk=question.conversation_id)
    assert conversation.status == Conversation.Status.NEW
    team = {"sender": "support@acme.example", "to": "ana@client.example", "subject": "Re: Q"}
    ack = mail("ack1@acme.example", in_reply_to="q1@client.example", **team)
    deliver(ack.replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:"))
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.NEW
    (answer,) = deliver(mail("a1@acme.example", in_reply_to="q1@client.example", **team))
    assert answer.direction == "out"
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.OPEN
