"""Customers rate the answers they get: signed links at the foot of each reply, a public page
that records the rating on its button (not on the click a mail scanner makes too)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from handoff.desk import actions, rating_views, ratings
from handoff.desk.models import Rating
from handoff.mailin.models import Mailbox
from handoff.mailout.models import Outgoing
from handoff.mailout.outbox import CannotSend
from handoff.tickets.models import Event
from tests.helpers import decided, deliver, mail

pytestmark = pytest.mark.django_db

BASE = "https://desk.acme.example"
LINK = re.compile(rf"{re.escape(BASE)}/rate/([^/\s]+)/")


@pytest.fixture(autouse=True)
def _desk(settings: Any) -> None:
    settings.PUBLIC_URL = BASE
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    cache.clear()  # the rate limits count in the cache, which outlives a test


def answered(people: dict[str, Any], language: str = "en", lane: str = "team") -> Outgoing:
    [question] = deliver(mail(f"q-{language}-{lane}@client.example", subject="Export cassé"))
    decided(question, lane=lane, category="support", language=language)
    return actions.reply(question.conversation, people["chris"], "Fixed, try again now.")


def links(outgoing: Outgoing) -> dict[str, str]:
    """The footer's links by score, as paths on the desk."""
    urls = [m.group(0) for m in LINK.finditer(outgoing.text)]
    assert len(urls) == 3, outgoing.text
    return dict(zip(ratings.SCORES, (urlsplit(url).path for url in urls), strict=True))


def send(client: Client, path: str, score: str, comment: str = "") -> Any:
    return client.post(path, {"score": score, "comment": comment})


@pytest.mark.parametrize(
    ("language", "footer"),
    [
        ("fr", "Notre réponse vous a-t-elle aidé ? Bien : {good} · Moyen : {okay} · Mal : {bad}"),
        ("en", "How did we do? Good: {good} · Okay: {okay} · Bad: {bad}"),
        ("de", "How did we do? Good: {good} · Okay: {okay} · Bad: {bad}"),
        ("", "How did we do? Good: {good} · Okay: {okay} · Bad: {bad}"),
    ],
)
def test_a_reply_ends_with_rating_links_in_the_customers_language(
    people, language: str, footer: str
) -> None:
    outgoing = answered(people, language)
    paths = links(outgoing)
    urls = {score: f"{BASE}{path}" for score, path in paths.items()}
    assert outgoing.text.startswith("Fixed, try again now.\n\n-- \n")
    assert outgoing.text.rstrip().endswith(footer.format(**urls))
    # The reply's own copy on the conversation carries them as sent.
    assert outgoing.record is not None
    assert footer.format(**urls) in outgoing.record.text
    for score, path in paths.items():
        link = ratings.read(path.split("/")[2])
        assert (link.conversation_id, link.score) == (outgoing.conversation_id, score)
        assert link.language == (language if language == "fr" else "en")
        assert ratings.reply_of(link) == outgoing.record


def test_no_footer_when_turned_off_nor_in_the_founders_lane(people, settings) -> None:
    assert "-- " not in answered(people, "en", lane="founder").text
    settings.RATING_LINKS = False
    assert answered(people, "fr").text == "Fixed, try again now."


def test_an_empty_reply_is_still_refused_as_empty(people) -> None:
    [question] = deliver(mail("empty@client.example"))
    with pytest.raises(CannotSend, match="empty"):
        actions.reply(question.conversation, people["chris"], "  \n")


def test_opening_a_link_records_nothing_and_the_button_records_the_rating(people) -> None:
    outgoing = answered(people, "en")
    client = Client(enforce_csrf_checks=True)
    page = client.get(links(outgoing)["okay"])
    assert page.status_code == 200
    assert page.headers["Cache-Control"].startswith("max-age=0")
    html = page.content.decode()
    assert re.search(r'<input[^>]*value="okay"[^>]*checked', html)
    assert "Export cassé" in html
    assert not Rating.objects.exists()  # a scanner opening all three links rates nothing

    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert csrf is not None
    done = client.post(
        links(outgoing)["okay"],
        {"score": "okay", "comment": "Quick, thanks.", "csrfmiddlewaretoken": csrf.group(1)},
    )
    assert done.status_code == 200
    assert "Thank you!" in done.content.decode()
    rating = Rating.objects.get()
    assert (rating.reply, rating.conversation_id) == (outgoing.record, outgoing.conversation_id)
    assert (rating.score, rating.comment) == ("okay", "Quick, thanks.")
    event = Event.objects.get(kind=Event.Kind.RATED)
    assert event.conversation_id == outgoing.conversation_id
    assert event.message == outgoing.record
    assert event.data == {"score": "okay", "comment": "Quick, thanks."}

    assert (
        Client(enforce_csrf_checks=True).post(links(outgoing)["bad"], {"score": "bad"}).status_code
        == 403
    )


