"""The SMTP receiver, spoken to with smtplib over a real socket.

The store runs in the receiver's own thread, so these tests commit for real
(transactional database) instead of running inside a rolled-back transaction.
"""

from __future__ import annotations

import signal
import smtplib
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from handoff.mailin import store
from handoff.mailin.models import Mailbox, RawMessage
from handoff.mailin.smtpd import Receiver, serve, tls_context
from tests.helpers import mail as lf_mail

pytestmark = pytest.mark.django_db(transaction=True)

SENDER = "ana@client.example"


def mail(message_id: str, **fields) -> bytes:
    """A test message as it travels over SMTP: CRLF line ends."""
    return lf_mail(message_id, **fields).replace(b"\n", b"\r\n")


class Running:
    def __init__(self, on_stored: Callable[[list[int]], None] | None = None, **options) -> None:
        self.handed: list[list[int]] = []
        self.server: Receiver = serve("127.0.0.1", 0, on_stored or self.handed.append, **options)
        self.port: int = self.server.port

    def send(self, raw: bytes, to: list[str] | None = None, **options) -> dict:
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            return client.sendmail(SENDER, to or ["support@acme.example"], raw, **options)


@pytest.fixture
def mailbox(transactional_db: None) -> Mailbox:
    return Mailbox.objects.create(address="Support@Acme.example")


@pytest.fixture
def receiver(transactional_db: None, mailbox: Mailbox) -> Iterator[Running]:
    running = Running()
    yield running
    running.server.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for 127.0.0.1 (no `cryptography` here)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_mail_for_an_active_mailbox_is_stored_whatever_the_case_then_handed_on(
    receiver: Running,
) -> None:
    raw = mail("hello@client.example")
    assert receiver.send(raw, to=["SUPPORT@acme.EXAMPLE"]) == {}
    row = RawMessage.objects.get()
    assert bytes(row.data) == raw
    assert row.channel == "smtp"
    assert row.source == f"smtp:127.0.0.1 from=<{SENDER}> to=<SUPPORT@acme.EXAMPLE>"
    assert receiver.handed == [[row.pk]]


def test_mail_for_a_configured_domain_is_accepted(receiver: Running, settings) -> None:
    settings.SMTPD_DOMAINS = ["Help.Example"]
    receiver.send(mail("d@client.example"), to=["anyone@help.example"])
    assert RawMessage.objects.get().message_id == "d@client.example"


def test_a_stranger_or_an_inactive_mailbox_is_refused_with_550(receiver: Running) -> None:
    Mailbox.objects.create(address="old@acme.example", active=False)
    for address in ["someone@elsewhere.example", "old@acme.example"]:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            receiver.send(mail("s@client.example"), to=[address])
        assert refused.value.recipients == {address: (550, b"5.1.1 mailbox unavailable")}
    assert not RawMessage.objects.exists()
    assert receiver.handed == []


def test_a_stranger_among_the_recipients_is_refused_alone(receiver: Running) -> None:
    refused = receiver.send(
        mail("m@client.example"), to=["someone@elsewhere.example", "support@acme.example"]
    )
    assert refused == {"someone@elsewhere.example": (550, b"5.1.1 mailbox unavailable")}
    assert RawMessage.objects.get().source.endswith(" to=<support@acme.example>")


def test_mail_over_the_size_limit_is_refused_with_552_whether_announced_or_not(
    receiver: Running, settings
) -> None:
    settings.MAX_MESSAGE_BYTES = 2048  # read by each new connection
    big = mail("big@client.example", body="x" * 5000)
    with pytest.raises(smtplib.SMTPSenderRefused) as announced:
        receiver.send(big)  # smtplib announces SIZE= in MAIL FROM
    assert announced.value.smtp_code == 552
    with smtplib.SMTP("127.0.0.1", receiver.port, timeout=10) as client:
        client.ehlo()
        client.mail(SENDER)  # no SIZE: the limit is met while the data arrives
        client.rcpt("support@acme.example")
        code, _ = client.data(big)
    assert code == 552
    assert not RawMessage.objects.exists()
    receiver.send(mail("small@client.example"))
    assert RawMessage.objects.count() == 1


