"""The ledger's tasks through the desk: created (from scratch and from a conversation),
delegated, kept with an estimate, time recorded, checked in, finished; every change on
the task's timeline; who may see and do what; and a clear answer to bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from handoff.ledger import actions, checkins
from handoff.ledger.actions import Draft, Refused
from handoff.ledger.models import Band, CheckIn, Task, TimeEntry
from handoff.tickets.models import Event
from tests.helpers import deliver, logged_in, mail

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 10, 9, 0, tzinfo=UTC)  # a Tuesday
TODAY = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bands() -> dict[int, Band]:
    return {h: Band.objects.create(hourly=h, currency="USD") for h in (10, 100, 1000, 10_000)}


def kinds(task: Task) -> list[str]:
    return list(task.events.values_list("kind", flat=True))


def test_a_task_from_a_conversation_is_delegated_checked_in_and_done(people, bands) -> None:
    (message,) = deliver(mail("q@client.example", subject="Can we resell you in Japan?"))
    camille, chris = logged_in(people["camille"]), logged_in(people["chris"])
    page = camille.get(f"/c/{message.conversation_id}/")
    assert f'/ledger/new/?conversation={message.conversation_id}"' in page.text  # the way in
    form = camille.get(f"/ledger/new/?conversation={message.conversation_id}")
    assert 'value="Can we resell you in Japan?"' in form.text
    created = camille.post(
        "/ledger/new/",
        {
            "conversation": message.conversation_id,
            "title": "Decide on a Japanese reseller",
            "outcome": "A yes or a no, with the margin we accept",
            "band": "1000",
            "owner": "sophie@acme.example",
            "due": "2026-11-30",
            "checkin": ["2026-11-12", "2026-11-19", ""],
        },
    )
    task = Task.objects.get()
    assert created.status_code == 302
    assert created.url == f"/ledger/{task.pk}/"
    assert (task.owner, task.band, task.due) == (people["sophie"], bands[1000], date(2026, 11, 30))
    assert task.source == Task.Source.CONVERSATION
    assert list(task.checkins.values_list("on", flat=True)) == [
        date(2026, 11, 12),
        date(2026, 11, 19),
    ]
    assert kinds(task) == ["created", "owner", "checkin_set", "checkin_set"]
    # On the conversation's timeline too, and linked from its page.
    entry = Event.objects.get(conversation=message.conversation, kind=Event.Kind.TASK)
    assert entry.data == {"task": task.pk, "title": "Decide on a Japanese reseller"}
    assert f"/ledger/{task.pk}/" in camille.get(f"/c/{message.conversation_id}/").text

    # Sophie hands it on to Chris, who sees it and nothing else, and checks in.
    sophie = logged_in(people["sophie"])
    assert (
        sophie.post(f"/ledger/{task.pk}/owner/", {"owner": people["chris"].pk}).status_code == 302
    )
    assert chris.get(f"/ledger/{task.pk}/").status_code == 200
    reply = chris.post(
        f"/ledger/{task.pk}/checkin/", {"status": "needs_help", "text": "Which margin?"}
    )
    assert reply.status_code == 302
    first = CheckIn.objects.get(task=task, on=date(2026, 11, 12))
    assert (first.status, first.text, first.answered_by) == (
        "needs_help",
        "Which margin?",
        people["chris"],
    )
    chris.post(f"/ledger/{task.pk}/time/", {"spent": "1h30"})
    chris.post(f"/ledger/{task.pk}/status/", {"status": "done"})
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert task.done_at == NOW
    assert TimeEntry.objects.get().minutes == 90
    assert kinds(task)[-4:] == ["owner", "checked_in", "time", "status"]
    shown = chris.get(f"/ledger/{task.pk}/").text
    assert "Which margin?" in shown
    assert "1 h 30" in shown


def test_the_founder_keeps_a_task_estimates_it_and_the_timer_counts(people, bands) -> None:
    camille = logged_in(people["camille"])
    camille.post(
        "/ledger/new/", {"title": "Rewrite the pricing page", "band": "10", "estimate": "5m"}
    )
    task = Task.objects.get()
    assert task.owner is None
    assert task.estimate_minutes == 5
    camille.post(f"/ledger/{task.pk}/owner/", {"mine": "1"})  # "I'll take care of it"
    task.refresh_from_db()
    assert task.owner == people["camille"]
    camille.post(f"/ledger/{task.pk}/timer/", {"run": "1"})
    with time_machine.travel(NOW + timedelta(hours=2, minutes=10), tick=False):
        camille.post(f"/ledger/{task.pk}/timer/", {})
        camille.post(f"/ledger/{task.pk}/status/", {"status": "done", "spent": "3d"})
    entries = list(TimeEntry.objects.order_by("pk").values_list("minutes", "timed"))
    assert entries == [(130, True), (3 * 8 * 60, False)]
    page = camille.get(f"/ledger/{task.pk}/").text
    assert "over the estimate" in page
    assert "I&#x27;ll take care of it" in page or "“I'll take care of it”" in page


def test_an_agent_sees_only_the_tasks_they_own(people, bands) -> None:
    theirs = actions.create(
        Draft("Call the bank", owner="chris@acme.example"), actor=people["camille"]
    )
    other = actions.create(
        Draft("Board deck", owner="camille@acme.example"), actor=people["camille"]
    )
    chris = logged_in(people["chris"])
    listed = chris.get("/ledger/").text
    assert "Call the bank" in listed
    assert "Board deck" not in listed
    for path in (f"/ledger/{other.pk}/", f"/ledger/{other.pk}/checkin/"):
        assert chris.get(path).status_code in (404, 405)
    assert chris.post(f"/ledger/{other.pk}/checkin/", {"status": "on_track"}).status_code == 404
    assert chris.post(f"/ledger/{other.pk}/time/", {"spent": "1h"}).status_code == 404
    # Their own: they update it, but the frame, the owner and the estimate are the managers'.
    for what, data in [
        ("owner", {"mine": "1"}),
        ("edit", {"title": "x"}),
        ("estimate", {"estimate": "1h"}),
    ]:
        assert chris.post(f"/ledger/{theirs.pk}/{what}/", data).status_code == 404
    assert chris.get("/ledger/new/").status_code == 404
    assert chris.get("/ledger/bands/").status_code == 404
    assert chris.post(f"/ledger/{theirs.pk}/status/", {"status": "dropped"}).status_code == 404
    assert (
        chris.post(
            f"/ledger/{theirs.pk}/checkin/", {"status": "on_track", "text": "ok"}
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("path", "data", "says"),
    [
        ("time", {"spent": "-2h"}, "cannot be negative"),
        ("time", {"spent": "0"}, "more than zero"),
        ("time", {"spent": "900h"}, "not believable"),
        ("time", {"spent": "soon"}, "is not a duration"),
        ("time", {"spent": "1h", "on": "2026-11-11"}, "a day still to come"),
        ("estimate", {"estimate": "100000h"}, "not believable"),
        ("checkin-add", {"on": "2026-11-09"}, "before today"),
        ("checkin-add", {"on": "next week"}, "is not a date"),
        ("checkin", {"status": "great"}, "on track, needs help or blocked"),
        ("owner", {"owner": "99999"}, "No one on the desk"),
        ("edit", {"band": "50"}, "There is no value band 50"),
        ("edit", {"due": "2026-11-01"}, "before today"),
        ("status", {"status": "finished"}, "Not a status"),
    ],
)
def test_bad_input_on_a_task_gets_a_clear_answer(people, bands, path, data, says) -> None:
    task = actions.create(Draft("Sign the lease"), actor=people["camille"])
    answer = logged_in(people["camille"]).post(f"/ledger/{task.pk}/{path}/", data)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert 'href="/"' in answer.content.decode() or "Handoff" in answer.content.decode()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"title": "  "}, "needs a title"),
        ({"title": "x", "owner": "nobody@elsewhere.example"}, "No one on the desk has the address"),
        ({"title": "x", "band": "$42/h"}, "There is no value band $42/h"),
        ({"title": "x", "checkin": "2026-11-01"}, "check-in date 2026-11-01 is before today"),
        ({"title": "x", "estimate": "-5m"}, "cannot be negative"),
        ({"title": "x", "due": "31/12/2026"}, "is not a date"),
    ],
)
def test_bad_input_on_a_new_task_gets_a_clear_answer(people, bands, data, says) -> None:
    answer = logged_in(people["sophie"]).post("/ledger/new/", data)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Task.objects.exists()


def test_a_reply_to_a_reminder_parses_its_status_in_english_and_french() -> None:
    assert checkins.status_of("On track: contract on Friday\n> quoted") == (
        "on_track",
        "contract on Friday",
    )
    assert checkins.status_of("Bloqué — on attend l'avocat") == ("blocked", "on attend l'avocat")
    assert checkins.status_of("besoin d'aide, qui appelle ?") == ("needs_help", "qui appelle ?")
    assert checkins.status_of("okay then") == ("", "okay then")  # "ok" is not the start of "okay"


def test_answering_records_the_earliest_open_checkin_or_one_of_today(people) -> None:
    task = actions.create(
        Draft("Hire a designer", owner="chris@acme.example", checkins=("2026-11-20", "2026-11-13")),
        actor=people["sophie"],
    )
    checkins.answer(task, "on_track", "two candidates", actor=people["chris"])
    checkins.answer(task, "blocked", "both declined", actor=people["chris"])
    checkins.answer(task, "needs_help", "any names?", actor=people["chris"])
    answered = list(task.checkins.order_by("on").values_list("on", "status"))
    assert answered == [
        (date(2026, 11, 10), "needs_help"),
        (date(2026, 11, 13), "on_track"),
        (date(2026, 11, 20), "blocked"),
    ]
    with pytest.raises(Refused):
        checkins.answer(task, "fine", "", actor=people["chris"])


def test_the_list_filters_are_those_the_cockpit_links_to(people, bands) -> None:
    mine = actions.create(
        Draft("Investor update", owner="camille@acme.example"), actor=people["camille"]
    )
    theirs = actions.create(
        Draft("Renew the domain", owner="chris@acme.example", checkins=("2026-11-11",)),
        actor=people["camille"],
    )
    nobody = actions.create(Draft("Find an accountant"), actor=people["camille"])
    camille = logged_in(people["camille"])

    def listed(query: str) -> set[str]:
        page = camille.get(f"/ledger/?{query}").content.decode()
        return {t.title for t in (mine, theirs, nobody) if t.title in page}

    assert listed("kept=1") == {"Investor update"}
    assert listed("delegated=1") == {"Renew the domain"}
    assert listed("no_owner=1") == {"Find an accountant"}
    assert listed("no_checkin=1") == {"Investor update", "Find an accountant"}
    assert camille.get("/ledger/?month=2026-13").status_code == 400


@pytest.mark.parametrize(
    ("language", "minutes", "text"),
    [
        ("en", 8 * 60 * 3 + 120, "3 d 2 h"),
        ("fr", 8 * 60 * 3 + 120, "3 j 2 h"),
        ("fr", 90, "1 h 30"),
    ],
)
def test_a_time_is_shown_in_the_readers_words(language: str, minutes: int, text: str) -> None:
    with translation.override(language):
        assert actions.shown(minutes) == text
