"""The ledger's figures in the cockpit against a ledger computed by hand, and each figure's
link listing the tasks behind it. Today is Friday 20 November 2026 (UTC, the desk's zone)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from handoff.cockpit.ledger import ledger
from handoff.ledger.models import Band, CheckIn, Task, TimeEntry
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 15, 0, tzinfo=UTC)


@pytest.fixture
def book(people) -> dict[str, Task]:
    camille, sophie, chris = people["camille"], people["sophie"], people["chris"]
    band = {h: Band.objects.create(hourly=h, currency="USD") for h in (10, 100, 1000)}

    def task(title: str, **fields) -> Task:
        return Task.objects.create(title=title, created_at=at(1, 10), **fields)

    tasks = {
        "A": task("A pricing page copy", band=band[10], owner=camille),
        "B": task("B investor letter", band=band[1000], owner=camille),
        "C": task("C find a lawyer"),
        "D": task("D renew the domain", band=band[100], owner=chris),
        "E": task("E hire a designer", band=band[100], owner=sophie),
        "F": task("F office plants"),
        "H": task("H five-minute export", band=band[100], owner=camille, estimate_minutes=5,
                  status="done", done_at=at(5)),
        "I": task("I partner call notes", band=band[100], owner=camille, estimate_minutes=120,
                  status="done", done_at=at(10)),
        "J": task("J October job", band=band[10], owner=camille, estimate_minutes=60,
                  status="done", done_at=at(30, 10)),
    }  # fmt: skip
    for name, day, minutes, month in [
        ("A", 3, 120, 11), ("A", 18, 60, 11), ("B", 5, 180, 11), ("B", 20, 240, 10),
        ("C", 6, 60, 11), ("H", 2, 480, 11), ("H", 3, 480, 11), ("H", 4, 480, 11),
        ("I", 10, 100, 11), ("J", 30, 90, 10),
    ]:  # fmt: skip
        TimeEntry.objects.create(
            task=tasks[name], user=camille, on=date(2026, month, day), minutes=minutes
        )
    TimeEntry.objects.create(task=tasks["D"], user=chris, on=date(2026, 11, 7), minutes=300)
    for name, day, month, answered, missed in [
        ("D", 4, 11, at(4), None),  # kept
        ("D", 11, 11, None, at(12)),  # missed
        ("D", 25, 11, None, None),  # still to come
        ("E", 12, 11, at(12), None),  # kept
        ("E", 19, 11, at(20), at(20)),  # answered a day late: missed
        ("E", 28, 10, None, at(29, 10)),  # missed, last month
    ]:
        CheckIn.objects.create(
            task=tasks[name],
            on=date(2026, month, day),
            answered_at=answered,
            missed_at=missed,
            status="on_track" if answered else "",
        )
    return tasks


def test_the_figures_are_the_hand_computed_ones(book) -> None:
    found = ledger(date(2026, 11, 20))
    # November, the founder's time only (Chris's 300 minutes on D are his):
    # A 120+60, B 180, C 60 (no band), H 3 x 480, I 100 = 1,960 minutes.
    assert found.this.minutes == 1960
    assert [(b.hourly, b.minutes) for b in found.this.bands] == [
        (10, 180),  # A
        (100, 1540),  # H 1,440 + I 100
        (1000, 180),  # B
        (None, 60),  # C
    ]
    assert [round(b.share, 4) for b in found.this.bands] == [0.0918, 0.7857, 0.0918, 0.0306]
    # October: B 240, J 90.
    assert [(b.hourly, b.minutes) for b in found.last.bands] == [(10, 90), (1000, 240)]
    # Open tasks: kept A, B; delegated D, E; nobody C, F; no check-in date A, B, C, F.
    assert (found.kept, found.delegated, found.no_owner, found.no_checkin) == (2, 2, 2, 4)
    # Check-ins dated 1-20 November: kept D 4th, E 12th; missed D 11th, E 19th (late).
    assert (found.this.checkins_kept, found.this.checkins_missed) == (2, 2)
    assert (found.last.checkins_kept, found.last.checkins_missed) == (0, 1)
    # Kept and finished in November with an estimate: H 5 min -> 1,440, I 120 -> 100.
    assert [(o.task, o.estimate, o.spent) for o in found.estimates] == [
        (book["H"].pk, 5, 1440),
        (book["I"].pk, 120, 100),
    ]
    assert (found.estimated, found.spent) == (125, 1540)
    assert found.median_ratio == pytest.approx((288 + 100 / 120) / 2)
    assert found.within == 0.5  # I alone: 0.83 is within 25 %
    assert found.worst[0].task == book["H"].pk


def test_each_figure_links_to_the_tasks_behind_it(people, book) -> None:
    camille = logged_in(people["camille"])
    page = camille.get("/cockpit/").content.decode()
    section = page[page.index('<section id="ledger">') :]
    section = section[: section.index("</section>")]
    assert 'data-minutes="1540"' in section  # November, the $100/h band
    assert "25.7 h" in section  # 1,540 minutes

    def titles(query: str) -> set[str]:
        listed = camille.get(f"/ledger/?{query.replace('&amp;', '&')}").content.decode()
        return {t.title[0] for t in book.values() if f">{t.title}<" in listed}

    links = dict(re.findall(r'id="(ledger-[\w-]+)" href="/ledger/\?([^"]+)"', section))
    assert titles(links["ledger-kept"]) == {"A", "B"}
    assert titles(links["ledger-delegated"]) == {"D", "E"}
    assert titles(links["ledger-no-owner"]) == {"C", "F"}
    assert titles(links["ledger-no-checkin"]) == {"A", "B", "C", "F"}
    assert titles(links["ledger-checkins-kept"]) == {"D", "E"}
    assert titles(links["ledger-checkins-missed"]) == {"D", "E"}
    band_link = re.search(r'href="/ledger/\?([^"]*band=100)" data-minutes="1540"', section)
    assert band_link is not None
    assert titles(band_link[1]) == {"H", "I"}
    estimates = re.search(r'<p id="ledger-estimates"><a href="/ledger/\?([^"]+)"', section)
    assert estimates is not None
    assert titles(estimates[1]) == {"H", "I"}


def test_only_those_who_manage_the_ledger_see_it_in_the_cockpit(people, book) -> None:
    from handoff.accounts.models import Role, User

    admin = User.objects.create_user("root@acme.example", "x", role=Role.ADMIN)
    assert '<section id="ledger">' in logged_in(people["sophie"]).get("/cockpit/").content.decode()
    assert '<section id="ledger">' not in logged_in(admin).get("/cockpit/").content.decode()
