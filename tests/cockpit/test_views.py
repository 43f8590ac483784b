"""The cockpit's pages: who may read them, the period asked for, the numbers behind each
chart and its CSV (the same), and the peek meter the desk keeps for the founder."""

from __future__ import annotations

import base64
import csv
import io
import pickle
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from handoff.cockpit import rollup, snapshots
from handoff.cockpit.board import KEYS
from handoff.cockpit.models import Refresh, Snapshot
from handoff.cockpit.tasks import tick
from handoff.desk.models import Peek, Rating
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.tickets.models import Conversation, Event
from tests.conftest import PASSWORD
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
TEAM = """
[[team]]
name = "happiness"

[[person]]
email = "chris@acme.example"
name = "Chris"
team = "happiness"
time_zone = "Europe/Paris"
shifts = ["mon-fri 09:00-17:00"]
languages = ["en", "fr"]

[[policy]]
name = "support"
when = { lane = ["team"] }
first_response = "4h"
"""


def write(subject: str, when: datetime, lane: str = "team", n: int = 0) -> Conversation:
    with time_machine.travel(when, tick=False):
        (message,) = deliver(
            mail(
                f"v{subject.replace(' ', '')}@client.example",
                subject=subject,
                sender=f"customer{n}@client{n}.example",
                date=when,
                body="Hello, could you help me with my account please?",
            )
        )
        decided(message, lane=lane, category="founder" if lane == "founder" else "support")
        route([message.conversation_id], when)
    return message.conversation


@pytest.fixture
def desk(people: dict[str, Any]) -> dict[str, Any]:
    outcome = apply_text(TEAM, NOW - timedelta(days=60))
    assert outcome.ok, outcome.errors
    team = write("Export to CSV", NOW - timedelta(days=3), n=1)
    founder = write("Term sheet", NOW - timedelta(days=2), lane="founder", n=2)
    Rating.objects.create(conversation=team, score="good", at=NOW - timedelta(days=2))
    rollup.refresh_all(NOW)
    return {**people, "team": team, "founder": founder}


def get(user: Any, path: str, **query: str) -> Any:
    with time_machine.travel(NOW, tick=False):
        return logged_in(user).get(path, query)


def test_agents_get_404_on_the_cockpit_and_every_csv(desk: dict[str, Any]) -> None:
    chris = desk["chris"]
    assert get(chris, reverse("cockpit:home")).status_code == 404
    for key in KEYS:
        assert get(chris, reverse("cockpit:csv", args=[key])).status_code == 404
    for reader in ("camille", "sophie"):
        assert get(desk[reader], reverse("cockpit:home")).status_code == 200
        assert get(desk[reader], reverse("cockpit:csv", args=["team"])).status_code == 200
    assert get(desk["camille"], reverse("cockpit:csv", args=["nothing"])).status_code == 404


def test_a_visitor_is_sent_to_log_in_and_the_founder_lands_in_the_cockpit(
    desk: dict[str, Any], client: Any
) -> None:
    response = client.get(reverse("cockpit:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("login"), {"username": "camille@acme.example", "password": PASSWORD}
    )
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("cockpit:home")
    assert logged_in(desk["chris"]).get(reverse("start"))["Location"] == reverse("desk:inbox")


def test_opening_the_desk_address_lands_the_founder_in_the_cockpit_in_her_language(
    desk: dict[str, Any], client: Any
) -> None:
    """The address `./run serve` prints is the root: after logging in from there the founder
    lands in the cockpit, not in the team's list, and in her own language from the first
    page; a deeper link asked for is still where the login goes."""
    desk["camille"].language = "fr"
    desk["camille"].save()
    sent = client.get("/")
    assert sent["Location"] == f"{reverse('login')}?next=/"
    credentials = {"username": "camille@acme.example", "password": PASSWORD}
    response = client.post(f"{reverse('login')}?next=/", credentials)
    assert response["Location"] == reverse("start")
    assert response.cookies["django_language"].value == "fr"
    assert client.get(reverse("start"))["Location"] == reverse("cockpit:home")
    assert "Tableau de bord" in client.get(reverse("cockpit:home")).content.decode()
    client.logout()
    response = client.post(f"{reverse('login')}?next=/ledger/", credentials)
    assert response["Location"] == "/ledger/"
    assert response.cookies["django_language"].value == "fr"
    response = client.post(
        f"{reverse('login')}?next=/",
        {"username": "chris@acme.example", "password": PASSWORD},
    )
    assert response["Location"] == reverse("start")
    assert "django_language" not in response.cookies  # no language of his own: the browser's


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"days": "12"}, "A period is 7, 30 or 90 days, or two dates."),
        ({"days": "-7"}, "A period is 7, 30 or 90 days, or two dates."),
        ({"from": "2026-12-01"}, "A custom period needs two dates"),
        ({"from": "2026-12-01", "to": "yesterday"}, "A custom period needs two dates"),
        ({"from": "2026-12-05", "to": "2026-12-01"}, "The period ends before it starts."),
        ({"from": "2024-01-01", "to": "2026-12-01"}, "A period is at most 366 days."),
    ],
)
def test_a_bad_period_is_a_clear_400(
    desk: dict[str, Any], query: dict[str, str], error: str
) -> None:
    for path in (reverse("cockpit:home"), reverse("cockpit:csv", args=["team"])):
        response = get(desk["camille"], path, **query)
        assert response.status_code == 400
        assert error in unescape(response.content.decode())


