"""The cockpit's charts: each one a small table of numbers built from ``figures``, which
the page draws (Charts.css: the chart is the table itself, readable by a screen reader),
shows as numbers and serves as CSV. One object for the three, so they cannot disagree.

A value is kept raw (seconds, counts, ratios from 0 to 1) for the CSV and the chart's
scale, and formatted for the reader on the page."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import number_format
from django.utils.functional import Promise as Lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from handoff.cockpit import coverage, figures, people
from handoff.cockpit.figures import Promise
from handoff.cockpit.sorting import Sorting

Text = str | Lazy
Value = float | int | None

DURATION = "duration"
COUNT = "count"
RATIO = "ratio"


@dataclass(frozen=True)
class Column:
    key: str  # the CSV's column name
    title: Text
    unit: str = COUNT
    drawn: bool = True  # a bar in the chart, or a number beside it only


@dataclass(frozen=True)
class Cell:
    """An hour of the week: new conversations, the fewest on shift, how many came while
    nobody was (a gap in coverage), and the shade to draw (0 to 1)."""

    name: str
    conversations: int
    staffed: int
    uncovered: int
    level: float

    @property
    def title(self) -> str:
        return _(
            "%(name)s: %(n)s new, %(staffed)s on shift at least, %(uncovered)s with nobody on shift"
        ) % {
            "name": self.name,
            "n": self.conversations,
            "staffed": self.staffed,
            "uncovered": self.uncovered,
        }


@dataclass
class Chart:
    key: str
    title: Text
    columns: Sequence[Column]
    rows: list[tuple[str, list[Value]]] = field(default_factory=list)
    kind: str = "bar"  # Charts.css: bar (horizontal) or column
    note: Text = ""
    stacked: bool = False

    @property
    def drawn(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.drawn]

    def scale(self, i: int) -> float:
        """The largest drawn value of the same unit as column ``i`` (bars compare)."""
        unit = self.columns[i].unit
        if unit == RATIO:
            return 1.0
        same = [j for j in self.drawn if self.columns[j].unit == unit]
        if self.stacked:
            totals = [
                sum(v or 0 for j, v in enumerate(values) if j in same) for _, values in self.rows
            ]
            return float(max(totals, default=0)) or 1.0
        found = [v for _, values in self.rows for j, v in enumerate(values) if j in same]
        return float(max((v for v in found if v is not None), default=0)) or 1.0

    def bars(self) -> list[tuple[str, list[tuple[float, str]]]]:
        """Per row, the drawn values as (size from 0 to 1, text)."""
        scales = {i: self.scale(i) for i in self.drawn}
        return [
            (
                label,
                [
                    (min((values[i] or 0) / scales[i], 1.0), shown(values[i], self.columns[i].unit))
                    for i in self.drawn
                ],
            )
            for label, values in self.rows
        ]

    def table(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Per row, every value as (raw, shown): the numbers behind the chart."""
        return [
            (label, [(raw(v), shown(v, c.unit)) for v, c in zip(values, self.columns, strict=True)])
            for label, values in self.rows
        ]

    def grid(self) -> list[tuple[str, list[Cell]]]:
        """The week chart as seven rows of 24 hours (its rows in that order)."""
        most = max((values[0] or 0 for _, values in self.rows), default=0) or 1
        days = []
        for day in range(7):
            cells = []
            for hour in range(24):
                name, (n, staffed, uncovered) = self.rows[day * 24 + hour]
                cells.append(
                    Cell(name, int(n or 0), int(staffed or 0), int(uncovered or 0), (n or 0) / most)
                )
            days.append((str(WEEKDAYS_ABBR[day]), cells))
        return days

    def csv_rows(self) -> list[list[str]]:
        head = ["label", *(f"{c.key}" for c in self.columns)]
        return [head, *([label, *(raw(v) for v in values)] for label, values in self.rows)]


