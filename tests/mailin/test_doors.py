"""Every door takes a message through the one pipeline: the same message comes out with the
same triage and routing, whichever way it came in (import, background import, SMTP, IMAP,
a provider's webhook, the worker's tick)."""

from __future__ import annotations

import json
import smtplib
from collections.abc import Callable
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from handoff.mailin.models import Mailbox
from handoff.mailin.store import Incoming, store
from handoff.pipeline.tasks import process_incoming, tick
from handoff.routing.models import Policy
from tests import hostile
from tests.helpers import mail
from tests.mailin.test_imap import SECRET_ENV, make_mailbox
from tests.mailin.test_webhooks import SECRET, basic_auth, post_postmark, postmark_payload

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
FIELDS = ("lane", "category", "language", "first_response_due", "assignee", "conversation_lane")
QUESTION = mail(
    "door@client.example",
    subject="Tarifs pour 40 postes",
    sender="ana@client.example",
    to="support@acme.example",
    body="Bonjour, combien coûte la licence pour 40 postes ? Nous voulons acheter ce mois-ci.",
    date=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
)


def exported() -> dict[str, Any]:
    out = StringIO()
    call_command("export", "messages", stdout=out)
    (row,) = [json.loads(line) for line in out.getvalue().splitlines()]
    return {name: row[name] for name in FIELDS}


def by_import(tmp_path: Path, raws: list[bytes], **_: Any) -> None:
    for n, raw in enumerate(raws):
        (tmp_path / f"{n}.eml").write_bytes(raw)
    call_command("import", str(tmp_path), "--jobs", "1", stdout=StringIO(), stderr=StringIO())


def by_background_import(tmp_path: Path, raws: list[bytes], **_: Any) -> None:
    for n, raw in enumerate(raws):
        (tmp_path / f"{n}.eml").write_bytes(raw)
    call_command("import", str(tmp_path), "--background", stdout=StringIO())


def by_smtp(raws: list[bytes], **_: Any) -> None:
    from handoff.mailin.smtpd import serve

    server = serve("127.0.0.1", 0, process_incoming.enqueue)
    refusals = []
    try:
        with smtplib.SMTP("127.0.0.1", server.port) as client:
            for raw in raws:
                try:
                    client.sendmail("ana@client.example", ["support@acme.example"], raw)
                except smtplib.SMTPDataError as refused:
                    refusals.append((refused.smtp_code, refused.smtp_error))
    finally:
        server.stop()
    # SMTP itself bounds a line (the receiver allows 1 MB, RFC 5321 says 1,000 octets):
    # the sender is told, and bounces it to the person. Nothing else is refused.
    assert all(code == 500 and b"Line too long" in text for code, text in refusals), refusals


def by_webhook(client: Any, settings: Any, raws: list[bytes], **_: Any) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    for raw in raws:
        payload = postmark_payload(raw.decode("utf-8", "replace"))
        assert post_postmark(client, payload, **basic_auth()).status_code == 200


def by_imap(dovecot: Any, monkeypatch: Any, raws: list[bytes], **_: Any) -> None:
    from handoff.mailin import imap

    monkeypatch.setenv(SECRET_ENV, dovecot.password)
    Mailbox.objects.filter(address="support@acme.example").delete()
    mailbox = make_mailbox(dovecot)
    dovecot.append(raws)
    assert imap.fetch_once(mailbox, process_incoming.enqueue).errors == []


def by_tick(raws: list[bytes], **_: Any) -> None:
    for raw in raws:  # stored, then the process died before handing them on
        store(Incoming(raw, "smtp"))
    tick.call()


DOORS: dict[str, Callable[..., None]] = {
    "import": by_import,
    "background import": by_background_import,
    "smtp": by_smtp,
    "webhook": by_webhook,
    "imap": by_imap,
    "tick": by_tick,
}


@pytest.fixture
def expected(people: dict[str, Any]) -> dict[str, Any]:
    """The founder's standard for pre-sales (a transactional test database loses the
    policies its migration installs), and what every door must give under it."""
    Policy.objects.get_or_create(
        name="presales",
        defaults={"conditions": {"category": ["presales"]}, "first_response": 60},
    )
    return {
        "lane": "team",
        "category": "presales",
        "language": "fr",
        "first_response_due": "2026-11-02T10:30:00+00:00",  # received 9:30, within the hour
        "conversation_lane": "team",
    }


