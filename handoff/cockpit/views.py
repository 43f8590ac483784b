"""The cockpit's pages: the founder's and the head's view of a period, and each chart's
numbers as CSV. They only read (the peek meter aside, which the desk keeps). Agents get
404, as for anything not theirs."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.accounts.models import Role, User
from handoff.cockpit import board, charts, snapshots
from handoff.cockpit import ledger as ledger_figures
from handoff.cockpit.figures import GOAL, Period
from handoff.cockpit.tags import open_by_tag
from handoff.desk import peeks
from handoff.routing.roster import zone_of

READERS = {Role.FOUNDER, Role.HEAD, Role.ADMIN}
LEDGER_READERS = {Role.FOUNDER, Role.HEAD}  # who manages the ledger
PERIODS = (7, 30, 90)
DEFAULT_DAYS = 30
LONGEST = 366  # days of a custom period


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Asked:
    """The period the reader asked for, as the page's links repeat it."""

    period: Period
    days: int | None  # 7, 30 or 90 (None: custom dates)
    first: date
    last: date

    @property
    def query(self) -> str:
        if self.days:
            return f"days={self.days}"
        return f"from={self.first.isoformat()}&to={self.last.isoformat()}"


def reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.role not in READERS:
        raise Http404
    return user


def asked(request: HttpRequest, now: datetime, zone: ZoneInfo) -> Asked:
    """``?days=7|30|90`` (up to ``now``: the roll-up's last refresh), or
    ``?from=YYYY-MM-DD&to=YYYY-MM-DD`` (whole local days, both included); 30 days when
    neither is given."""
    first_text, last_text = request.GET.get("from", ""), request.GET.get("to", "")
    if first_text or last_text:
        try:
            first, last = date.fromisoformat(first_text), date.fromisoformat(last_text)
        except ValueError:
            raise BadPeriod(
                _("A custom period needs two dates, from and to, as YYYY-MM-DD.")
            ) from None
        if last < first:
            raise BadPeriod(_("The period ends before it starts."))
        if (last - first).days >= LONGEST:
            raise BadPeriod(_("A period is at most %(days)s days.") % {"days": LONGEST})
        return Asked(Period.dates(first, last, zone), None, first, last)
    text = request.GET.get("days", "") or str(DEFAULT_DAYS)
    if not text.isdigit() or int(text) not in PERIODS:
        raise BadPeriod(_("A period is 7, 30 or 90 days, or two dates."))
    days = int(text)
    period = Period.last(days, now, zone)
    today = now.astimezone(zone).date()
    return Asked(period, days, today - timedelta(days=days), today)


def per_person(request: HttpRequest, user: User) -> bool:
    """The head sees each person; the founder the team as a whole, unless they open the
    per-person view, which the peek meter counts."""
    if user.role != Role.FOUNDER:
        return True
    if request.GET.get("people") == "1":
        peeks.people(user)
        return True
    return False


def _bad(request: HttpRequest, error: BadPeriod) -> HttpResponse:
    return render(request, "cockpit/bad_period.html", {"error": error}, status=400)


@dataclass(frozen=True)
class Reading:
    """What a cockpit page reads: who, the period asked for, the board of its figures."""

    user: User
    zone: ZoneInfo
    now: datetime
    as_of: datetime
    asked: Asked
    per_person: bool
    board: board.Board


def reading(request: HttpRequest) -> Reading:
    """404 for those who may not read the cockpit; BadPeriod for a period it cannot show."""
    user = reader(request)
    zone = zone_of(user)
    now = timezone.now()
    at, last_event = snapshots.as_of(now)
    choice = asked(request, at, zone)
    people = per_person(request, user)
    found = board.board(choice.period, now, per_person=people, last_event=last_event)
    return Reading(user, zone, now, at, choice, people, found)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    try:
        read = reading(request)
    except BadPeriod as error:
        return _bad(request, error)
    timezone.activate(read.zone)
    ledger = None
    if read.user.role in LEDGER_READERS:
        ledger = ledger_figures.ledger(read.now.astimezone(read.zone).date())
    return render(
        request,
        "cockpit/home.html",
        {
            "board": read.board,
            "asked": read.asked,
            "periods": PERIODS,
            "per_person": read.per_person,
            "is_founder": read.user.role == Role.FOUNDER,
            "zone": read.zone,
            "now": read.now,
            "as_of": read.as_of,
            "goal": charts.percent(GOAL),
            "hours": [f"{hour:02d}" for hour in range(24)],
            "ledger": ledger,
            "tags": open_by_tag(read.now, founder_lane=read.user.sees_founder_lane),
        },
    )


@login_required
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    reader(request)  # 404 before anything else for those who may not read the cockpit
    if key not in board.KEYS:
        raise Http404
    try:
        read = reading(request)
    except BadPeriod as error:
        return _bad(request, error)
    chart = read.board.charts[key]
    first, last = read.asked.first.isoformat(), read.asked.last.isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handoff-{key}-{first}-{last}.csv"'
    csv.writer(response).writerows(chart.csv_rows())
    return response
