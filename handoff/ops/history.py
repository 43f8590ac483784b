"""Months of a desk's history, written in bulk (``handoff demo --history N``).

The pipeline takes about 35 s for 14,000 messages: a million would take 40 minutes. Here
``handoff.demo.history_tales`` tells each conversation as the desk would have lived it
(the team's shifts and the SLA policies are read from the configuration the demo applied),
and this module writes the rows the pipeline, routing's sweep and the desk would have left:
the raw mail (real RFC 5322 bytes, stored "done"), the conversation, its messages,
participants and thread references, triage's decisions and the conversation's lane,
routing's clock (its due times computed by ``routing.clocks.compute``, as routing does),
the timeline (every payload checked by ``timeline.check``), ratings and the founder's
peeks. A thousand conversations at a time, in one transaction each (``history_rows``).
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F

from handoff.accounts.models import Role, User
from handoff.db import bulk
from handoff.demo import content
from handoff.demo import history_content as hc
from handoff.demo.history_story import DAY, HOUR, Desk, Member, Story, Target, holder_at
from handoff.demo.history_tales import Teller
from handoff.desk.models import Peek
from handoff.lib.thanks import counted
from handoff.mailin.models import RawMessage
from handoff.ops import history_rows as rows
from handoff.routing.clocks import Dues, History, compute, next_check
from handoff.routing.inputs import Facts
from handoff.routing.models import Clock, Person
from handoff.routing.policies import Book
from handoff.routing.roster import Roster
from handoff.routing.time.calendar import is_open
from handoff.triage import learning
from handoff.triage.models import FounderContact

CHUNK = 1000  # conversations per transaction


@dataclass
class Written:
    conversations: int = 0
    messages: int = 0
    events: int = 0
    skipped: bool = False  # the desk already had a history


def span_days(conversations: int) -> int:
    """How far back the history goes: a few weeks for a few hundred conversations, about
    six months for a hundred thousand (some thirty a day at least)."""
    return min(183, max(21, round(conversations / 30)))


def exists() -> bool:
    return RawMessage.objects.filter(channel="demo", source=rows.SOURCE).exists()


def write_history(
    conversations: int,
    *,
    now: datetime,
    seed: int = 7,
    progress: Callable[[int, int], None] | None = None,
) -> Written:
    """Write ``conversations`` conversations ending at ``now``; nothing when a history is
    already there (run on a fresh database for another one)."""
    if conversations <= 0:
        return Written()
    if exists():
        return Written(skipped=True)
    rng = random.Random(seed)
    until = now.timestamp()
    start = until - span_days(conversations) * DAY
    plan = Plan.load(now, start, until, rng)
    version = learning.active_version().pk
    teller = Teller(plan.desk, rng, until, start, seed, version)
    coming = arrivals(rng, conversations, start, until)
    written = Written()
    contacts: Counter[str] = Counter()
    with rows.bulk_load():
        for first in range(0, len(coming), CHUNK):
            stories = [
                teller.tell(first + i, *arrival)
                for i, arrival in enumerate(coming[first : first + CHUNK])
            ]
            with transaction.atomic():
                tables = rows.Tables(connection, contacts, version)
                for story in stories:
                    tables.add(story, plan.clock(story, until))
                written.messages += tables.write()
            written.conversations += len(stories)
            written.events += tables.events
            if progress:
                progress(written.conversations, conversations)
    with transaction.atomic():
        peek_at_queues(rng, plan.desk.founder[0], start, until)
        settle(plan, contacts, now)
    return written


def arrivals(
    rng: random.Random, count: int, start: float, until: float
) -> list[tuple[float, ZoneInfo, str]]:
    """When each conversation starts, from where, in which language: more on weekdays and
    in the writer's working hours, more as the months go by; oldest first."""
    first = datetime.fromtimestamp(start, UTC).date()
    days = [first + timedelta(days=d) for d in range(int((until - start) // DAY) + 1)]
    growth = [
        (0.6 + 0.4 * d / len(days)) * hc.WEEKDAYS[day.weekday()] for d, day in enumerate(days)
    ]
    found = []
    cumulative = list(accumulate(growth))
    hours = list(accumulate(hc.HOURS))
    for lang in rng.choices(hc.LANGUAGES, hc.LANGUAGE_WEIGHTS, k=count):
        zones, weights = zip(*hc.REGIONS[lang], strict=True)
        zone = ZoneInfo(rng.choices(zones, weights)[0])
        while True:
            day = days[bisect(cumulative, rng.random() * cumulative[-1])]
            hour = bisect(hours, rng.random() * hours[-1])
            local = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
            at = float(int(local.timestamp() + rng.uniform(0, HOUR)))
            if start <= at < until - 60:
                break
        found.append((at, zone, lang))
    found.sort(key=lambda arrival: arrival[0])
    return found


class Plan:
    """The desk as configured: the team's shifts hour by hour, the policies' targets."""

    def __init__(self, desk: Desk, book: Book, team_id: int | None, rng: random.Random) -> None:
        self.desk, self.book, self.team_id, self.rng = desk, book, team_id, rng
        self.policies: dict[tuple[str, str], Any] = {}

    @classmethod
    def load(cls, now: datetime, start: float, until: float, rng: random.Random) -> Plan:
        roster = Roster.load(now)
        zones = dict(Person.objects.values_list("user_id", "time_zone"))
        names = dict(User.objects.values_list("pk", "name"))
        calendars = {
            m.user_id: m.availability
            for m in roster.members.values()
            if m.team_id is not None and m.availability is not None
        }
        members = {
            user: Member(user, names[user].split()[0], ZoneInfo(zones[user]), member.languages)
            for user, member in roster.members.items()
            if user in calendars
        }
        first_hour = start // HOUR * HOUR
        shifts = []
        for hour in range(int((until - first_hour) // HOUR) + 24 * 9):
            at = datetime.fromtimestamp(first_hour + hour * HOUR + HOUR / 2, UTC)
            shifts.append(tuple(u for u, c in calendars.items() if is_open(c, at)))
        founder = User.objects.filter(role=Role.FOUNDER).order_by("pk").first()
        head = User.objects.filter(role=Role.HEAD).order_by("pk").first()
        if founder is None or head is None or not members:
            raise ValueError("the history needs the demo's founder, head and team")
        plan = cls(
            Desk(
                members,
                (founder.pk, founder.name, founder.email),
                head.pk,
                dict(content.MAILBOXES),
                content.DOMAIN,
                shifts,
                first_hour,
                lambda lane, category: plan.target(lane, category),
            ),
            Book.load(),
            min(roster.teams, default=None),
            rng,
        )
        return plan

    def policy(self, lane: str, category: str) -> Any:
        key = (lane, category)
        if key not in self.policies:
            self.policies[key] = self.book.policy_for(Facts(lane=lane, category=category))
        return self.policies[key]

    def target(self, lane: str, category: str) -> Target | None:
        policy = self.policy(lane, category)
        if policy is None:
            return None
        targets = self.book.targets[policy.pk]
        seconds = [
            t.total_seconds() if t else None
            for t in (targets.first_response, targets.next_response)
        ]
        return Target(policy.name, seconds[0], seconds[1], targets.remind_at)

    def clock(self, s: Story, until: float) -> rows.ClockState:
        """Routing's clock as it stands at the end of the story: its due times computed
        from the messages and pauses, the sweep's steps on the resolution clock."""
        policy = self.policy(s.lane, s.category) if s.routed else None
        is_open_now = s.status != "solved"
        dues = Dues()
        if policy is not None:
            when = rows.utc
            inbound, outbound = counted((when(m.at), m.out, m.thanks) for m in s.mails if m.human)
            history = History(
                inbound,
                outbound,
                when(s.pauses[-1][0])
                if s.pauses and s.pauses[-1][1] is None and s.pauses[-1][2] == "solved"
                else None,
                [(when(a), when(b) if b is not None else None) for a, b, _ in s.pauses],
            )
            dues = compute(history, self.book.targets[policy.pk])
        running = dues.running if is_open_now else {}
        ladder = {}
        wait = s.wait
        for key in running:
            if wait is not None and key == wait.key and wait.stage:
                ladder[key] = wait.stage
        resolution = self.resolution(s, dues, until)
        if resolution and "resolution" in running:
            ladder["resolution"] = resolution
        team = self.team_id if s.lane == "noise" or (s.lane == "team" and s.moved is None) else None
        return rows.ClockState(
            policy.pk if policy else None,
            team,
            dues,
            is_open_now,
            ladder,
            next_check(running, ladder),
        )

    def resolution(self, s: Story, dues: Dues, until: float) -> str:
        """The sweep's reminder and breach of the resolution clock, on the timeline."""
        due, warn = dues.resolution_due, dues.resolution_warn
        if due is None or warn is None:
            return ""
        end = dues.resolved_at.timestamp() if dues.resolved_at else until
        stage = ""
        for kind, mark in (("reminded", warn.timestamp()), ("breached", due.timestamp())):
            at = min(mark + self.rng.uniform(1.0, 59.0), until)  # the sweep's next minute
            if mark < end and mark <= until:
                data = {"clock": "resolution", "due": due.isoformat()}
                s.steps.append((kind, at, None, holder_at(s, mark), None, data))
                stage = kind
        if stage == "breached":
            s.breached_at = min(s.breached_at or due.timestamp(), due.timestamp())
        return stage


def peek_at_queues(rng: random.Random, founder: int, start: float, until: float) -> None:
    """The founder opening the team's queues: often at first, rarely once she trusts them."""
    peeks = []
    day = start
    while day < until:
        chance = 0.7 - 0.6 * (day - start) / max(until - start, 1.0)
        if rng.random() < chance:
            at = datetime.fromtimestamp(day + rng.uniform(6 * HOUR, 20 * HOUR), UTC)
            if at.timestamp() < until:
                kind = "people" if rng.random() < 0.15 else "queue"
                what = "" if kind == "people" else rng.choice(("unassigned", "due"))
                peeks.append(Peek(user_id=founder, kind=kind, at=at, what=what))
        day += DAY
    bulk.insert(peeks)


def settle(plan: Plan, contacts: Counter[str], now: datetime) -> None:
    """What routing and triage keep beside the rows: each person's load and last
    assignment, and the founder's correspondents (people she writes to personally)."""
    for member in plan.desk.members.values():
        clocks = Clock.objects.filter(assignee_id=member.user_id)
        last = clocks.exclude(assigned_at=None).order_by("-assigned_at").first()
        Person.objects.filter(user_id=member.user_id).update(
            load=clocks.filter(is_open=True, routed=True).count(),
            last_assigned_at=last.assigned_at if last else None,
        )
    bulk.insert(
        (FounderContact(address=a[:320], messages=0, last_at=now) for a in contacts),
        ignore_conflicts=True,
    )
    for address, count in contacts.items():
        FounderContact.objects.filter(address=address[:320]).update(
            messages=F("messages") + count, last_at=now
        )