@pytest.mark.parametrize("door", list(DOORS))
def test_every_door_gives_the_same_triage_and_routing(
    door: str, expected, request, tmp_path: Path, settings, monkeypatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    extra = {"dovecot": request.getfixturevalue("dovecot")} if door == "imap" else {}
    client = request.getfixturevalue("client") if door == "webhook" else None
    with time_machine.travel(NOW, tick=False):
        DOORS[door](tmp_path=tmp_path, client=client, settings=settings,
                    monkeypatch=monkeypatch, raws=[QUESTION], **extra)  # fmt: skip
        found = exported()
    assignee = found.pop("assignee")
    assert found == expected
    assert assignee is None  # no team configured: it waits in the queue, with its clock


HOSTILE = {
    "nesting bomb": (lambda: hostile.nesting_bomb(5000), True),
    "many headers": (lambda: hostile.many_headers(100_000), True),
    "long line": (lambda: hostile.long_line(2_000_000), False),
    "big html": (lambda: hostile.big_html(10_000_000), False),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("door", list(DOORS))
def test_hostile_mail_is_kept_and_the_rest_goes_on_through_every_door(
    door: str, case: str, request, tmp_path: Path, settings, monkeypatch, people
) -> None:
    """A nesting bomb, a hundred thousand header fields, a 2 MB line, 10 MB of HTML: stored,
    read as far as is safe (flagged when not whole), and the question after it processed."""
    from handoff.mailin.models import RawMessage
    from handoff.tickets.models import Message

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    make, flagged = HOSTILE[case]
    extra = {"dovecot": request.getfixturevalue("dovecot")} if door == "imap" else {}
    client = request.getfixturevalue("client") if door == "webhook" else None
    DOORS[door](tmp_path=tmp_path, client=client, settings=settings, monkeypatch=monkeypatch,
                raws=[make(), QUESTION], **extra)  # fmt: skip
    refused = door == "smtp" and case == "long line"  # a clear 500 to the sender, above
    states = list(RawMessage.objects.values_list("state", flat=True))
    assert states == ["done"] * (1 if refused else 2)
    if not refused:
        bad = Message.objects.exclude(message_id="door@client.example").get()
        assert bool(bad.warnings) == flagged, bad.warnings
    question = Message.objects.get(message_id="door@client.example")
    assert question.triage.category == "presales"


REPLY_FIELDS = ("direction", "lane", "category", "language", "conversation_lane")
SETUP = (
    "from handoff.mailin.models import Mailbox;"
    "Mailbox.objects.create(address='support@acme.example', name='Acme')"
)


def test_a_reply_from_the_desk_is_recorded_as_the_same_reply_imported(
    people: dict[str, Any], make_scratch_env, tmp_path: Path
) -> None:
    """The desk's reply door: its copy goes through the pipeline as if it came back by mail."""
    import subprocess
    import sys

    from handoff.desk import actions
    from handoff.mailin.models import RawMessage
    from handoff.tickets.models import Message
    from tests.helpers import deliver

    Mailbox.objects.create(address="support@acme.example", name="Acme")
    [question] = deliver(QUESTION)
    actions.reply(question.conversation, people["chris"], "Bonjour, 40 postes : 1 200 € par an.")
    out = StringIO()
    call_command("export", "messages", stdout=out)
    by_desk = [json.loads(line) for line in out.getvalue().splitlines()]
    reply = Message.objects.get(direction="out")
    (tmp_path / "1.eml").write_bytes(QUESTION)
    (tmp_path / "2.eml").write_bytes(bytes(RawMessage.objects.get(pk=reply.raw_id).data))
    env = make_scratch_env()
    handoff = [sys.executable, "-m", "handoff.cli"]
    subprocess.run([*handoff, "django", "shell", "-c", SETUP], env=env, check=True)
    subprocess.run([*handoff, "import", str(tmp_path)], env=env, check=True, capture_output=True)
    exported = subprocess.run(
        [*handoff, "export", "messages"], env=env, check=True, capture_output=True, text=True
    ).stdout
    by_import = [json.loads(line) for line in exported.splitlines()]
    assert [{k: r[k] for k in REPLY_FIELDS} for r in by_desk] == [
        {k: r[k] for k in REPLY_FIELDS} for r in by_import
    ]
    assert by_desk[1]["direction"] == "out"
