"""The cockpit's figures against a small desk computed by hand, to the second.

The week is Monday 19 to Sunday 25 October 2026 in Paris: summer time (UTC+2) until
Sunday 03:00, when the clocks go back to 02:00 (UTC+1), so the week lasts 169 hours.
Every step goes through the real pipeline at its exact second: mail delivered (the
customers' and the team's answers), triage's decision set as the tests' helper sets it,
statuses, escalation and assignment through the desk's actions, the sweep that records
breaches, then the roll-up. The figures are read on Monday 26 October at 12:00 (UTC+1).
The team's answers come by mail, from a mail client; the desk's reply button is tested
apart, at the end.

The team: Chris on shift Monday to Friday 09:00-17:00, Nadia Monday to Friday
13:00-21:00 and at the weekend 09:00-17:00, both in Paris. Pre-sales promises an answer
within 1 hour and a solution within 8; support 4 hours and 24 (round the clock).

    opened (Paris wall clock)     answered            solved           notes
  A presales en Mon 19 10:00:00   10:12:30            12:00:00
  B presales fr Tue 20 14:00:00   15:20:00 (late)     15:30:00         breached at 15:00
  N spam en     Wed 21 03:00:00   -                   -                noise
  C support fr  Wed 21 09:00:00   10:15:00            Thu 22 10:00:00  waiting on the customer
                                                                       Wed 10:16 to Thu 09:00
  F founder en  Thu 22 11:00:00   -                   -                founder lane
  I support en  Thu 22 14:00:00   14:35:00            16:40:00         the founder took it
  H presales en Fri 23 10:00:00   10:20:00 (founder)  11:00:00         the founder answered
  G support en  Fri 23 15:00:00   -                   -                escalated at 15:10
  D support en  Sat 24 23:30:00   Sun 02:15:00        Sun 09:45:00     across the DST change;
                (UTC+2)           (UTC+1)             (UTC+1)          nobody on shift
  E support en  Sun 25 08:30:00   09:10:00            open             nobody on shift
  P support en  Mon 12 10:00:00   -                   open             the week before
  Q support en  Mon 26 11:30:00   -                   open             the week after
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from handoff.accounts.models import Role, User
from handoff.cockpit import coverage, figures, people, rollup
from handoff.cockpit.coverage import Hour
from handoff.cockpit.figures import Period, Promise
from handoff.cockpit.models import Outcome
from handoff.desk import actions
from handoff.desk.models import Peek, Rating
from handoff.mailin.models import Mailbox
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.routing.models import Clock
from handoff.routing.sweep import sweep
from handoff.tickets.models import Conversation, Message
from tests.helpers import decided, deliver, mail

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
WEEK = Period.dates(date(2026, 10, 19), date(2026, 10, 25), PARIS)
NOW = datetime(2026, 10, 26, 12, 0, tzinfo=PARIS)  # 11:00 UTC
DESK = "support@acme.example"
_ids = count(1)

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

[[person]]
email = "nadia@acme.example"
name = "Nadia"
team = "happiness"
time_zone = "Europe/Paris"
shifts = ["mon-fri 13:00-21:00", "sat,sun 09:00-17:00"]
languages = ["en", "fr"]

[[policy]]
name = "presales"
when = { category = ["presales"] }
first_response = "1h"
resolution = "8h"

[[policy]]
name = "support"
when = { lane = ["team"] }
first_response = "4h"
resolution = "24h"
"""


