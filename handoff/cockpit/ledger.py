"""The ledger in the cockpit, read live (a ledger is hundreds of rows, not millions): the
founder's recorded hours by value band this month and last, tasks delegated against kept,
check-ins kept and missed, the founder's estimates against the time it really took, and
the tasks nobody owns or nobody checks in on. Each figure comes with the ledger's URL
query that lists the tasks behind it; months are the reader's (the view activates their
time zone, and the ledger's list filters in the same one)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, Sum

from handoff.accounts.models import Role, User
from handoff.ledger.models import Band, CheckIn, Task, TimeEntry
from handoff.ledger.months import month_of, previous


@dataclass(frozen=True, slots=True)
class BandHours:
    band: str
    hourly: int | None  # None: time on tasks with no band
    minutes: int
    share: float  # of the founder's recorded minutes that month
    query: str


@dataclass(frozen=True, slots=True)
class Month:
    first: date
    last: date
    minutes: int
    bands: list[BandHours]
    checkins_kept: int
    checkins_missed: int

    @property
    def name(self) -> str:
        return f"{self.first:%Y-%m}"


@dataclass(frozen=True, slots=True)
class Overrun:
    task: int
    title: str
    estimate: int
    spent: int

    @property
    def ratio(self) -> float:
        return self.spent / self.estimate


@dataclass(frozen=True, slots=True)
class BandRow:
    band: str
    this: BandHours | None
    last: BandHours | None


@dataclass(slots=True)
class Ledger:
    this: Month
    last: Month
    delegated: int  # open tasks owned by a team member
    kept: int  # open tasks the founder keeps
    no_owner: int
    no_checkin: int
    # Tasks the founder kept and finished this month, with an estimate and time recorded.
    estimates: list[Overrun] = field(default_factory=list)

    @property
    def rows(self) -> list[BandRow]:
        """Each band with founder time in either month, this month's and last's side by side."""
        this = {b.hourly: b for b in self.this.bands}
        last = {b.hourly: b for b in self.last.bands}
        keys = sorted(this.keys() | last.keys(), key=lambda h: (h is None, h or 0))
        return [BandRow((this.get(k) or last[k]).band, this.get(k), last.get(k)) for k in keys]

    @property
    def estimated(self) -> int:
        return sum(o.estimate for o in self.estimates)

    @property
    def spent(self) -> int:
        return sum(o.spent for o in self.estimates)

    @property
    def median_ratio(self) -> float | None:
        return statistics.median(o.ratio for o in self.estimates) if self.estimates else None

    @property
    def within(self) -> float | None:
        """Share of those tasks that took no more than 25% over or under their estimate."""
        if not self.estimates:
            return None
        return sum(0.8 <= o.ratio <= 1.25 for o in self.estimates) / len(self.estimates)

    @property
    def worst(self) -> list[Overrun]:
        return sorted(self.estimates, key=lambda o: -o.ratio)[:5]


def _month(first: date, founders: list[int], today: date) -> Month:
    span = month_of(f"{first:%Y-%m}")
    assert span is not None
    first, last = span
    entries = TimeEntry.objects.filter(user_id__in=founders, on__gte=first, on__lte=last)
    by_band: dict[int | None, int] = defaultdict(int)
    for hourly, minutes in entries.values_list("task__band__hourly").annotate(m=Sum("minutes")):
        by_band[hourly] += minutes
    total = sum(by_band.values())
    names = {b.hourly: str(b) for b in Band.objects.all()}
    name = f"{first:%Y-%m}"
    bands = [
        BandHours(
            names.get(hourly, "—") if hourly is not None else "—",
            hourly,
            minutes,
            minutes / total if total else 0.0,
            f"status=all&month={name}" + (f"&band={hourly}" if hourly is not None else ""),
        )
        for hourly, minutes in sorted(by_band.items(), key=lambda i: (i[0] is None, i[0] or 0))
    ]
    due = CheckIn.objects.filter(on__gte=first, on__lte=min(last, today))
    counted = due.aggregate(
        kept=Count("pk", filter=Q(answered_at__isnull=False, missed_at=None)),
        missed=Count("pk", filter=Q(missed_at__isnull=False)),
    )
    return Month(first, last, total, bands, counted["kept"], counted["missed"])


def ledger(today: date) -> Ledger:
    founders = list(User.objects.filter(role=Role.FOUNDER).values_list("pk", flat=True))
    first = today.replace(day=1)
    open_ = Task.objects.filter(status=Task.Status.OPEN)
    result = Ledger(
        this=_month(first, founders, today),
        last=_month(previous(first), founders, today),
        delegated=open_.exclude(owner_id__in=founders).exclude(owner=None).count(),
        kept=open_.filter(owner_id__in=founders).count(),
        no_owner=open_.filter(owner=None).count(),
        no_checkin=open_.annotate(n=Count("checkins")).filter(n=0).count(),
    )
    done = Task.objects.filter(
        status=Task.Status.DONE,
        owner_id__in=founders,
        estimate_minutes__isnull=False,
        done_at__date__gte=first,
        done_at__date__lte=today,
    ).annotate(spent=Sum("time__minutes", filter=Q(time__user_id__in=founders)))
    result.estimates = [
        Overrun(t.pk, t.title, t.estimate_minutes or 0, t.spent)
        for t in done.order_by("pk")
        if t.spent
    ]
    return result
