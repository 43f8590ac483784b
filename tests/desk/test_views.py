from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from handoff.accounts.models import Role, User
from handoff.tickets.models import Conversation
from handoff.triage import lanes
from handoff.triage.models import Tag
from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def test_every_desk_page_wants_a_login(people) -> None:
    [message] = deliver(mail("a@c.example"))
    attachment_less = [
        reverse("desk:inbox"),
        reverse("desk:conversation", args=[message.conversation_id]),
        reverse("desk:quarantine"),
        reverse("desk:attachment", args=[1]),
    ]
    for url in attachment_less:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_with_email_and_password(people) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "chris@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("desk:inbox")).status_code == 200


def test_a_login_without_a_desk_role_sees_nothing(people) -> None:
    deliver(mail("a@c.example", subject="Secret"))
    outsider = User.objects.create_user("x@else.example", PASSWORD, role="")
    client = logged_in(outsider)
    assert b"Secret" not in client.get(reverse("desk:inbox")).content


def test_mail_text_is_escaped_never_rendered(people) -> None:
    [message] = deliver(
        mail("x@c.example", subject="<b>bold</b>", body="<script>alert(1)</script>")
    )
    page = logged_in(people["chris"]).get(
        reverse("desk:conversation", args=[message.conversation_id])
    )
    assert b"<script>alert(1)" not in page.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page.content
    assert b"&lt;b&gt;bold&lt;/b&gt;" in page.content


def test_quoted_text_is_folded_not_lost(people) -> None:
    body = "Merci, c'est réglé.\n\nLe lun. 2 nov. 2026 à 10:00, Chris <chris@acme.example> a écrit :\n> Essayez de vider le cache.\n"
    [message] = deliver(mail("f@c.example", body=body))
    page = logged_in(people["chris"]).get(
        reverse("desk:conversation", args=[message.conversation_id])
    )
    text = page.content.decode()
    assert "Merci, c&#x27;est réglé." in text
    assert '<details class="folded">' in text
    assert "Essayez de vider le cache." in text.split('<details class="folded">')[1]


def test_attachments_download_with_their_bytes_and_never_render(people) -> None:
    from email.message import EmailMessage

    email = EmailMessage()
    email["From"] = "julie@client.example"
    email["Message-ID"] = "<att@c.example>"
    email.set_content("voir pièce jointe")
    email.add_attachment(
        b"<html><script>x()</script></html>", maintype="text", subtype="html", filename="page.html"
    )
    [message] = deliver(email.as_bytes())
    attachment = message.attachments.get()
    response = logged_in(people["chris"]).get(reverse("desk:attachment", args=[attachment.pk]))
    assert response.content == b"<html><script>x()</script></html>"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="page.html"')


def test_merged_conversation_redirects_to_where_it_went(people) -> None:
    from handoff.tickets.ingest import merge
    from handoff.tickets.models import Conversation

    [a] = deliver(mail("m1@c.example", subject="one"))
    [b] = deliver(mail("m2@c.example", subject="two", sender="zoe@else.example"))
    merge(
        Conversation.objects.get(pk=b.conversation_id),
        into=Conversation.objects.get(pk=a.conversation_id),
    )
    response = logged_in(people["chris"]).get(
        reverse("desk:conversation", args=[b.conversation_id])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:conversation", args=[a.conversation_id])


def test_quarantine_is_for_the_head_and_admins(people) -> None:
    assert logged_in(people["chris"]).get(reverse("desk:quarantine")).status_code == 404
    assert logged_in(people["sophie"]).get(reverse("desk:quarantine")).status_code == 200


def test_the_quarantine_says_in_the_readers_language_what_a_warning_means(people) -> None:
    """The parser's warnings are a developer's English; beside them, the head reads what
    they mean. Latin-1 bytes labelled US-ASCII, and a date nobody can read."""
    raw = mail("lied@c.example", subject="Facture", body="Merci beaucoup")
    raw = raw.replace(b"Merci beaucoup", "Réglé, merci".encode("latin-1"))
    raw = raw.replace(b"Content-Type: text/plain", b"Content-Type: text/plain; charset=us-ascii")
    raw = raw.replace(b"Subject:", b"Date: the day after tomorrow\nSubject:")
    [message] = deliver(raw)
    assert message.warnings == [
        "header date: cannot read 'the day after tomorrow'",
        "text is not valid us-ascii",
    ]
    client = logged_in(people["sophie"])
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("desk:quarantine")).content.decode()
    assert "<summary>Date illisible; Jeu de caractères erroné : texte lu au mieux</summary>" in page
    assert "text is not valid us-ascii" in page  # the detail, for whoever digs
    conversation = client.get(reverse("desk:conversation", args=[message.conversation_id]))
    assert "Date illisible <small>(header date: cannot read" in conversation.content.decode()


