"""The founder's weekly digest, sent: printed or queued by the command, sent through the
outbox (text and HTML) by the cockpit's tick at the founder's hour, once a week. The week
and its desk are ``digest_week``'s."""

from __future__ import annotations

from datetime import datetime
from email import message_from_bytes, policy
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connections

from handoff.cockpit.models import Digest
from handoff.cockpit.send import send_due
from handoff.cockpit.tasks import TICK_LOCK, tick
from handoff.cockpit.weeks import parse_week
from handoff.mailout.compose import email_of
from handoff.mailout.models import Outgoing
from tests.cockpit.digest_week import NOW, WEEK, bad, conversation_link, desk, local, quiet, write

pytestmark = pytest.mark.django_db

__all__ = ["bad", "desk", "quiet"]  # the fixtures, imported for pytest


# -- sending -----------------------------------------------------------------------------


def parts(outgoing: Outgoing) -> dict[str, str]:
    message = message_from_bytes(email_of(outgoing).message().as_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    return {p.get_content_type(): p.get_content() for p in message.iter_parts()}


def test_the_command_prints_the_digest_and_its_html(quiet: dict[str, Any]) -> None:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("digest", "--print", stdout=out)
    assert out.getvalue().startswith(
        "To: camille@acme.example\n"
        "Subject: [Handoff] Weekly digest, 30 November – 6 December 2026: a quiet week\n\n"
        "30 November – 6 December 2026: a quiet week."
    )
    html = StringIO()
    call_command("digest", "--print", "--html", "--week", WEEK, "--user", "Sophie@acme.example",
                 stdout=html)  # fmt: skip
    assert html.getvalue().startswith("<!DOCTYPE html>")
    assert Outgoing.objects.count() == 0


def test_send_puts_a_text_and_html_message_in_the_outbox(bad: dict[str, Any]) -> None:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("digest", "--send", stdout=out)
    assert out.getvalue() == f"queued the digest of {WEEK} for camille@acme.example\n"
    outgoing = Outgoing.objects.get()
    assert (outgoing.recipient, outgoing.kind) == ("camille@acme.example", "notification")
    assert outgoing.subject.endswith("7 things to look at")
    sent = parts(outgoing)
    assert sent["text/plain"].startswith("30 November – 6 December 2026: 7 things to look at.")
    assert f'href="{conversation_link(bad["broken"])}"' in sent["text/html"]
    # Sent this week: the worker does not send it again.
    assert Digest.objects.get(user=bad["camille"]).last_week == "2026-W50"
    assert send_due(NOW) == 0


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--print", "--week", "2026-49"], "not a week: expected YYYY-Www"),
        (["--print", "--week", "2026-W60"], "2026 has no week 60"),
        (["--send", "--week", "W49"], "not a week"),
        (["--print", "--user", "nobody@acme.example"], "nobody has the login"),
        (["--print", "--user", "chris@acme.example"], "is an agent"),
        (["--send", "--html"], "--html goes with --print"),
        (["--week", WEEK], "one of the arguments --print --send is required"),
    ],
)
def test_bad_input_is_a_clear_error(desk: dict[str, Any], args: list[str], error: str) -> None:
    with pytest.raises(CommandError, match=error):
        call_command("digest", *args, stdout=StringIO())
    assert Outgoing.objects.count() == 0


def test_parse_week_takes_only_iso_weeks() -> None:
    assert parse_week("2026-W49") == datetime(2026, 11, 30).date()
    assert parse_week("2020-W53") == datetime(2020, 12, 28).date()


# -- the worker's tick -------------------------------------------------------------------


def test_the_tick_sends_at_the_founders_local_hour_once_a_week(quiet: dict[str, Any]) -> None:
    camille, sophie = quiet["camille"], quiet["sophie"]
    Digest.objects.create(user=camille, weekday=0, hour=9)  # Monday 09:00 in Paris
    assert send_due(local(7, 8, 59)) == 0
    assert send_due(local(7, 9, 0)) == 1
    assert send_due(local(7, 9, 5)) == 0  # once a week
    assert send_due(local(10, 12, 0)) == 0
    assert send_due(local(14, 9, 0)) == 1  # the next Monday
    assert list(Outgoing.objects.values_list("recipient", flat=True)) == [camille.email] * 2
    # The head gets it only with a schedule of her own; in her time zone (Montréal: UTC-5).
    sophie.time_zone = "America/Montreal"
    sophie.save()
    Digest.objects.create(user=sophie, weekday=0, hour=8)
    assert send_due(local(21, 13, 59)) == 1  # Camille's
    assert send_due(local(21, 14, 0)) == 1  # 08:00 in Montréal: Sophie's
    assert Outgoing.objects.filter(recipient=sophie.email).count() == 1


def test_a_founder_without_a_schedule_gets_it_on_monday_at_eight(quiet: dict[str, Any]) -> None:
    assert send_due(local(7, 7, 59)) == 0
    assert send_due(local(7, 8, 0)) == 1
    assert Digest.objects.get(user=quiet["camille"]).last_week == "2026-W50"
    Digest.objects.filter(user=quiet["camille"]).update(enabled=False)
    assert send_due(local(14, 8, 0)) == 0


def test_the_cockpit_tick_rolls_up_then_sends(quiet: dict[str, Any]) -> None:
    write("Late question", local(6, 23))  # after the roll-up of the fixture
    with time_machine.travel(NOW, tick=False):
        tick.call()
    outgoing = Outgoing.objects.get()
    assert "Hands-off rate: 100% of 3 conversations" in parts(outgoing)["text/plain"]


@pytest.mark.postgres
def test_a_second_cockpit_tick_does_nothing_while_one_runs(quiet: dict[str, Any]) -> None:
    other = connections.create_connection("default")  # another worker's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [TICK_LOCK])
        with time_machine.travel(NOW, tick=False):
            tick.call()
        assert not Outgoing.objects.exists()  # the digest is left to the one running
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [TICK_LOCK])
        with time_machine.travel(NOW, tick=False):
            tick.call()
        assert Outgoing.objects.count() == 1
    finally:
        other.close()