def raw(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def shown(value: Value, unit: str) -> str:
    if value is None:
        return "–"
    if unit == DURATION:
        return duration(float(value))
    if unit == RATIO:
        return percent(float(value))
    return number_format(value, force_grouping=True)


def percent(value: float) -> str:
    # Cut, not rounded, to a tenth: 98.96 % is below a 99 % goal and must not read 99 %.
    tenths = int(value * 1000 + 1e-9) / 10
    return f"{number_format(tenths, decimal_pos=0 if tenths == int(tenths) else 1)} %"


def duration(seconds: float) -> str:
    """42 s, 17 min, 3 h 05, 2.5 d: in the reader's language."""
    seconds = round(seconds)
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    if seconds < 3600:
        return _("%(minutes)s min") % {"minutes": seconds // 60}
    if seconds < 48 * 3600:
        hours, rest = divmod(seconds, 3600)
        return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest // 60}
    days = number_format(round(seconds / 86400, 1), decimal_pos=1)
    return _("%(days)s d") % {"days": days}


# -- the charts --------------------------------------------------------------------------

LANES = {"founder": _("Founder lane"), "team": _("Team"), "noise": _("Noise")}
CATEGORIES = {
    "presales": _("Pre-sales"),
    "support": _("Support"),
    "bug": _("Bug"),
    "billing": _("Billing"),
    "feedback": _("Feedback"),
    "founder": _("Founder"),
    "spam": _("Spam"),
    "bulk": _("Bulk mail"),
    "bounce": _("Bounce"),
    "autoreply": _("Auto-reply"),
}
REASONS = {
    "": _("Handled by the team"),
    "lane": _("Founder lane"),
    "escalated": _("Escalated to the founder"),
    "jumped_in": _("The founder jumped in"),
}
SCORES = {"good": _("Good"), "okay": _("Okay"), "bad": _("Bad")}


def label(names: Mapping[str, Text], key: str) -> str:
    return str(names.get(key, key))


def hands_off(now: figures.HandsOff, before: figures.HandsOff) -> Chart:
    chart = Chart(
        "hands_off",
        _("Hands-off rate"),
        [
            Column("rate", _("Hands-off rate"), RATIO),
            Column("needed", _("Needed an answer"), COUNT, drawn=False),
            Column("by_team", _("Handled by the team"), COUNT, drawn=False),
            *(
                Column(f"founder_{key}", REASONS[key], COUNT, drawn=False)
                for key in ("lane", "escalated", "jumped_in")
            ),
        ],
        note=_("Goal: %(goal)s of the conversations handled without the founder.")
        % {"goal": percent(figures.GOAL)},
    )
    for name, found in ((_("This period"), now), (_("Previous period"), before)):
        reasons = [found.reasons[k] for k in ("lane", "escalated", "jumped_in")]
        chart.rows.append((str(name), [found.rate, found.needed, found.by_team, *reasons]))
    chart.rows.append((str(_("Goal")), [figures.GOAL, None, None, None, None, None]))
    return chart


def _promise_columns() -> list[Column]:
    return [
        Column("first_median_s", _("First response, median"), DURATION),
        Column("first_p90_s", _("First response, 90th percentile"), DURATION),
        Column("first_target_s", _("First response, target"), DURATION, drawn=False),
        Column("first_attainment", _("First response, on time"), RATIO, drawn=False),
        Column("resolution_median_s", _("Resolution, median"), DURATION, drawn=False),
        Column("resolution_p90_s", _("Resolution, 90th percentile"), DURATION, drawn=False),
        Column("resolution_target_s", _("Resolution, target"), DURATION, drawn=False),
        Column("resolution_attainment", _("Resolution, on time"), RATIO, drawn=False),
        Column("conversations", _("Conversations"), COUNT, drawn=False),
    ]


def _promise_row(p: Promise) -> list[Value]:
    return [
        p.first_median,
        p.first_p90,
        p.first_target,
        p.first_attainment,
        p.resolution_median,
        p.resolution_p90,
        p.resolution_target,
        p.resolution_attainment,
        p.count,
    ]


def promises(found: figures.Promises, by: str) -> Chart:
    if by == "category":
        chart = Chart(
            "promise_category",
            _("Promise kept, by category"),
            _promise_columns(),
            note=_("Pre-sales first: answered within the hour, at any hour."),
        )
        chart.rows = [(label(CATEGORIES, p.key), _promise_row(p)) for p in found.by_category]
    else:
        chart = Chart("promise_language", _("Promise kept, by language"), _promise_columns())
        chart.rows = [(p.key, _promise_row(p)) for p in found.by_language]
    chart.rows.append((str(_("All")), _promise_row(found.overall)))
    return chart


def backlog(found: figures.Backlog) -> Chart:
    chart = Chart(
        "backlog",
        _("Open now, by age"),
        [Column("open", _("Open conversations"))],
        kind="column",
    )
    chart.rows = [(age, [count]) for age, count in found.ages]
    return chart


def counts(key: str, title: Text, rows: list[tuple[str, int]], names: Mapping[str, Text]) -> Chart:
    chart = Chart(key, title, [Column("conversations", _("Conversations"))])
    chart.rows = [(label(names, k), [n]) for k, n in rows]
    return chart


def week(found: coverage.Volume) -> Chart:
    """The hours of the week: new conversations, fewest people on shift, uncovered."""
    chart = Chart(
        "week",
        _("New conversations by hour of the week, against who was on shift"),
        [
            Column("conversations", _("New conversations")),
            Column("on_shift", _("Fewest on shift"), drawn=False),
            Column("uncovered", _("With nobody on shift"), drawn=False),
        ],
        kind="grid",
    )
    for day in range(7):
        for hour in range(24):
            h = found.week[(day, hour)]
            chart.rows.append(
                (f"{WEEKDAYS_ABBR[day]} {hour:02d}:00", [h.conversations, h.staffed, h.uncovered])
            )
    return chart


def team(loads: Sequence[people.Load], whole: people.Load, per_person: bool) -> Chart:
    columns = [
        Column("handled", _("Conversations handled")),
        Column("open_now", _("Open now"), drawn=False),
        Column("first_median_s", _("First response, median"), DURATION, drawn=False),
        Column("attainment", _("First response, on time"), RATIO, drawn=False),
    ]
    chart = Chart("team", _("Team load"), columns)
    if per_person:
        chart.rows = [
            (p.name, [p.handled, p.open_now, p.first_median, p.attainment]) for p in loads
        ]
        return chart
    values: list[Value] = [whole.handled, whole.open_now, whole.first_median, whole.attainment]
    chart.rows = [(str(_("The team")), values)]
    chart.note = ngettext(
        "%(people)s person. The per-person view is one click away; opening it counts as a peek.",
        "%(people)s people. The per-person view is one click away; opening it counts as a peek.",
        len(loads),
    ) % {"people": len(loads)}
    return chart


def satisfaction(found: people.Satisfaction, date_text: Callable[[date], str]) -> Chart:
    chart = Chart(
        "satisfaction",
        _("Satisfaction, by week"),
        [Column(score, SCORES[score]) for score in ("good", "okay", "bad")],
        kind="column",
        stacked=True,
    )
    chart.rows = [
        (date_text(monday), [scores[s] for s in ("good", "okay", "bad")])
        for monday, scores in found.weeks
    ]
    return chart


def peeks(weeks: Sequence[tuple[date, int]], date_text: Callable[[date], str]) -> Chart:
    chart = Chart(
        "peeks",
        _("The founder’s peeks, by week"),
        [Column("peeks", _("Peeks"))],
        kind="column",
        note=_(
            "Each opening of a team conversation, a team queue or the per-person view. "
            "Counted, not judged."
        ),
    )
    chart.rows = [(date_text(monday), [n]) for monday, n in weeks]
    return chart


def sorting(found: Sorting) -> Chart:
    chart = Chart(
        "sorting",
        _("Corrected by a person, by the category the desk chose"),
        [
            Column("sorted", _("Sorted by the desk"), drawn=False),
            Column("corrected", _("Corrected by a person")),
            Column("kept", _("Kept"), RATIO, drawn=False),
        ],
        note=_(
            "Each message sorted in the period, by the category the desk chose; corrected: "
            "a person has put it in another category or lane since."
        ),
    )
    chart.rows = [
        (label(CATEGORIES, s.category), [s.count, s.corrected, s.kept]) for s in found.by_category
    ]
    chart.rows.append((str(_("All")), [found.count, found.corrected, found.kept]))
    return chart
