"""The small desk the cockpit's figures are computed against by hand, to the second.

The week is Monday 19 to Sunday 25 October 2026 in Paris: summer time (UTC+2) until
Sunday 03:00, when the clocks go back to 02:00 (UTC+1), so the week lasts 169 hours.
Every step goes through the real pipeline at its exact second: mail delivered (the
customers' and the team's answers), triage's decision set as the tests' helper sets it,
statuses, escalation and assignment through the desk's actions, the sweep that records
breaches, then the roll-up. The figures are read on Monday 26 October at 12:00 (UTC+1).
The team's answers come by mail, from a mail client; the desk's reply button is tested
apart, at the end of ``test_figures_promises`` and ``test_figures_delegation``.
The fixture ``desk`` builds the desk once for each test module that imports it.

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

from collections.abc import Iterator
from datetime import UTC, date, datetime
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from handoff.accounts.models import Role, User
from handoff.cockpit import rollup
from handoff.cockpit.figures import Period
from handoff.desk import actions
from handoff.mailin.models import Mailbox
from handoff.routing.actions import route
from handoff.routing.config.apply import apply_text
from handoff.routing.sweep import sweep
from handoff.tickets.models import Conversation, Message
from tests.helpers import decided, deliver, mail

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
