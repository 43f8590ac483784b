"""The cockpit's sorting figures: what the desk sorted in the period, by the category it
chose, and what people corrected since (the founder's mail it missed, the noise that was
not), from the timeline that triage and the corrections write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from handoff.cockpit import rollup
from handoff.cockpit.figures import Period
from handoff.cockpit.sorting import sorting
from handoff.tickets.models import Event
from handoff.triage.learning import correct
from handoff.triage.models import Decision
from tests.helpers import deliver, logged_in, mail

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def sorted_mail(people: dict[str, Any]) -> dict[str, Any]:
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        missed, confirmed, untouched, buyer = deliver(
            mail("s1@client.example", subject="Our shares", sender="ann@client.example"),
            mail("s2@client.example", subject="Export to CSV", sender="bob@client.example"),
            mail("s3@client.example", subject="Invoice address", sender="cy@client.example"),
            mail("s5@client.example", subject="It crashes at login", sender="eve@client.example"),
        )
        auto = b"Auto-Submitted: auto-replied\r\n" + mail(
            "s4@client.example", subject="Out of office", sender="dee@client.example"
        )
        (noise,) = deliver(auto)
    desk = {e.message_id: e.data for e in Event.objects.filter(kind=Event.Kind.TRIAGED)}
    assert desk[noise.pk]["lane"] == "noise"
    assert {desk[m.pk]["lane"] for m in (missed, confirmed, untouched, buyer)} == {"team"}
    assert desk[buyer.pk]["category"] != "presales"
    sophie = people["sophie"]
    with time_machine.travel(NOW - timedelta(hours=20), tick=False):
        correct(missed, "founder", "founder", sophie)  # the desk missed the founder's mail
        correct(confirmed, "team", desk[confirmed.pk]["category"], sophie)  # no correction
        correct(noise, "team", "support", sophie)  # a customer's, not an auto-reply
        correct(buyer, "team", "presales", sophie)  # a buyer after all
    with time_machine.travel(NOW - timedelta(hours=10), tick=False):
        correct(missed, "team", "billing", sophie)  # a second thought: the first one counts
    return {**people, "desk": desk, "missed": missed, "noise": noise}


def test_what_the_desk_sorted_and_what_people_corrected(sorted_mail: dict[str, Any]) -> None:
    found = sorting(Period.last(7, NOW, PARIS))
    desk = sorted_mail["desk"]
    assert (found.count, found.corrected) == (5, 3)
    assert found.kept == 0.4
    assert (found.founder_found, found.out_of_noise, found.presales_found) == (1, 1, 1)
    rows = {s.category: s for s in found.by_category}
    assert rows["autoreply"].corrected == 1
    assert rows[desk[sorted_mail["missed"].pk]["category"]].corrected >= 1
    assert sum(s.count for s in rows.values()) == 5
    # Mail sorted before the period is not counted, even when corrected during it.
    assert sorting(Period.last(7, NOW + timedelta(days=8), PARIS)).count == 0


def test_the_cockpit_shows_it_in_both_languages(sorted_mail: dict[str, Any]) -> None:
    rollup.refresh_all(NOW)
    client = logged_in(sorted_mail["camille"])
    with time_machine.travel(NOW, tick=False):
        page = client.get(reverse("cockpit:home"), {"days": "7"}).content.decode()
        assert "Of 5 messages the desk sorted, the team corrected 3." in page
        assert "1 was a buyer’s mail (pre-sales) the desk had put elsewhere." in page
        assert "1 was the founder’s mail, put elsewhere by the desk." in page
        assert "1 was taken out of the noise." in page
        client.cookies["django_language"] = "fr"
        page = client.get(reverse("cockpit:home"), {"days": "7"}).content.decode()
    assert "Sur 5 messages triés par le desk, l’équipe en a corrigé 3." in page
    assert (
        "1 était la demande d’un acheteur (avant-vente) que le desk avait classée ailleurs." in page
    )
    assert "1 était du courrier de la fondatrice ou du fondateur, classé ailleurs" in page
    assert "1 a été sorti du bruit." in page


def test_each_decision_keeps_its_messages_arrival(people: dict[str, Any]) -> None:
    """What the count reads: the pipeline's decisions and a person's, made or changed."""
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        first, second = deliver(
            mail("k1@client.example", subject="Invoice", sender="ann@client.example"),
            mail("k2@client.example", subject="Quote", sender="bob@client.example"),
        )
    Decision.objects.filter(message=second).delete()  # not decided yet
    correct(first, "team", "billing", people["sophie"])
    correct(second, "team", "presales", people["sophie"])
    kept = Decision.objects.order_by("pk").values_list("received_at", "message__received_at")
    assert [a for a, _ in kept] == [b for _, b in kept] == [NOW - timedelta(days=3)] * 2
