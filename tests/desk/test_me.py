"""A person's own page and "For you": their language and time zone used by the desk,
their signature; told in the desk when someone gives them a conversation, and by email
only when they asked for it."""

from __future__ import annotations

import pytest
from django.conf import settings

from handoff.routing.actions import route
from handoff.routing.models import Notification
from handoff.routing.notify import unsent
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def test_language_time_zone_and_signature(people) -> None:
    chris = logged_in(people["chris"])
    answer = chris.post(
        "/me/",
        {"name": "Chris W.", "language": "fr", "time_zone": "Asia/Tokyo",
         "signature": "Chris\nAcme", "mail_when_assigned": "1"},
    )  # fmt: skip
    assert answer.status_code == 302
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    people["chris"].refresh_from_db()
    assert (people["chris"].language, people["chris"].time_zone) == ("fr", "Asia/Tokyo")
    assert people["chris"].mail_when_assigned
    deliver(mail("tz@client.example", subject="Heure"))  # 2 Nov 2026 09:00 UTC
    assert "2026-11-02 18:00" in chris.get("/").content.decode()  # in Tokyo
    start = logged_in(people["chris"]).get("/start/")
    assert start.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"language": "xx"}, "Not a language of the desk"),
        ({"time_zone": "Mars/Olympus"}, "Not a time zone"),
    ],
)
def test_bad_settings_get_a_clear_answer(people, data, says) -> None:
    answer = logged_in(people["chris"]).post("/me/", data)
    assert answer.status_code == 400
    assert says in answer.content.decode()


def test_given_a_conversation_a_person_is_told_in_the_desk_and_by_mail_if_they_chose(
    people,
) -> None:
    first, second = deliver(
        mail("g1@client.example", subject="First"), mail("g2@client.example", subject="Second")
    )
    decided(None, lane="team", category="support")
    route([first.conversation_id, second.conversation_id])
    sophie, chris = logged_in(people["sophie"]), logged_in(people["chris"])
    sophie.post(f"/c/{first.conversation_id}/assign/", {"assignee": people["chris"].pk})
    told = Notification.objects.get(user=people["chris"], kind="assigned")
    assert told.text == f"Sophie gave you #{first.conversation_id} “First”."
    assert told.sent_at is not None  # the desk only: Chris did not ask for mail
    assert '<strong class="count">1</strong>' in chris.get("/").content.decode()
    page = chris.get("/for-you/").content.decode()
    assert f'href="/c/{first.conversation_id}/"' in page
    assert '<strong class="count">' not in chris.get("/").content.decode()  # seen
    people["chris"].mail_when_assigned = True
    people["chris"].save()
    sophie.post(f"/c/{second.conversation_id}/assign/", {"assignee": people["chris"].pk})
    assert [n.text for n in unsent()] == [f"Sophie gave you #{second.conversation_id} “Second”."]
    chris.post(f"/c/{second.conversation_id}/assign/", {"assignee": people["chris"].pk})
    assert Notification.objects.filter(kind="assigned").count() == 2  # not for taking it oneself


def test_a_notification_naming_several_conversations_links_each(people) -> None:
    first, second = deliver(
        mail("n1@client.example", subject="One"), mail("n2@client.example", subject="Two")
    )
    Notification.objects.create(
        kind="breach",
        user=people["sophie"],
        text=f"2 conversations missed a target: #{first.conversation_id}, "
        f"#{second.conversation_id} <b>it's</b>",
    )
    page = logged_in(people["sophie"]).get("/for-you/").content.decode()
    for message in (first, second):
        number = message.conversation_id
        assert f'<a href="/c/{number}/">#{number}</a>' in page
    assert "&lt;b&gt;it&#x27;s&lt;/b&gt;" in page  # the rest is text
