"""Replying from the desk: a saved reply's placeholders filled in for the conversation (the
one in the customer's language offered first), Cc and Bcc, the person's signature, "send
and solve", and the limits refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from handoff.desk.models import SavedReply
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.tickets.models import Conversation
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(people):
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    (message,) = deliver(
        mail("q@client.example", sender="Ana Lima <ana@client.example>", subject="Refund?")
    )
    decided(message, lane="team", category="billing", language="fr")
    return message.conversation


def test_a_saved_reply_is_filled_in_and_the_customers_language_comes_first(
    people, question
) -> None:
    english = SavedReply.objects.create(title="Refund (en)", language="en", body="Hello")
    french = SavedReply.objects.create(
        title="Remboursement",
        language="fr",
        body="Bonjour {customer.first_name}, c'est noté (n° {conversation.number}). {agent.first_name}",
    )
    SavedReply.objects.create(title="Sophie's own", body="x", owner=people["sophie"])
    chris = logged_in(people["chris"])
    page = chris.get(f"/c/{question.pk}/")
    offered = [r.title for r in page.context["saved_replies"]]
    assert offered == ["Remboursement", "Refund (en)"]  # not Sophie's own
    filled = chris.get(f"/c/{question.pk}/", {"saved": french.pk}).context["draft"]
    assert filled == f"Bonjour Ana, c'est noté (n° {question.pk}). Chris"
    assert english.pk


def test_an_unknown_placeholder_is_refused_with_the_known_ones(people) -> None:
    answer = logged_in(people["sophie"]).post(
        "/replies/",
        {"title": "Oops", "body": "Hi {customer.age} {customer.first_name}", "shared": "1"},
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Unknown placeholder {customer.age}" in text
    assert "{customer.first_name}" in text
    assert not SavedReply.objects.exists()
    # The head shares; an agent keeps their own, and cannot change the team's.
    assert (
        logged_in(people["sophie"])
        .post("/replies/", {"title": "T", "body": "b", "shared": "1"})
        .status_code
        == 302
    )
    shared = SavedReply.objects.get()
    assert shared.owner is None
    chris = logged_in(people["chris"])
    chris.post("/replies/", {"title": "Mine", "body": "b", "shared": "1"})
    assert SavedReply.objects.get(title="Mine").owner == people["chris"]
    assert chris.post(f"/replies/{shared.pk}/", {"title": "X", "body": "y"}).status_code == 404
    assert chris.post(f"/replies/{shared.pk}/delete/").status_code == 404


def test_cc_bcc_signature_and_send_and_solve(
    people, question, django_capture_on_commit_callbacks
) -> None:
    people["chris"].signature = "Chris — Acme support\n+33 1 23 45 67 89"
    people["chris"].save()
    chris = logged_in(people["chris"])
    with django_capture_on_commit_callbacks():
        answer = chris.post(
            f"/c/{question.pk}/reply/",
            {"text": "C'est remboursé.", "cc": "compta@client.example; boss@client.example",
             "bcc": "audit@acme.example", "then": ["pending", "solved"]},
        )  # fmt: skip
    assert answer.status_code == 302
    assert answer.url.endswith("?sent=1")  # the browser forgets the draft
    sent = Outgoing.objects.get()
    assert sent.cc == ["compta@client.example", "boss@client.example"]
    assert sent.bcc == ["audit@acme.example"]
    assert "\n\n-- \nChris — Acme support\n+33 1 23 45 67 89" in sent.text
    assert Conversation.objects.get(pk=question.pk).status == "solved"  # "Send and solve"
    from handoff.mailout.compose import email_of

    built = email_of(sent).message()
    assert built["Cc"] == "compta@client.example, boss@client.example"
    assert "Bcc" not in built  # the envelope only
    assert "audit@acme.example" in email_of(sent).recipients()


@pytest.mark.parametrize(
    ("data", "files", "says"),
    [
        ({"text": "x" * 100_001}, 0, "at most 100,000"),
        ({"text": "Hi"}, 11, "11 files attached; a reply carries at most 10"),
        ({"text": "Hi", "big": True}, 1, "a reply carries at most 10.0"),
        ({"text": "Hi", "cc": "not an address"}, 0, "not an email address"),
    ],
)
def test_what_a_reply_may_carry_is_refused_clearly(people, question, data, files, says) -> None:
    big = data.pop("big", False)
    uploads = [
        SimpleUploadedFile(f"f{i}.txt", b"x" * (11 * 1024 * 1024 if big else 10), "text/plain")
        for i in range(files)
    ]
    answer = logged_in(people["chris"]).post(
        f"/c/{question.pk}/reply/", {**data, "attachments": uploads}, follow=True
    )
    assert says in answer.content.decode()
    assert not Outgoing.objects.exists()


def test_a_reply_to_a_conversation_the_person_cannot_read_is_404(people) -> None:
    (board,) = deliver(mail("vc@fund.example", sender="vera@fund.example", subject="Term sheet"))
    decided(board, lane="founder", category="founder")
    chris = logged_in(people["chris"])
    answer = chris.post(f"/c/{board.conversation_id}/reply/", {"text": "Hello"})
    assert answer.status_code == 404
    assert chris.post("/c/99999/reply/", {"text": "Hello"}).status_code == 404
    assert not Outgoing.objects.exists()