def test_inbox_query_count_does_not_grow_with_conversations(
    people, django_assert_num_queries
) -> None:
    client = logged_in(people["chris"])
    deliver(
        *(
            mail(f"n{i}@c.example", subject=f"Question {i}", sender=f"c{i}@c.example")
            for i in range(30)
        )
    )
    Tag.objects.create(name="bug", colour="red")
    for conversation_id in Conversation.objects.values_list("pk", flat=True)[:10]:
        lanes.choose(conversation_id, tags=["bug"], priority="high")
    # session, user, count, page (with the lanes: tags and priority), the people a
    # selection may be assigned to, the tags it may be given, "For you"
    with django_assert_num_queries(7):
        page = client.get(reverse("desk:inbox"))
    assert page.content.decode().count('<span class="tag tag-red">bug</span>') == 10


def test_conversation_query_count_does_not_grow_with_messages(
    people, django_assert_num_queries
) -> None:
    client = logged_in(people["chris"])
    ids = [f"t{i}@c.example" for i in range(12)]
    messages = deliver(
        *(mail(mid, in_reply_to=ids[i - 1] if i else None) for i, mid in enumerate(ids))
    )
    # session, user, conversation, access, messages, attachments; then who may take it
    # (is it founder mail, the people), who holds it (the clock), the notes, its lane, its
    # timeline, its ledger tasks, the customer panel (their last message, their other
    # conversations, their company's, the answers promised), the saved replies, the
    # person's replies waiting out their undo window, the reader's time zone and "For
    # you", the list of tags; and, as it waits in the queue, why (the roster: the teams,
    # absences and people): none per message.
    with django_assert_num_queries(25):
        page = client.get(reverse("desk:conversation", args=[messages[0].conversation_id]))
    assert page.status_code == 200
    assert page.content.count(b'<article class="message') == 12


def test_french_interface(people) -> None:
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    assert b"Conversations" in client.get(reverse("desk:inbox")).content
    page = client.get(reverse("desk:inbox")).content.decode()
    assert "Aucune conversation pour l’instant." in page  # a new desk
    page = client.get(reverse("desk:inbox") + "?queue=snoozed").content.decode()
    assert "Rien dans cette file pour l’instant." in page  # an empty queue is not a new desk


def test_unknown_conversation_is_404(people) -> None:
    assert (
        logged_in(people["chris"]).get(reverse("desk:conversation", args=[999])).status_code == 404
    )


def test_a_host_the_desk_does_not_serve_gets_the_400_page() -> None:
    """Refused before the session is read: the page has no one's navigation to show."""
    response = Client(HTTP_HOST="elsewhere.example", raise_request_exception=False).get("/")
    assert response.status_code == 400


def test_roles(people) -> None:
    assert {u.role for u in people.values()} == {Role.FOUNDER, Role.HEAD, Role.AGENT}


def test_founder_lane_conversations_are_hidden_from_agents(people) -> None:
    [secret] = deliver(mail("s1@fund.example", subject="Board deck Q4", sender="jane@fund.example"))
    [public] = deliver(mail("p1@client.example", subject="Login problem"))
    decided(secret, lane="founder", category="founder", language="en", confidence=1.0)
    decided(public, lane="team", category="support", language="en", confidence=0.9)
    agent, head, founder = (logged_in(people[p]) for p in ("chris", "sophie", "camille"))
    assert b"Board deck Q4" not in agent.get(reverse("desk:inbox")).content
    assert b"Login problem" in agent.get(reverse("desk:inbox")).content
    assert agent.get(reverse("desk:conversation", args=[secret.conversation_id])).status_code == 404
    assert b"Board deck Q4" in head.get(reverse("desk:inbox")).content
    assert (
        founder.get(reverse("desk:conversation", args=[secret.conversation_id])).status_code == 200
    )