def paris(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment of October 2026 on a Paris wall clock (not the 25th's 02:00-03:00, which
    happens twice: those are written in UTC)."""
    return datetime(2026, 10, day, hour, minute, second, tzinfo=PARIS)


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


class Desk:
    """The desk at work, each step at its exact second."""

    def __init__(self) -> None:
        self.chris = User.objects.get(email="chris@acme.example")
        self.camille = User.objects.get(role=Role.FOUNDER)

    def write(
        self,
        subject: str,
        when: datetime,
        *,
        category: str = "support",
        language: str = "en",
        lane: str = "team",
    ) -> Conversation:
        """A customer's first mail, triaged as given, routed."""
        number = next(_ids)
        with time_machine.travel(when, tick=False):
            (message,) = deliver(
                mail(
                    f"c{number}@client.example",
                    subject=subject,
                    sender=f"customer{number}@client{number}.example",
                    date=when.astimezone(UTC),
                    body="Hello, could you help me with my account please?",
                )
            )
            decided(message, lane=lane, category=category, language=language)
            route([message.conversation_id])
        return Conversation.objects.get(pk=message.conversation_id)

    def _last_in(self, conversation: Conversation) -> Message:
        last = conversation.messages.filter(direction=Message.Direction.IN).last()
        assert last is not None
        return last

    def again(self, conversation: Conversation, when: datetime) -> None:
        """The customer answers in the same conversation."""
        last = self._last_in(conversation)
        with time_machine.travel(when, tick=False):
            (message,) = deliver(
                mail(
                    f"c{next(_ids)}@client.example",
                    subject=f"Re: {conversation.subject}",
                    sender=last.from_address,
                    in_reply_to=last.message_id,
                    date=when.astimezone(UTC),
                    body="Here is the screenshot you asked for.",
                )
            )
            decided(message, lane="team", category="support", language=last.triage.language)
            route([conversation.pk])
        assert message.conversation_id == conversation.pk

    def answer(self, conversation: Conversation, when: datetime, sender: str = DESK) -> None:
        """An answer written in a mail client (the desk's address, or the founder's own),
        which comes to the desk like any mail. The desk's reply button is tested apart:
        ``test_a_reply_from_the_desk_counts_as_the_first_response``."""
        last = self._last_in(conversation)
        with time_machine.travel(when, tick=False):
            (message,) = deliver(
                mail(
                    f"r{next(_ids)}@mail.acme.example",
                    subject=f"Re: {conversation.subject}",
                    sender=sender,
                    to=last.from_address,
                    in_reply_to=last.message_id,
                    date=when.astimezone(UTC),
                    body="Thank you, here is the answer.",
                )
            )
        assert (message.conversation_id, message.direction) == (conversation.pk, "out")

    def status(self, conversation: Conversation, status: str, when: datetime) -> None:
        with time_machine.travel(when, tick=False):
            assert actions.set_status(conversation, status, self.chris)

    def solve(self, conversation: Conversation, when: datetime) -> None:
        self.status(conversation, Conversation.Status.SOLVED, when)

    def escalate(self, conversation: Conversation, when: datetime) -> None:
        with time_machine.travel(when, tick=False):
            assert actions.escalate(conversation, self.chris)

    def founder_takes(self, conversation: Conversation, when: datetime) -> None:
        with time_machine.travel(when, tick=False):
            actions.assign(conversation, self.camille, self.camille)

    def sweep(self, when: datetime) -> None:
        with time_machine.travel(when, tick=False):
            sweep(when)


def build_desk() -> dict[str, Conversation]:
    User.objects.create_user("camille@acme.example", None, name="Camille", role=Role.FOUNDER)
    User.objects.create_user("chris@acme.example", None, name="Chris", role=Role.AGENT)
    Mailbox.objects.create(address=DESK, name="Acme")
    outcome = apply_text(TEAM, paris(1, 0))
    assert outcome.ok, outcome.errors
    d = Desk()
    found: dict[str, Conversation] = {}

    found["P"] = d.write("Password reset loop", paris(12, 10))
    d.sweep(paris(12, 14, 30))  # never answered: breached at 14:00, the week before

    found["A"] = d.write("Pricing for 40 seats", paris(19, 10), category="presales")
    d.answer(found["A"], paris(19, 10, 12, 30))
    d.solve(found["A"], paris(19, 12))

    found["B"] = d.write("Devis pour 12 postes", paris(20, 14), category="presales", language="fr")
    d.sweep(paris(20, 15, 10))  # the hour ran out at 15:00
    d.answer(found["B"], paris(20, 15, 20))
    d.solve(found["B"], paris(20, 15, 30))

    found["N"] = d.write("You won a cruise", paris(21, 3), lane="noise", category="spam")

    found["C"] = d.write("Export cassé", paris(21, 9), language="fr")
    d.answer(found["C"], paris(21, 10, 15))
    d.status(found["C"], Conversation.Status.PENDING, paris(21, 10, 16))
    d.again(found["C"], paris(22, 9))  # the customer answers: the wait is over
    d.answer(found["C"], paris(22, 9, 55))
    d.solve(found["C"], paris(22, 10))

    found["F"] = d.write("Term sheet", paris(22, 11), lane="founder", category="founder")

    found["I"] = d.write("Refund for a double charge", paris(22, 14))
    d.founder_takes(found["I"], paris(22, 14, 5))
    d.answer(found["I"], paris(22, 14, 35))
    d.solve(found["I"], paris(22, 16, 40))

    found["H"] = d.write("Enterprise plan?", paris(23, 10), category="presales")
    d.answer(found["H"], paris(23, 10, 20), sender=d.camille.email)
    d.solve(found["H"], paris(23, 11))

    found["G"] = d.write("Partnership proposal", paris(23, 15))
    d.escalate(found["G"], paris(23, 15, 10))

    found["D"] = d.write("Cannot log in", paris(24, 23, 30))  # 21:30 UTC
    d.answer(found["D"], utc(25, 1, 15))  # 02:15 UTC+1, the second 02:15 of that night
    d.solve(found["D"], paris(25, 9, 45))  # 08:45 UTC

    found["E"] = d.write("Invoice address", paris(25, 8, 30))  # 07:30 UTC
    d.answer(found["E"], paris(25, 9, 10))

    found["Q"] = d.write("Webhook retries", paris(26, 11, 30))
    d.sweep(NOW)
    rollup.refresh_all(NOW)
    return found


@pytest.fixture(scope="module")
def desk(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Conversation]]:
    """Built once for the module (a few seconds of pipeline), in a transaction rolled back
    at its end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_desk()
        transaction.set_rollback(True)


def seconds(promise: Promise) -> tuple[object, ...]:
    """What a row of the promise table shows, times in seconds."""
    return (
        promise.key,
        promise.count,
        promise.first_median,
        promise.first_p90,
        promise.first_attainment,
        promise.resolution_median,
        promise.resolution_p90,
        promise.resolution_attainment,
    )


# -- the roll-up -------------------------------------------------------------------------


def test_each_outcome_is_the_true_elapsed_time_with_the_wait_cut_out(
    desk: dict[str, Conversation],
) -> None:
    rows = {
        key: Outcome.objects.values_list(
            "first_response", "first_response_met", "resolution", "resolution_met", "founder"
        ).get(pk=conversation.pk)
        for key, conversation in desk.items()
        if key in "ABCDE"
    }
    assert rows == {
        # 10:00:00 -> 10:12:30 = 750 s; -> 12:00:00 = 7200 s
        "A": (750.0, True, 7200.0, True, ""),
        # 14:00 -> 15:20 = 4800 s, over the hour; -> 15:30 = 5400 s, within 8 h
        "B": (4800.0, False, 5400.0, True, ""),
        # 09:00 -> 10:15 = 4500 s. Wed 09:00 -> Thu 10:00 = 25 h = 90000 s, less the wait
        # Wed 10:16 -> Thu 09:00 = 22 h 44 min = 81840 s: 8160 s, within 24 h (and due
        # Fri 07:44 UTC+2 with the wait added; without it, due Thu 09:00, and missed)
        "C": (4500.0, True, 8160.0, True, ""),
        # Sat 21:30 UTC -> Sun 01:15 UTC = 3 h 45 min = 13500 s (the wall clock says
        # 23:30 -> 02:15, 2 h 45 min); -> Sun 08:45 UTC = 11 h 15 min = 40500 s
        "D": (13500.0, True, 40500.0, True, ""),
        # 08:30 -> 09:10 = 2400 s; open on Monday 12:00, past its due Monday 08:30: missed
        "E": (2400.0, True, None, False, ""),
    }


# -- promises ----------------------------------------------------------------------------


def test_first_response_and_resolution_overall_by_category_and_by_language(
    desk: dict[str, Conversation],
) -> None:
    found = figures.promises(WEEK)
    # Nine conversations to answer: A B C D E F G H I (not N, noise; not P nor Q, other
    # weeks). First responses, sorted: A 750, H 1200, I 2100, E 2400, C 4500, B 4800,
    # D 13500 (F and G, in the founder's lane, have no clock).
    assert seconds(found.overall) == (
        "all",
        9,
        2400.0,  # the 4th of 7: E
        13500.0,  # nearest rank ceil(0.9 * 7) = 7th: D
        6 / 7,  # B missed its hour
        # Resolutions sorted: H 3600, B 5400, A 7200, C 8160, I 9600, D 40500 (E is open)
        7680.0,  # (7200 + 8160) / 2
        40500.0,  # ceil(0.9 * 6) = 6th
        6 / 7,  # E missed its 24 hours
    )
    assert [seconds(p) for p in found.by_category] == [
        # A 750, H 1200, B 4800; resolutions H 3600, B 5400, A 7200
        ("presales", 3, 1200.0, 4800.0, 2 / 3, 5400.0, 7200.0, 1.0),
        # I 2100, E 2400, C 4500, D 13500 -> (2400 + 4500) / 2; C 8160, I 9600, D 40500;
        # G counted, with no clock once escalated
        ("support", 5, 3450.0, 13500.0, 1.0, 9600.0, 40500.0, 3 / 4),
        ("founder", 1, None, None, None, None, None, None),  # F
    ]
    assert [(p.first_target, p.resolution_target) for p in found.by_category] == [
        (3600.0, 28800.0),  # 1 h, 8 h
        (14400.0, 86400.0),  # 4 h, 24 h
        (None, None),
    ]
    assert [seconds(p) for p in found.by_language] == [
        # A 750, H 1200, I 2100, E 2400, D 13500; H 3600, A 7200, I 9600, D 40500
        ("en", 7, 2100.0, 13500.0, 1.0, 8400.0, 40500.0, 4 / 5),
        # C 4500, B 4800 -> 4650; B 5400, C 8160 -> 6780
        ("fr", 2, 4650.0, 4800.0, 1 / 2, 6780.0, 8160.0, 1.0),
    ]


def test_median_and_90th_percentile_as_defined() -> None:
    assert figures.median([]) is None
    assert figures.p90([]) is None
    assert figures.median([5.0]) == figures.p90([5.0]) == 5.0
    assert figures.median([4.0, 1.0, 3.0, 2.0]) == 2.5  # (2 + 3) / 2
    values = [float(v) for v in range(20, 0, -1)]  # 20, 19, ... 1
    assert figures.p90(values) == 18.0  # ceil(0.9 * 20) = 18th smallest
    assert figures.p90(values[:11]) == 19.0  # 10..20: ceil(9.9) = 10th smallest
    assert figures.share(0, 0) is None


# -- hands-off ---------------------------------------------------------------------------


def test_hands_off_rate_and_the_founders_reasons(desk: dict[str, Conversation]) -> None:
    found = figures.hands_off(WEEK)
    assert found.needed == 9  # A B C D E F G H I; N is noise
    assert found.by_team == 5  # A B C D E
    assert found.rate == 5 / 9
    # F came in the founder's lane; G was escalated to her; she took I from the queue and
    # answered H herself.
    assert found.reasons == Counter({"lane": 1, "escalated": 1, "jumped_in": 2})
    assert [(pk, reason) for pk, _, reason, _ in found.handled] == [
        (desk["G"].pk, "escalated"),  # newest first: Fri 15:00
        (desk["H"].pk, "jumped_in"),  # Fri 10:00
        (desk["I"].pk, "jumped_in"),  # Thu 14:00
        (desk["F"].pk, "lane"),  # Thu 11:00
    ]
    assert found.handled[0][1:] == ("Partnership proposal", "escalated", utc(23, 13))


# -- volume and coverage -----------------------------------------------------------------


def test_volume_by_lane_category_and_language(desk: dict[str, Conversation]) -> None:
    found = coverage.volume(WEEK)
    assert found.by_lane == [("team", 7), ("founder", 2), ("noise", 1)]
    assert found.by_category == [("presales", 3), ("support", 5), ("founder", 1), ("spam", 1)]
    assert found.by_language == [("en", 8), ("fr", 2)]


def test_the_week_grid_puts_mail_at_its_local_hour_and_finds_the_gaps(
    desk: dict[str, Conversation],
) -> None:
    week = coverage.volume(WEEK).week
    # The team's mail (A B C D E H I), at its local hour; staffed: who is on shift at
    # half past. Mon 10:00: Chris; Tue 14:00: Chris and Nadia; Wed 09:00:00 sharp: Chris's
    # shift has begun.
    assert week[(0, 10)] == Hour(conversations=1, staffed=1, uncovered=0)  # A
    assert week[(1, 14)] == Hour(conversations=1, staffed=2, uncovered=0)  # B
    assert week[(2, 9)] == Hour(conversations=1, staffed=1, uncovered=0)  # C
    assert week[(3, 14)] == Hour(conversations=1, staffed=2, uncovered=0)  # I
    assert week[(4, 10)] == Hour(conversations=1, staffed=1, uncovered=0)  # H
    # D: Sat 21:30 UTC is 23:30 in summer time; E: Sun 07:30 UTC is 08:30 in winter time
    # (09:30 at the summer's offset, when Nadia is on shift).
    assert week[(5, 23)] == Hour(conversations=1, staffed=0, uncovered=1)
    assert week[(6, 8)] == Hour(conversations=1, staffed=0, uncovered=1)
    assert sum(h.conversations for h in week.values()) == 7  # not F G (founder), N (noise)
    assert coverage.volume(WEEK).gaps == [
        (5, 23, Hour(conversations=1, staffed=0, uncovered=1)),
        (6, 8, Hour(conversations=1, staffed=0, uncovered=1)),
    ]
    # Nobody's hours, in Paris: Nadia from 09:00 at the weekend, in winter time on Sunday
    # (08:00 UTC); Mondays 09:00-13:00 Chris, 13:00-17:00 both, 17:00-21:00 Nadia.
    staffed = {key: hour.staffed for key, hour in week.items()}
    assert [staffed[(6, h)] for h in (1, 2, 3, 8, 9, 16, 17)] == [0, 0, 0, 0, 1, 1, 0]
    assert [staffed[(0, h)] for h in (8, 9, 12, 13, 16, 17, 20, 21)] == [0, 1, 1, 2, 2, 1, 1, 0]
    # 5 weekdays x (4 + 8 + 4 staffed hours) + 2 weekend days x 8 hours
    assert sum(1 for s in staffed.values() if s) == 5 * 12 + 2 * 8


def test_the_week_grid_of_a_zone_half_an_hour_off_utc(desk: dict[str, Conversation]) -> None:
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30 all year
    outcome = apply_text(TEAM.replace('"Europe/Paris"', '"Asia/Kolkata"'), NOW)
    assert outcome.ok, outcome.errors
    week = coverage.volume(Period.dates(date(2026, 10, 19), date(2026, 10, 25), kolkata)).week
    # The same shifts, now on Kolkata's clock: Chris 09:00-17:00, Nadia 13:00-21:00.
    staffed = [week[(0, h)].staffed for h in (8, 9, 12, 13, 16, 17, 20, 21)]
    assert staffed == [0, 1, 1, 2, 2, 1, 1, 0]
    # A came at 08:00 UTC, 13:30 in Kolkata, when both were on shift.
    assert week[(0, 13)] == Hour(conversations=1, staffed=2, uncovered=0)


# -- backlog -----------------------------------------------------------------------------


def test_backlog_ages_now_and_the_breaches_of_the_period(desk: dict[str, Conversation]) -> None:
    found = figures.backlog(WEEK, NOW)
    # Open on Monday 26 at 11:00 UTC, whatever the period: Q since 10:30 UTC (30 min),
    # E since Sun 07:30 UTC (27 h 30), G since Fri 13:00 UTC (70 h), F since Thu 09:00
    # UTC (98 h), P since Mon 12 08:00 UTC (14 days 3 h).
    assert found.ages == [
        ("<1h", 1),
        ("1–4h", 0),
        ("4–24h", 0),
        ("1–3d", 2),
        ("3–7d", 1),
        (">7d", 1),
    ]
    assert found.open == 5
    # B's hour ran out at 15:00 UTC+2 (13:00 UTC); P's 4 hours the week before, E's 24
    # hours on Monday 26 at 07:30 UTC: neither in the period.
    assert found.breaches == [(desk["B"].pk, "Devis pour 12 postes", utc(20, 13), "solved", 4800.0)]
    assert figures.breach_count(WEEK) == 1
    assert figures.breach_count(Period.dates(date(2026, 10, 12), date(2026, 10, 18), PARIS)) == 1
    assert figures.breach_count(Period.dates(date(2026, 10, 26), date(2026, 10, 26), PARIS)) == 1


def test_the_roll_up_redoes_what_changed(desk: dict[str, Conversation]) -> None:
    later = paris(26, 12, 30)
    Desk().solve(desk["E"], later)
    assert rollup.refresh_changed(later) == 1
    # Sun 07:30 UTC -> Mon 11:30 UTC = 28 h = 100800 s, past the 24 h
    assert Outcome.objects.values_list("resolution", "resolution_met", "is_open").get(
        pk=desk["E"].pk
    ) == (100800.0, False, False)
    assert figures.backlog(WEEK, later).open == 4


# -- the team ----------------------------------------------------------------------------


def test_each_persons_load_first_responses_and_attainment(desk: dict[str, Conversation]) -> None:
    # Routing gives a conversation to the least loaded person on shift; the sweep passes
    # a breached one to someone else, and a person's conversations on when their shift is
    # over. P: Chris, then Nadia at its breach (Mon 12), then Chris again at the sweep of
    # Mon 26 12:00 (Nadia off shift). B: Chris (Nadia held P), then Nadia at its breach.
    # A, C, H: Chris, alone on shift. E: queued on Sunday, Chris at Monday's sweep. D:
    # queued, solved before any sweep. F, G, I: Camille, who is not counted.
    found = people.team(WEEK)
    assert [(p.name, p.open_now, p.handled, sorted(p.first)) for p in found] == [
        ("Chris", 3, 4, [750.0, 1200.0, 2400.0, 4500.0]),  # P E Q open; A H E C
        ("Nadia", 0, 1, [4800.0]),  # B
    ]
    assert found[0].first_median == 1800.0  # (1200 + 2400) / 2
    assert (found[0].attainment, found[1].attainment) == (1.0, 0.0)


# -- periods, peeks and ratings ----------------------------------------------------------


def test_a_period_of_local_days_across_the_dst_change() -> None:
    assert (WEEK.start, WEEK.end) == (utc(18, 22), utc(25, 23))  # Mon 00:00 UTC+2 to UTC+1
    assert WEEK.length == timedelta(days=7, hours=1)
    assert WEEK.weeks() == [date(2026, 10, 19)]
    # The week before is the local week before, 168 hours; and the week after the change
    # is preceded by the week of the change.
    assert WEEK.previous() == Period.dates(date(2026, 10, 12), date(2026, 10, 18), PARIS)
    after = Period.dates(date(2026, 10, 26), date(2026, 11, 1), PARIS)
    assert after.previous() == WEEK
    # A period that is not whole local days steps back by its length.
    last = Period.last(7, NOW, PARIS)
    assert last.previous() == Period(NOW - timedelta(days=14), NOW - timedelta(days=7), PARIS)


def test_peeks_and_ratings_fall_in_the_local_week(desk: dict[str, Conversation]) -> None:
    camille = User.objects.get(role=Role.FOUNDER)
    conversation = desk["A"]
    for at in (
        utc(18, 21, 30),  # Sun 18 23:30 UTC+2: the week before
        utc(18, 22, 30),  # Mon 19 00:30 UTC+2
        utc(25, 22, 30),  # Sun 25 23:30 UTC+1
        utc(25, 23, 30),  # Mon 26 00:30 UTC+1: the week after
    ):
        Peek.objects.create(user=camille, kind=Peek.Kind.CONVERSATION, at=at)
    Rating.objects.create(conversation=conversation, score="good", at=utc(18, 21, 30))
    Rating.objects.create(conversation=conversation, score="bad", at=utc(18, 22, 30))
    Rating.objects.create(
        conversation=conversation, score="good", comment="Quick!", at=utc(25, 22, 30)
    )
    Rating.objects.create(conversation=conversation, score="okay", at=utc(25, 23, 30))
    assert people.peeks(WEEK) == [(date(2026, 10, 19), 2)]
    assert people.peek_count(WEEK) == 2
    two_weeks = Period.dates(date(2026, 10, 19), date(2026, 11, 1), PARIS)
    assert people.peeks(two_weeks) == [(date(2026, 10, 19), 2), (date(2026, 10, 26), 1)]
    found = people.satisfaction(WEEK)
    assert found.counts == Counter({"good": 1, "bad": 1})
    assert found.good == 1 / 2
    assert found.weeks == [(date(2026, 10, 19), Counter({"good": 1, "bad": 1}))]
    assert found.comments == [(conversation.pk, "good", "Quick!", utc(25, 22, 30))]
    assert people.satisfaction(WEEK.previous()).counts == Counter({"good": 1})


# -- the desk's reply button -------------------------------------------------------------


def test_a_reply_from_the_desk_counts_as_the_first_response(
    desk: dict[str, Conversation],
) -> None:
    d = Desk()
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)  # the week after the fixture's
    conversation = d.write("Pricing for 90 seats", monday, category="presales")
    with time_machine.travel(monday + timedelta(minutes=42, seconds=30), tick=False):
        actions.reply(conversation, d.chris, "90 seats: 2,700 EUR a year.")
    # Recorded as "own" (its Message-ID is on the desk's domain), yet a person's reply.
    sent = conversation.messages.get(direction=Message.Direction.OUT)
    assert sent.noise == Message.Noise.OWN
    clock = Clock.objects.get(conversation=conversation)
    assert clock.first_responded_at == monday + timedelta(minutes=42, seconds=30)
    rollup.refresh_all(monday + timedelta(hours=1))
    found = figures.promises(Period.dates(monday.date(), monday.date(), PARIS)).overall
    assert found.first == [2550.0]  # 10:00:00 -> 10:42:30
    assert found.first_attainment == 1.0


def test_the_founder_answering_with_the_desks_reply_button_jumped_in(
    desk: dict[str, Conversation],
) -> None:
    d = Desk()
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    hers = d.write("Bulk discount?", monday, category="presales")
    theirs = d.write("Bulk export?", monday + timedelta(minutes=1))
    with time_machine.travel(monday + timedelta(minutes=5), tick=False):
        # Both sent from the desk's address: only the author tells them apart.
        actions.reply(hers, d.camille, "Yes: 10% above 50 seats.")
        actions.reply(theirs, d.chris, "Settings, then Export.")
    rollup.refresh_all(monday + timedelta(hours=1))
    found = figures.hands_off(Period.dates(monday.date(), monday.date(), PARIS))
    assert (found.needed, found.by_team) == (2, 1)
    assert found.reasons == Counter({"jumped_in": 1})
    assert [pk for pk, *_ in found.handled] == [hers.pk]


def test_a_conversation_escalated_then_handed_back_counts_as_escalated(
    desk: dict[str, Conversation],
) -> None:
    d = Desk()
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=PARIS)
    conversation = d.write("Delete all my data", monday)
    d.escalate(conversation, monday + timedelta(minutes=10))  # routing gives it to her
    with time_machine.travel(monday + timedelta(minutes=30), tick=False):
        assert actions.hand_to_team(conversation, d.camille)
    rollup.refresh_all(monday + timedelta(hours=1))
    found = figures.hands_off(Period.dates(monday.date(), monday.date(), PARIS))
    assert (found.needed, found.by_team) == (1, 0)
    assert found.reasons == Counter({"escalated": 1})