def test_250_only_once_committed_a_failed_store_is_451_and_the_retry_stores_once(
    receiver: Running, monkeypatch
) -> None:
    real = store.bulk.insert
    failures = [OperationalError("database is locked")]

    def insert(rows, *args, **kwargs):
        if failures:
            raise failures.pop()  # inside the store's transaction: rolled back
        return real(rows, *args, **kwargs)

    monkeypatch.setattr(store.bulk, "insert", insert)
    raw = mail("retry@client.example")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        receiver.send(raw)
    assert (refused.value.smtp_code, refused.value.smtp_error) == (451, b"4.3.0 try again later")
    assert not RawMessage.objects.exists()
    assert receiver.handed == []
    receiver.send(raw)  # the sender's queue tries again
    row = RawMessage.objects.get()
    assert receiver.handed == [[row.pk]]


def test_a_failure_to_hand_on_is_451_and_the_retry_hands_the_stored_message_again(
    transactional_db: None, mailbox: Mailbox
) -> None:
    handed: list[list[int]] = []

    def flaky(ids: list[int]) -> None:
        if not handed:
            handed.append([])
            raise RuntimeError("queue unavailable")
        handed.append(ids)

    running = Running(flaky)
    try:
        raw = mail("queue@client.example")
        with pytest.raises(smtplib.SMTPDataError) as refused:
            running.send(raw)
        assert refused.value.smtp_code == 451
        row = RawMessage.objects.get()  # the bytes were safe all along
        running.send(raw)
    finally:
        running.server.stop()
    assert RawMessage.objects.count() == 1
    assert handed == [[], [row.pk]]


def test_the_same_message_delivered_twice_is_stored_once(receiver: Running) -> None:
    raw = mail("twice@client.example")
    receiver.send(raw)
    receiver.send(raw)
    row = RawMessage.objects.get()
    # Not processed yet (nothing runs the queue here): handed on again, processed once.
    assert receiver.handed == [[row.pk], [row.pk]]


def test_8bit_crlf_dots_and_long_lines_are_kept_byte_for_byte(receiver: Running) -> None:
    raw = (
        b"From: Jos\xc3\xa9 <jose@client.example>\r\n"
        b"To: support@acme.example\r\n"
        b"Subject: caf\xe9 cr\xc3\xa8me\r\n"
        b"Message-ID: <8bit@client.example>\r\n"
        b"Content-Type: text/plain; charset=latin-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n"
        b"\r\n"
        b"C:\\Users\\julie\r\n"
        b".a line that starts with a dot\r\n"
        b"..and two\r\n"
        b"\r\n" + b"x" * 5000 + b"\r\n"
    )
    receiver.send(raw)
    assert bytes(RawMessage.objects.get().data) == raw


def test_starttls_with_a_self_signed_certificate(
    transactional_db: None, mailbox: Mailbox, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    running = Running(tls_context=tls_context(cert, key), require_starttls=True)
    try:
        with smtplib.SMTP("127.0.0.1", running.port, timeout=10) as client:
            client.ehlo()
            assert client.has_extn("starttls")
            code, _ = client.mail(SENDER)
            assert code == 530  # plain text refused when TLS is required
        with smtplib.SMTP("127.0.0.1", running.port, timeout=10) as client:
            client.starttls(context=ssl.create_default_context(cafile=str(cert)))
            client.sendmail(SENDER, ["support@acme.example"], mail("tls@client.example"))
    finally:
        running.server.stop()
    assert RawMessage.objects.get().message_id == "tls@client.example"


def test_the_command_hands_mail_to_the_pipeline_and_stops_on_sigterm(make_scratch_env) -> None:
    env = make_scratch_env() | {"HANDOFF_SMTPD_DOMAINS": "acme.example"}
    env["HANDOFF_TASKS"] = "immediate"  # the job runs inline: processed when answered
    handoff = [sys.executable, "-m", "handoff.cli"]
    process = subprocess.Popen(
        [*handoff, "smtpd", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith(b"Handoff receives mail on 127.0.0.1:"):
                break
        port = int(line.rsplit(b":", 1)[1])
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail(SENDER, ["sales@acme.example"], mail("cli@client.example"))
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "SMTP receiver stopped" in output
    exported = subprocess.run(
        [*handoff, "export", "messages"], env=env, check=True, capture_output=True
    ).stdout.decode()
    assert '"message_id": "<cli@client.example>"' in exported, exported


def test_the_command_refuses_half_a_tls_configuration() -> None:
    with pytest.raises(CommandError, match="--tls-cert and --tls-key go together"):
        call_command("smtpd", "--tls-cert", "cert.pem")
    with pytest.raises(CommandError, match="--require-starttls needs"):
        call_command("smtpd", "--require-starttls")
