"""Who is in the team, when they work, and who can take a conversation now.

A ``Roster`` is read once per batch (a few queries) and answers from memory.
A person whose configuration cannot be used (no time zone, bad shifts, no
skills) is never on shift; ``problems`` says why, and the desk keeps running.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from handoff.accounts.models import User
from handoff.routing.models import Absence, Person, Team
from handoff.routing.time.calendar import Calendar, Without, is_open, next_open
from handoff.routing.time.shifts import Schedule, holiday_dates, parse_slots, resolve, time_zone

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Member:
    person_id: int
    user_id: int
    email: str
    team_id: int | None
    languages: frozenset[str]
    categories: frozenset[str]  # empty: every category
    capacity: int
    load: int
    last_assigned_at: datetime | None
    availability: Calendar | None  # None: cannot be scheduled (see ``problem``)
    problem: str = ""
    # Out of office now: (until, backup person id).
    away: tuple[datetime, int | None] | None = None
    on_shift: bool = False

    def can_take(self, language: str | None, category: str | None) -> bool:
        return self.load < self.capacity and self.knows(language, category)

    def knows(self, language: str | None, category: str | None) -> bool:
        """Reads the language and takes the category (None: not required)."""
        return (language is None or language in self.languages) and (
            category is None or not self.categories or category in self.categories
        )


@dataclass(frozen=True, slots=True)
class Waiting:
    """Why a conversation waits in the queue (``Roster.waiting``)."""

    language: str | None  # nobody on shift speaks it; None: nobody on shift has room for it
    back: datetime | None  # when the first who can take it comes on shift
    user_ids: tuple[int, ...]  # who comes then


@dataclass
class Roster:
    now: datetime
    members: dict[int, Member] = field(default_factory=dict)  # by user id
    teams: dict[int, Team] = field(default_factory=dict)
    # (team id, language) -> when a reader of it is first on shift (``readers_back``).
    back: dict[tuple[int | None, str], datetime | None] = field(default_factory=dict)

    @classmethod
    def load(cls, now: datetime) -> Roster:
        roster = cls(now=now)
        roster.teams = {t.pk: t for t in Team.objects.all()}
        today = now.astimezone(UTC).date()
        absences: dict[int, list[tuple[date, date, int | None]]] = {}
        for person_id, starts, ends, backup_id in Absence.objects.filter(
            ends__gte=today - timedelta(days=2)
        ).values_list("person_id", "starts", "ends", "backup_id"):
            absences.setdefault(person_id, []).append((starts, ends, backup_id))
        # Plain rows, not model instances: this runs for every routed conversation. In the
        # users' order, so that ties between members break the same way on every database.
        for row in Person.objects.order_by("user_id").values(*PERSON_FIELDS):
            team = roster.teams.get(row["team_id"]) if row["team_id"] else None
            member = _member(row, team, absences.get(row["id"], []), now)
            roster.members[member.user_id] = member
        return roster

    def of_team(self, team_id: int | None) -> list[Member]:
        return [m for m in self.members.values() if m.team_id == team_id]

    def needs(
        self, team_id: int | None, language: str, category: str, due: datetime | None = None
    ) -> tuple[str | None, str | None]:
        """The skills to require. A language is not required when nobody in the team reads
        it (better an answer in English than no answer), nor when nobody who reads it is on
        shift before ``due``, the first due time of the conversation's running clocks
        (better an answer in English within the promise: the customer was promised an answer,
        not a language)."""
        team = [m for m in self.of_team(team_id) if m.availability is not None]
        need_language = language if any(language in m.languages for m in team) else None
        if need_language and due is not None:
            back = self.readers_back(team_id, language)  # now: one is on shift
            if back is None or (self.now < back and due < back):
                need_language = None
        need_category = (
            category if any(not m.categories or category in m.categories for m in team) else None
        )
        return need_language, need_category

    def readers_back(self, team_id: int | None, language: str) -> datetime | None:
        """When someone in the team who reads ``language`` is first on shift: now when one is,
        None when nobody is within two weeks (read once per roster)."""
        key = (team_id, language)
        if key not in self.back:
            readers = [
                m
                for m in self.of_team(team_id)
                if m.availability is not None and language in m.languages
            ]
            if any(m.on_shift for m in readers):
                self.back[key] = self.now
            else:
                starts = (self.next_shift(m.user_id) for m in readers)
                self.back[key] = min(filter(None, starts), default=None)
        return self.back[key]

    def eligible(
        self,
        team_id: int | None,
        language: str,
        category: str,
        *,
        due: datetime | None = None,
        exclude: Iterable[int] = (),
    ) -> list[Member]:
        """On shift now, in the team, with the skills and room for one more."""
        need_language, need_category = self.needs(team_id, language, category, due)
        excluded = set(exclude)
        return [
            m
            for m in self.of_team(team_id)
            if m.on_shift and m.user_id not in excluded and m.can_take(need_language, need_category)
        ]

    def unread(self, user_id: int, team_id: int | None, language: str) -> bool:
        """Whether the person does not read a language someone in the team reads: given to
        them because nobody who does is on shift before the answer is due."""
        member = self.members.get(user_id)
        return bool(
            member
            and language
            and language not in member.languages
            and any(language in m.languages for m in self.of_team(team_id))
        )

    def waiting(
        self, team_id: int | None, language: str, category: str, due: datetime | None = None
    ) -> Waiting | None:
        """Why a conversation of the team waits in the queue, and who can take it first:
        None when someone on shift can (the next sweep gives it)."""
        if self.eligible(team_id, language, category, due=due):
            return None
        need_language, need_category = self.needs(team_id, language, category, due)
        able = [
            m
            for m in self.of_team(team_id)
            if m.availability is not None and m.knows(need_language, need_category)
        ]
        spoken = need_language if not any(m.on_shift for m in able) else None
        coming = [(self.next_shift(m.user_id), m.user_id) for m in able if not m.on_shift]
        times = [at for at, _ in coming if at is not None]
        first = min(times, default=None)
        return Waiting(spoken, first, tuple(u for at, u in coming if first and at == first))

    def backup_for(self, user_id: int | None) -> Member | None:
        member = self.members.get(user_id) if user_id else None
        if member and member.away and member.away[1]:
            return next(
                (m for m in self.members.values() if m.person_id == member.away[1] and m.on_shift),
                None,
            )
        return None

    def next_shift(
        self, user_id: int, *, horizon: timedelta = timedelta(days=14)
    ) -> datetime | None:
        member = self.members.get(user_id)
        if member is None or member.availability is None:
            return None
        return next_open(member.availability, self.now, horizon=horizon)


@lru_cache(maxsize=512)
def _schedule(
    zone: str, shifts: tuple[str, ...], country: str, region: str, days: tuple[str, ...]
) -> Schedule:
    return Schedule(
        time_zone(zone),
        parse_slots(shifts),
        holiday_dates(country, region, [date.fromisoformat(d) for d in days]),
    )


PERSON_FIELDS = (
    "id", "user_id", "user__email", "team_id", "time_zone", "shifts", "holiday_country",
    "holiday_region", "holidays", "languages", "categories", "capacity", "load",
    "last_assigned_at", "user__is_active",
)  # fmt: skip


def schedule_of(person: dict[str, Any], team: Team | None) -> Schedule:
    """Raises ValueError with a message fit for the head when it cannot be built."""
    if person["shifts"] and not person["time_zone"]:
        raise ValueError("has shifts but no time zone")
    days = tuple(sorted({*(person["holidays"] or []), *((team.holidays if team else None) or [])}))
    return _schedule(
        person["time_zone"] or "UTC",
        tuple(person["shifts"] or ()),
        person["holiday_country"],
        person["holiday_region"],
        days,
    )


def _member(
    person: dict[str, Any],
    team: Team | None,
    absences: list[tuple[date, date, int | None]],
    now: datetime,
) -> Member:
    member = Member(
        person_id=person["id"],
        user_id=person["user_id"],
        email=person["user__email"],
        team_id=person["team_id"],
        languages=frozenset(str(x).lower() for x in person["languages"] or ()),
        categories=frozenset(str(x).lower() for x in person["categories"] or ()),
        capacity=person["capacity"],
        load=person["load"],
        last_assigned_at=person["last_assigned_at"],
        availability=None,
    )
    if not person["user__is_active"]:
        return member  # never on shift: what they hold is handed over
    try:
        schedule = schedule_of(person, team)
    except ValueError as error:
        member.problem = str(error)
        return member
    if not member.languages and person["team_id"]:
        member.problem = "has no skills (no language): gets no conversations"
        return member
    closed: list[tuple[datetime, datetime | None]] = []
    for starts_on, ends_on, backup_id in absences:
        starts = resolve(datetime.combine(starts_on, time()), schedule.zone)
        ends = resolve(datetime.combine(ends_on + timedelta(days=1), time()), schedule.zone)
        closed.append((starts, ends))
        if starts <= now < ends:
            member.away = (ends, backup_id)
    member.availability = Without(schedule, closed) if closed else schedule
    member.on_shift = is_open(member.availability, now)
    return member


def zone_of(user: User) -> ZoneInfo:
    """The person's time zone: their own, their shifts', or the desk's (also when theirs
    is not a zone's name)."""
    names = [user.time_zone, *Person.objects.filter(user=user).values_list("time_zone", flat=True)]
    for name in filter(None, names):
        try:
            return time_zone(name)
        except ValueError as error:
            log.warning("%s: %s; using the desk's time zone", user.email, error)
    return ZoneInfo(settings.TIME_ZONE)
