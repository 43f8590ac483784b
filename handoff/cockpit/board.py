"""What the cockpit's page shows for a period: the headline figures beside the previous
period's, the lists, and every chart by its key (``charts``), from the worker's snapshot
of the heavy figures and what stands now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from handoff.cockpit import charts, coverage, figures, people, snapshots, sorting
from handoff.cockpit.charts import COUNT, DURATION, RATIO, Chart, Text, Value, shown
from handoff.cockpit.figures import Period

LISTED = 20  # rows of each list on the page (the CSVs and the desk have the rest)
KEYS = (
    "hands_off",
    "promise_category",
    "promise_language",
    "backlog",
    "lanes",
    "categories",
    "languages",
    "week",
    "team",
    "satisfaction",
    "peeks",
    "sorting",
)


@dataclass
class Board:
    """Everything the cockpit's page shows for a period, and its charts by key."""

    period: Period
    previous: Period
    hands: figures.HandsOff
    hands_before: figures.HandsOff
    promises: figures.Promises
    promises_before: figures.Promises
    backlog: figures.Backlog
    breaches: int
    breaches_before: int
    volume: coverage.Volume
    loads: list[people.Load]
    team: people.Load
    satisfaction: people.Satisfaction
    satisfaction_before: people.Satisfaction
    peek_count: int
    peek_count_before: int
    sorting: sorting.Sorting
    charts: dict[str, Chart]

    def tiles(self) -> list[Tile]:
        """The headline figures, each beside the previous period's."""
        first, before = self.promises.overall, self.promises_before.overall
        good, good_before = self.satisfaction.good, self.satisfaction_before.good
        return [
            Tile(_("Hands-off rate"), self.hands.rate, self.hands_before.rate, RATIO, "hands-off"),
            Tile(
                _("First response, median"),
                first.first_median,
                before.first_median,
                DURATION,
                "promise",
            ),
            Tile(
                _("First responses on time"),
                first.first_attainment,
                before.first_attainment,
                RATIO,
                "promise",
            ),
            Tile(_("Breaches"), self.breaches, self.breaches_before, COUNT, "backlog"),
            Tile(_("Open now"), self.backlog.open, None, COUNT, "backlog"),
            Tile(_("At risk now"), len(self.backlog.at_risk), None, COUNT, "backlog"),
            Tile(_("Good ratings"), good, good_before, RATIO, "satisfaction"),
            Tile(_("The founder’s peeks"), self.peek_count, self.peek_count_before, COUNT, "peeks"),
        ]


@dataclass(frozen=True)
class Tile:
    title: Text
    now: Value
    before: Value
    unit: str
    anchor: str

    @property
    def shown(self) -> str:
        return shown(self.now, self.unit)

    @property
    def shown_before(self) -> str:
        return shown(self.before, self.unit)


def board(period: Period, now: datetime, *, per_person: bool, last_event: int | None) -> Board:
    """The page's figures: the heavy ones from the snapshot of ``period`` at the roll-up's
    ``last_event`` (computed when None), what stands now read now."""
    previous = period.previous()
    heavy = snapshots.compute(period) if last_event is None else snapshots.heavy(period, last_event)
    found = Board(
        period=period,
        previous=previous,
        hands=heavy.hands,
        hands_before=heavy.hands_before,
        promises=heavy.promises,
        promises_before=heavy.promises_before,
        backlog=figures.backlog(period, now, listed=LISTED),
        breaches=figures.breach_count(period),
        breaches_before=figures.breach_count(previous),
        volume=heavy.volume,
        loads=heavy.loads,
        team=heavy.team,
        satisfaction=heavy.satisfaction,
        satisfaction_before=heavy.satisfaction_before,
        peek_count=people.peek_count(period),
        peek_count_before=people.peek_count(previous),
        sorting=heavy.sorting,
        charts={},
    )
    for chart in (
        charts.hands_off(found.hands, found.hands_before),
        charts.promises(found.promises, "category"),
        charts.promises(found.promises, "language"),
        charts.backlog(found.backlog),
        charts.counts("lanes", _("New conversations by lane"), found.volume.by_lane, charts.LANES),
        charts.counts("categories", _("By category"), found.volume.by_category, charts.CATEGORIES),
        charts.counts("languages", _("By language"), found.volume.by_language, {}),
        charts.week(found.volume),
        charts.team(found.loads, found.team, per_person),
        charts.satisfaction(found.satisfaction, day),
        charts.peeks(people.peeks(period), day),
        charts.sorting(found.sorting),
    ):
        found.charts[chart.key] = chart
    return found


def day(monday: date) -> str:
    return date_format(monday, "j M")