def test_a_custom_period_is_whole_local_days(desk: dict[str, Any]) -> None:
    response = get(
        desk["sophie"], reverse("cockpit:home"), **{"from": "2026-12-03", "to": "2026-12-03"}
    )
    assert response.status_code == 200
    period = response.context["board"].period
    # Sophie has no time zone of her own: the desk's (UTC in the tests).
    assert (period.start, period.end) == (
        datetime(2026, 12, 3, tzinfo=UTC),
        datetime(2026, 12, 4, tzinfo=UTC),
    )
    assert response.context["board"].previous.start == datetime(2026, 12, 2, tzinfo=UTC)
    # The founder-lane conversation of 3 December is the period's only one.
    hands = response.context["board"].hands
    assert (hands.needed, hands.by_team, dict(hands.reasons)) == (1, 0, {"lane": 1})


def numbers(page: str, key: str) -> list[list[str]]:
    """The numbers table of chart ``key``: its rows' labels and raw values."""
    found = re.search(
        rf'<details class="numbers" id="chart-{key}-numbers">(.*?)</details>', page, re.S
    )
    assert found, key
    body = found.group(1).split("<tbody>")[1]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        label = unescape(re.search(r'<th scope="row">(.*?)</th>', row, re.S).group(1))
        rows.append([label, *(unescape(v) for v in re.findall(r'data-value="([^"]*)"', row))])
    return rows


def test_each_csv_holds_the_numbers_of_its_chart(desk: dict[str, Any]) -> None:
    sophie = desk["sophie"]
    page = get(sophie, reverse("cockpit:home"), days="7").content.decode()
    for key in KEYS:
        response = get(sophie, reverse("cockpit:csv", args=[key]), days="7")
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith(f'attachment; filename="handoff-{key}-')
        head, *rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert head[0] == "label"
        assert rows == numbers(page, key), key
    hands = numbers(page, "hands_off")
    # Two conversations needed an answer; the team handled one, the founder's lane the other.
    # The team's was not answered within its 4 hours: missed (no answer is no median).
    assert hands[0][1:] == ["0.5", "2", "1", "1", "0", "0"]
    assert hands[2][:2] == ["Goal", "0.99"]


def test_the_founder_sees_the_team_whole_unless_she_opens_the_per_person_view(
    desk: dict[str, Any],
) -> None:
    camille, sophie = desk["camille"], desk["sophie"]
    page = get(camille, reverse("cockpit:home")).content.decode()
    assert numbers(page, "team") == [["The team", "1", "1", "", "0"]]
    assert not Peek.objects.exists()
    page = get(camille, reverse("cockpit:home"), people="1").content.decode()
    assert numbers(page, "team") == [["Chris", "1", "1", "", "0"]]
    assert list(Peek.objects.values_list("user", "kind")) == [(camille.pk, "people")]
    # The head runs the team: she sees each person, and nobody counts it.
    page = get(sophie, reverse("cockpit:home")).content.decode()
    assert numbers(page, "team") == [["Chris", "1", "1", "", "0"]]
    assert Peek.objects.count() == 1


