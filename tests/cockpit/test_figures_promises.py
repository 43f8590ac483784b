"""The cockpit's promise figures against the desk of ``figures_week``, computed by hand:
each conversation's rolled-up outcome, first response and resolution overall, by category
and by language, each person's load and attainment, and a reply sent with the desk's button."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from handoff.cockpit import figures, people, rollup
from handoff.cockpit.figures import Period, Promise
from handoff.cockpit.models import Outcome
from handoff.desk import actions
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation, Message
from tests.cockpit.figures_week import PARIS, WEEK, Desk, desk

pytestmark = pytest.mark.django_db

__all__ = ["desk"]  # the fixture, imported for pytest


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
