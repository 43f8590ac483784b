"""Long messages: the page shows each text cut at HANDOFF_BODY_SHOW_CHARS (an HTML part, in
its frame, at HANDOFF_HTML_SHOW_CHARS), with "Show all" for that one message."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.desk.test_html import html_mail
from tests.helpers import deliver, logged_in, mail

pytestmark = pytest.mark.django_db

LINE = "Journal de la synchronisation, ligne numéro {:07d}\n"


def test_a_ten_megabyte_message_makes_a_small_page_until_shown_whole(people) -> None:
    body = "".join(LINE.format(i) for i in range(200_000)) + "LA DERNIÈRE LIGNE\n"
    assert len(body) > 10_000_000
    [message] = deliver(mail("long@client.example", body=body))
    client = logged_in(people["chris"])
    url = reverse("desk:conversation", args=[message.conversation_id])
    with CaptureQueriesContext(connection) as cut_queries:
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.content) < 200_000
    text = page.content.decode()
    assert "ligne numéro 0000000<br>" in text
    assert "LA DERNIÈRE LIGNE" not in text
    length = len(message.text)
    assert f'href="?all={message.pk}#m{message.pk}"' in text
    assert f"Show all ({length:,} characters)" in text

    with CaptureQueriesContext(connection) as whole_queries:
        whole = client.get(f"{url}?all={message.pk}")
    assert "LA DERNIÈRE LIGNE" in whole.content.decode()
    assert len(whole.content) > 10_000_000
    assert "Show all (" not in whole.content.decode()
    assert len(whole_queries) == len(cut_queries)  # one query for the messages either way


def test_the_cut_is_configurable_and_counts_characters(people, settings) -> None:
    settings.BODY_SHOW_CHARS = 100
    body = "é" * 99 + "|ZYX|" + "w" * 400
    [long, short] = deliver(
        mail("c1@client.example", body=body), mail("c2@other.example", body="court")
    )
    client = logged_in(people["chris"])
    text = client.get(reverse("desk:conversation", args=[long.conversation_id])).content.decode()
    assert "é" * 99 + "|" in text  # the first 100 characters, not bytes
    assert "|ZYX" not in text
    assert f"Show all ({len(long.text):,} characters)" in text
    short_page = client.get(reverse("desk:conversation", args=[short.conversation_id]))
    assert "Show all" not in short_page.content.decode()
    other = client.get(
        reverse("desk:conversation", args=[long.conversation_id]) + f"?all={short.pk}"
    ).content.decode()
    assert "|ZYX" not in other  # ?all= names another message: this one stays cut


def test_the_french_link(people, settings) -> None:
    settings.BODY_SHOW_CHARS = 100
    [message] = deliver(mail("c3@client.example", body="mot " * 300))
    client = logged_in(people["chris"])
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("desk:conversation", args=[message.conversation_id]))
    assert "Tout afficher (1" in page.content.decode()


def test_a_long_html_part_is_cut_in_its_frame(people, settings) -> None:
    settings.HTML_SHOW_CHARS = 1000
    tail = "<p>FIN DU MESSAGE</p>"
    [message] = deliver(
        html_mail("c4@client.example", "<p>début</p>" + "<p>texte</p>" * 500 + tail)
    )
    client = logged_in(people["chris"])
    conversation = reverse("desk:conversation", args=[message.conversation_id])
    frame = reverse("desk:message_html", args=[message.conversation_id, message.pk])
    page = client.get(conversation).content.decode()
    assert "Show all of the HTML (" in page
    cut = client.get(frame).content.decode()
    assert "début" in cut
    assert "FIN DU MESSAGE" not in cut
    assert "Cut at 1,000 of" in cut
    page = client.get(f"{conversation}?all={message.pk}").content.decode()
    assert f'src="{frame}?all=1"' in page
    assert "Show all of the HTML" not in page
    whole = client.get(f"{frame}?all=1").content.decode()
    assert "FIN DU MESSAGE" in whole
    assert "Cut at" not in whole


def test_showing_more_of_an_open_page_is_not_another_peek(people, settings) -> None:
    from handoff.desk.models import Peek

    settings.BODY_SHOW_CHARS = 100
    [message] = deliver(html_mail("c5@client.example", "<p>x</p>" * 100))
    camille = logged_in(people["camille"])  # the founder, on a team conversation
    url = reverse("desk:conversation", args=[message.conversation_id])
    camille.get(url)
    camille.get(f"{url}?all={message.pk}")
    camille.get(f"{url}?images={message.pk}")
    assert Peek.objects.filter(kind=Peek.Kind.CONVERSATION).count() == 1