def test_the_peek_meter_counts_the_founder_opening_the_teams_work(desk: dict[str, Any]) -> None:
    camille, chris = desk["camille"], desk["chris"]
    team, founder = desk["team"], desk["founder"]
    founder_client, agent = logged_in(camille), logged_in(chris)
    # The founder's own lane and queues: not a peek.
    assert founder_client.get(reverse("desk:conversation", args=[founder.pk])).status_code == 200
    founder_client.get(reverse("desk:inbox"), {"queue": "mine"})
    founder_client.get(reverse("desk:inbox"), {"queue": "founder"})
    # The agent's opening anything: not a peek.
    agent.get(reverse("desk:conversation", args=[team.pk]))
    agent.get(reverse("desk:inbox"), {"queue": "unassigned"})
    assert not Peek.objects.exists()
    # A team conversation, a team queue, every conversation: three peeks; the next page of
    # a queue is the same opening.
    assert founder_client.get(reverse("desk:conversation", args=[team.pk])).status_code == 200
    founder_client.get(reverse("desk:inbox"), {"queue": "unassigned"})
    founder_client.get(reverse("desk:inbox"))
    founder_client.get(reverse("desk:inbox"), {"page": "2"})
    assert sorted(Peek.objects.values_list("kind", "what", "conversation")) == [
        ("conversation", "", team.pk),
        ("queue", "all", None),
        ("queue", "unassigned", None),
    ]
    # On the conversation's timeline, and in the cockpit's meter.
    event = Event.objects.get(kind=Event.Kind.PEEK)
    assert (event.conversation_id, event.actor_id, event.data) == (
        team.pk,
        camille.pk,
        {"what": "conversation"},
    )
    # The cockpit's periods end at the roll-up's last refresh: the worker's next tick.
    page = logged_in(camille).get(reverse("cockpit:home"), {"days": "7"}).content.decode()
    assert sum(int(row[1]) for row in numbers(page, "peeks")) == 0
    rollup.refresh_changed()
    page = logged_in(camille).get(reverse("cockpit:home"), {"days": "7"}).content.decode()
    assert sum(int(row[1]) for row in numbers(page, "peeks")) == 3


def test_the_heavy_figures_are_kept_per_roll_up_and_a_forged_snapshot_is_not_read(
    desk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    sophie = desk["sophie"]
    first = get(sophie, reverse("cockpit:home"), days="7").content.decode()
    assert not Snapshot.objects.exists()  # the pages only read
    # The worker's tick: a new roll-up state, the usual periods made for each reader's zone.
    with time_machine.travel(NOW, tick=False):
        tick.call()
    made = Snapshot.objects.all()
    assert len(made) == 3  # 7, 30 and 90 days; the readers all in the desk's zone
    assert {s.last_event for s in made} == {Refresh.objects.get().last_event}
    # The page reads the snapshot: the same numbers (the roll-up did not change).
    page = get(sophie, reverse("cockpit:home"), days="7").content.decode()
    assert numbers(page, "promise_category") == numbers(first, "promise_category")
    # A row changed behind the desk's back fails the signature: the figures are computed.
    forged = base64.b64encode(pickle.dumps({"not": "figures"})) + b":forged"
    Snapshot.objects.update(data=forged)
    again = get(sophie, reverse("cockpit:home"), days="7").content.decode()
    assert numbers(again, "promise_category") == numbers(first, "promise_category")
    assert numbers(again, "team") == numbers(first, "team")
    # A snapshot pickled by code of another shape is not read either.
    with time_machine.travel(NOW, tick=False):
        tick.call()
    assert snapshots._read(bytes(Snapshot.objects.first().data)) is not None
    monkeypatch.setattr(snapshots, "SHAPE", "another shape")
    assert snapshots._read(bytes(Snapshot.objects.first().data)) is None
    assert get(sophie, reverse("cockpit:home"), days="7").status_code == 200
