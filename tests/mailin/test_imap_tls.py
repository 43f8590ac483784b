"""IMAP over TLS against a real Dovecot: implicit TLS and STARTTLS, and the refusals.

Founders' mail servers always speak TLS, so these go through ``imap.fetch_once``
exactly as production does; the only test hook is which CA the default context
trusts (SSL_CERT_FILE, read by OpenSSL's default verify paths).
"""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from imapclient import IMAPClient

from handoff.mailin import imap
from handoff.mailin.models import ImapCursor, Mailbox, RawMessage
from tests.conftest import need
from tests.helpers import mail
from tests.mailin.dovecot import OPENSSL, Dovecot

SEEN = b"\\Seen"
SECRET_ENV = "IMAP_TEST_PASSWORD"  # not HANDOFF_*: settings refuse unknown ones
UNTRUSTED = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"


@pytest.fixture
def tls_dovecot() -> Iterator[Dovecot]:
    """A fresh Dovecot with STARTTLS on ``port`` and implicit TLS on ``imaps_port``."""
    need(
        shutil.which("dovecot") is not None or Path("/usr/sbin/dovecot").exists(),
        "Dovecot is not installed (apt install dovecot-imapd)",
    )
    need(Path(OPENSSL).exists(), "openssl is not installed (apt install openssl)")
    server = Dovecot(tls=True)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, Dovecot.password)
    # Whatever the shell trusts, each test says which CA it trusts, if any.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def trust(monkeypatch: pytest.MonkeyPatch, server: Dovecot) -> None:
    """Make ``ssl.create_default_context()`` trust the server's throwaway CA, and only it."""
    assert server.ca_file is not None
    monkeypatch.setenv("SSL_CERT_FILE", str(server.ca_file))


def messages(count: int) -> list[bytes]:
    return [mail(f"tls{i}@client.example", body=f"message {i}") for i in range(count)]


def make_mailbox(server: Dovecot, security: Mailbox.Security, host: str = Dovecot.host) -> Mailbox:
    """A mailbox on the port that ``security`` needs: imaps for TLS, the plain one else."""
    port = server.imaps_port if security == Mailbox.Security.TLS else server.port
    assert port is not None
    return Mailbox.objects.create(
        address="support@acme.example",
        imap_host=host,
        imap_port=port,
        imap_security=security,
        imap_user=server.user,
        secret_env=SECRET_ENV,
    )


def fetch(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> tuple[imap.FetchResult, list[bool]]:
    """``imap.fetch_once``, and for each LOGIN it sent whether the connection was TLS by then.

    Watched only during the fetch: the test server's own plain-text logins are not the fetcher's.
    """
    logins: list[bool] = []
    login = IMAPClient.login

    def watched_login(self: IMAPClient, username: str, password: str) -> Any:
        logins.append(isinstance(self.socket(), ssl.SSLSocket))
        return login(self, username, password)

    with monkeypatch.context() as patch:
        patch.setattr(IMAPClient, "login", watched_login)
        result = imap.fetch_once(mailbox, lambda raw_ids: None)
    return result, logins


def assert_fetched_and_flagged(server: Dovecot, mailbox: Mailbox, result: imap.FetchResult) -> None:
    assert (result.fetched, result.created, result.errors) == (7, 7, [])
    assert RawMessage.objects.count() == RawMessage.objects.values("message_id").distinct().count()
    assert RawMessage.objects.count() == 7
    flags = server.flags()
    assert len(flags) == 7
    assert all(SEEN in f for f in flags.values())
    cursor = ImapCursor.objects.get(mailbox=mailbox, folder="INBOX")
    assert (cursor.last_uid, cursor.error) == (7, "")


def assert_refused_and_untouched(
    server: Dovecot, mailbox: Mailbox, result: imap.FetchResult
) -> str:
    """One error, recorded on the cursor; nothing stored, flagged or lost. Returns the error."""
    assert (result.fetched, result.folders) == (0, [])
    [error] = result.errors
    cursor = ImapCursor.objects.get(mailbox=mailbox, folder="INBOX")
    assert (cursor.error, cursor.last_uid, cursor.checked_at) == (error, 0, None)
    assert not RawMessage.objects.exists()
    flags = server.flags()
    assert len(flags) == 3
    assert not any(SEEN in f for f in flags.values())
    return error


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("security", [Mailbox.Security.TLS, Mailbox.Security.STARTTLS])
def test_a_mailbox_fetches_over_tls_or_starttls_when_the_ca_is_trusted(
    tls_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, security: Mailbox.Security
) -> None:
    """Implicit TLS on the imaps port; STARTTLS upgrades the plain port before logging in."""
    trust(monkeypatch, tls_dovecot)
    mailbox = make_mailbox(tls_dovecot, security)
    tls_dovecot.append(messages(7))
    result, logins = fetch(mailbox, monkeypatch)
    assert_fetched_and_flagged(tls_dovecot, mailbox, result)
    assert logins == [True]  # the password went over TLS only


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("security", [Mailbox.Security.TLS, Mailbox.Security.STARTTLS])
def test_a_certificate_from_an_untrusted_ca_is_refused_recorded_and_no_mail_is_touched(
    tls_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, security: Mailbox.Security
) -> None:
    mailbox = make_mailbox(tls_dovecot, security)
    tls_dovecot.append(messages(3))
    result, logins = fetch(mailbox, monkeypatch)
    error = assert_refused_and_untouched(tls_dovecot, mailbox, result)
    assert error.startswith(
        f"cannot talk to 127.0.0.1:{mailbox.imap_port}: {UNTRUSTED}:"
        " unable to get local issuer certificate"
    )
    assert logins == []  # no password for a server we cannot tell from an impostor


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("security", [Mailbox.Security.TLS, Mailbox.Security.STARTTLS])
def test_a_trusted_certificate_for_another_host_name_is_refused(
    tls_dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, security: Mailbox.Security
) -> None:
    # The certificate names IP 127.0.0.1 only: "localhost" reaches the same
    # server, but a valid certificate is not enough, it must be for this host.
    trust(monkeypatch, tls_dovecot)
    mailbox = make_mailbox(tls_dovecot, security, host="localhost")
    tls_dovecot.append(messages(3))
    result, logins = fetch(mailbox, monkeypatch)
    error = assert_refused_and_untouched(tls_dovecot, mailbox, result)
    assert error.startswith(
        f"cannot talk to localhost:{mailbox.imap_port}: {UNTRUSTED}: Hostname mismatch"
    )
    assert logins == []


@pytest.mark.django_db(transaction=True)
def test_starttls_to_a_server_that_does_not_offer_it_fails_instead_of_going_plain_text(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `dovecot` runs with `ssl = no`: its greeting lists no STARTTLS, as when a
    # man in the middle strips it.
    mailbox = make_mailbox(dovecot, Mailbox.Security.STARTTLS)
    dovecot.append(messages(3))
    result, logins = fetch(mailbox, monkeypatch)
    error = assert_refused_and_untouched(dovecot, mailbox, result)
    assert error == "CapabilityError: Server does not support STARTTLS capability"
    assert logins == []  # the password was never sent in plain text