def test_a_second_click_changes_the_score_one_rating_per_reply(people) -> None:
    outgoing = answered(people, "en")
    client = Client()
    assert send(client, links(outgoing)["good"], "good", "Great").status_code == 200
    page = client.get(links(outgoing)["bad"])
    assert "You already rated this answer: Good." in page.content.decode()
    assert "Great</textarea>" in page.content.decode()  # kept unless the customer changes it
    assert send(client, links(outgoing)["bad"], "bad").status_code == 200
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == ("bad", "")
    scores = (
        Event.objects.filter(kind=Event.Kind.RATED).order_by("pk").values_list("data", flat=True)
    )
    assert [d["score"] for d in scores] == ["good", "bad"]


def test_a_rating_follows_the_reply_into_the_conversation_it_was_merged_into(people) -> None:
    outgoing = answered(people, "en")
    [other] = deliver(mail("other@client.example", subject="Autre chose"))
    actions.merge(outgoing.record.conversation, other.conversation, people["sophie"])
    assert send(Client(), links(outgoing)["good"], "good").status_code == 200
    assert Rating.objects.get().conversation_id == other.conversation_id
    assert Event.objects.get(kind=Event.Kind.RATED).conversation_id == other.conversation_id


def test_a_forged_link_gets_a_clear_page(people) -> None:
    good = links(answered(people, "en"))["good"]
    token = good.split("/")[2]
    forged = [
        token.replace("-good-", "-bad-"),  # another score, the same signature
        token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),
        "nonsense",
    ]
    for path in [f"/rate/{t}/" for t in forged]:
        for answer in (Client().get(path), Client().post(path, {"score": "bad"})):
            assert answer.status_code == 400
            assert answer.headers["Content-Type"].startswith("text/html")
            assert "<h1>This link does not work</h1>" in answer.content.decode()
    assert not Rating.objects.exists()


def test_an_expired_link_gets_a_clear_page_in_the_customers_language(people, settings) -> None:
    paths = links(answered(people, "fr"))
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        for answer in (
            Client().get(paths["good"]),
            Client().post(paths["good"], {"score": "good"}),
        ):
            assert answer.status_code == 410
            assert '<html lang="fr">' in answer.content.decode()
            assert answer.headers["Content-Language"] == "fr"
        settings.RATING_LINK_DAYS = 60
        assert Client().get(paths["good"]).status_code == 200
    assert not Rating.objects.exists()


def test_a_link_whose_reply_is_gone_says_so(people) -> None:
    outgoing = answered(people, "en")
    Outgoing.objects.filter(pk=outgoing.pk).update(record=None)
    answer = Client().get(links(outgoing)["good"])
    assert answer.status_code == 410
    assert "can no longer be rated" in answer.content.decode()


def test_too_many_requests_on_one_reply_or_from_one_address_get_429(people) -> None:
    client = Client()
    paths = links(answered(people, "en"))
    count, _seconds = rating_views.REPLY_LIMIT
    for i in range(count):
        assert client.get(paths[ratings.SCORES[i % 3]]).status_code == 200
    answer = client.get(paths["good"])
    assert answer.status_code == 429
    assert int(answer.headers["Retry-After"]) > 0
    assert "<h1>Too many tries</h1>" in answer.content.decode()

    cache.clear()
    count, _seconds = rating_views.ADDRESS_LIMIT
    for _ in range(count):
        assert client.get("/rate/nonsense/").status_code == 400
    assert client.get(paths["good"]).status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.7").get(paths["good"]).status_code == 200


def test_a_comment_over_2000_characters_is_refused_clearly(people) -> None:
    path = links(answered(people, "en"))["bad"]
    answer = send(Client(), path, "bad", "x" * 2001)
    assert answer.status_code == 400
    assert "at most 2000 characters (it has 2001)" in answer.content.decode()
    assert 'aria-invalid="true"' in answer.content.decode()
    assert not Rating.objects.exists()
    # Line breaks count once, as the browser counts them in the box.
    assert send(Client(), path, "bad", "123456789\r\n" * 200).status_code == 200
    assert len(Rating.objects.get().comment) == 1999


def test_a_comment_with_markup_is_kept_as_text_and_shown_escaped(people) -> None:
    path = links(answered(people, "en"))["okay"]
    comment = '<script>alert("x")</script><b>bold</b>'
    answer = send(Client(), path, "okay", comment)
    assert Rating.objects.get().comment == comment
    for page in (answer, Client().get(path)):
        html = page.content.decode()
        assert "&lt;script&gt;" in html
        assert "<script>" not in html
        assert "<b>bold</b>" not in html


def test_a_score_that_is_not_one_is_refused(people) -> None:
    path = links(answered(people, "en"))["good"]
    assert send(Client(), path, "great").status_code == 400
    assert not Rating.objects.exists()
    with pytest.raises(ValueError, match="not a score"):
        ratings.rate(Outgoing.objects.get().record, "great")
