"""The cockpit in a real Chromium, on the demo's history: the founder lands there, every
chart draws, a chart's CSV holds the numbers it shows, opening a team conversation moves
the peek meter, and an agent gets 404. Screenshots in English and in French are kept in
test-results/cockpit/ as artefacts."""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from handoff.cockpit import rollup
from handoff.cockpit.board import KEYS
from handoff.cockpit.tasks import tick
from handoff.desk.models import Peek
from handoff.triage.models import ConversationLane
from tests.demo.test_browser_demo import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOUNDER = "camille@acme-reports.example"
AGENT = "ines@acme-reports.example"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "cockpit"


@pytest.fixture
def demo() -> None:
    call_command("demo", tickets=20, history=600, stdout=io.StringIO(), stderr=io.StringIO())
    rollup.refresh_changed()


def numbers(page: Page, key: str) -> list[list[str]]:
    """The chart's numbers as the page shows them on demand: label, then each raw value."""
    chart = page.locator(f"#chart-{key}")
    chart.locator("details.numbers summary").click()
    table = chart.locator("details.numbers table")
    expect(table).to_be_visible()
    found = []
    for row in table.locator("tbody tr").all():
        label = row.locator("th").inner_text().strip()
        values = [cell.get_attribute("data-value") or "" for cell in row.locator("td").all()]
        found.append([label, *values])
    return found


def test_the_founders_cockpit(live_server, page: Page, demo: None) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, FOUNDER)
    # The founder lands in the cockpit, not in the team's queues.
    expect(page).to_have_url(re.compile(r"/cockpit/$"))
    expect(page.get_by_role("heading", name="Cockpit", exact=True)).to_be_visible()
    page.get_by_role("link", name="90 days").click()
    expect(page).to_have_url(re.compile(r"days=90"))

    # Every chart draws: a Charts.css table (or the week's grid) with rows.
    for key in KEYS:
        chart = page.locator(f"#chart-{key}")
        expect(chart).to_be_visible()
        drawn = chart.locator("table.charts-css, table.week").first
        expect(drawn).to_be_visible()
        assert drawn.locator("tbody tr").count() > 0, key
    bars = page.locator("#chart-hands_off table.charts-css tbody td").first
    assert bars.bounding_box()["width"] > 50  # drawn, not just listed
    page.screenshot(path=ARTEFACTS / "cockpit-en.png", full_page=True)

    # The numbers behind a chart are the CSV's.
    shown = numbers(page, "promise_category")
    with page.expect_download() as download:
        page.locator("#chart-promise_category a.csv").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    head, *rows = list(csv.reader(io.StringIO(content)))
    assert head[:3] == ["label", "first_median_s", "first_p90_s"]
    assert rows == shown
    assert shown[0][0] == "Pre-sales"
    assert int(shown[-1][-1]) > 0

    # In French, the same page.
    page.get_by_label("Language").select_option("fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Promesses tenues", exact=True)).to_be_visible()
    for key in KEYS:
        expect(page.locator(f"#chart-{key}")).to_be_visible()
    # French labels are longer ("Période précédente"): none runs into the next bar's.
    charts = page.locator(".charts-css.bar tbody").evaluate_all(
        """bodies => bodies.map(body => [...body.querySelectorAll("th")].map(th => {
            // Where the label's text is seen: its extent, cut by what clips it.
            const text = document.createRange();
            text.selectNodeContents(th);
            let {top, bottom} = text.getBoundingClientRect();
            for (const box of [th, ...th.querySelectorAll("*")]) {
                if (getComputedStyle(box).overflow !== "visible") {
                    const clip = box.getBoundingClientRect();
                    top = Math.max(top, clip.top);
                    bottom = Math.min(bottom, clip.bottom);
                }
            }
            return [top, bottom];
        }))"""
    )
    assert charts
    for labels in charts:
        for (_, bottom), (top, _) in itertools.pairwise(labels):
            assert bottom <= top + 1
    page.screenshot(path=ARTEFACTS / "cockpit-fr.png", full_page=True)
    page.get_by_label("Langue").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The peek meter: the founder opens a team conversation from the cockpit.
    page.goto(f"{live_server.url}/cockpit/?days=7")
    before = sum(int(row[1]) for row in numbers(page, "peeks"))
    team = ConversationLane.objects.filter(lane="team").values_list("conversation_id", flat=True)
    conversation = team.order_by("-conversation_id").first()
    peeks = Peek.objects.count()
    page.goto(f"{live_server.url}/c/{conversation}/")
    expect(page.locator("#timeline")).to_contain_text("The founder looked")
    assert Peek.objects.count() == peeks + 1
    tick.call()  # the worker's next tick: the cockpit's periods end at its refresh
    page.goto(f"{live_server.url}/cockpit/?days=7")
    assert sum(int(row[1]) for row in numbers(page, "peeks")) == before + 1
    log_out(page)

    # An agent: 404 on the cockpit and on each of its CSVs, and no link to it.
    log_in(page, live_server.url, AGENT)
    expect(page.get_by_role("link", name="Cockpit")).to_have_count(0)
    for path in ["/cockpit/", *(f"/cockpit/csv/{key}.csv" for key in KEYS)]:
        response = page.request.get(f"{live_server.url}{path}")
        assert response.status == 404, path
