"""IMAP fetching against a real Dovecot: nothing lost, nothing twice, flags only after commit."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection
from imapclient import IMAPClient

from handoff.mailin import imap, imap_secrets, imap_watch
from handoff.mailin.models import ImapCursor, Mailbox, RawMessage
from handoff.mailin.store import store_many
from tests.helpers import mail
from tests.mailin.dovecot import Dovecot

SEEN = b"\\Seen"
DELETED = b"\\Deleted"
SECRET_ENV = "IMAP_TEST_PASSWORD"  # not HANDOFF_*: settings refuse unknown ones
HANDOFF = [sys.executable, "-m", "handoff.cli"]


def messages(count: int, prefix: str = "m", size: int = 0) -> list[bytes]:
    padding = "\n" + "Lorem ipsum dolor sit amet. " * (size // 28)
    return [mail(f"{prefix}{i}@client.example", body=f"message {i}{padding}") for i in range(count)]


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s")
        time.sleep(0.02)


def make_mailbox(dovecot: Dovecot, address: str = "support@acme.example", **fields: Any) -> Mailbox:
    values: dict[str, Any] = {
        "imap_host": dovecot.host,
        "imap_port": dovecot.port,
        "imap_security": Mailbox.Security.NONE,
        "imap_user": dovecot.user,
        "secret_env": SECRET_ENV,
    }
    return Mailbox.objects.create(address=address, **(values | fields))


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_ENV, Dovecot.password)


class Collector:
    """The on_stored callback: remembers every raw id handed on, from any thread."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.lock = threading.Lock()

    def __call__(self, raw_ids: list[int]) -> None:
        with self.lock:
            self.ids.extend(raw_ids)


@pytest.fixture
def running() -> Iterator[Callable[..., Collector]]:
    """Start `imap_watch.run` in a thread; stopped (and checked to stop) at the end of the test."""
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def start(
        mailboxes: list[Mailbox], *, idle: bool = True, poll_seconds: float = 60
    ) -> Collector:
        collector = Collector()
        thread = threading.Thread(
            target=imap_watch.run,
            args=(mailboxes, collector),
            kwargs={"idle": idle, "poll_seconds": poll_seconds, "stop": stop},
        )
        thread.start()
        threads.append(thread)
        return collector

    yield start
    stop.set()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive(), "the fetcher did not stop within 10 s"


def seen_count(dovecot: Dovecot, folder: str = "INBOX") -> int:
    with dovecot.client() as client:
        client.select_folder(folder, readonly=True)
        return len(client.search("SEEN"))


@pytest.mark.django_db(transaction=True)
def test_500_messages_appended_while_idling_are_stored_once_and_flagged_seen(
    dovecot: Dovecot, running: Callable[..., Collector]
) -> None:
    mailbox = make_mailbox(dovecot)
    collector = running([mailbox])
    batch = messages(500)
    for start in range(0, 500, 25):
        dovecot.append(batch[start : start + 25])
    wait_until(lambda: seen_count(dovecot) == 500)
    assert RawMessage.objects.count() == 500
    assert RawMessage.objects.values("message_id").distinct().count() == 500
    assert sorted(collector.ids) == sorted(RawMessage.objects.values_list("id", flat=True))
    flags = dovecot.flags()
    assert len(flags) == 500  # none deleted, none expunged
    assert all(SEEN in f and DELETED not in f for f in flags.values())
    cursor = ImapCursor.objects.get(mailbox=mailbox, folder="INBOX")
    assert (cursor.last_uid, cursor.error) == (500, "")


def _shell(env: dict[str, str], code: str) -> Any:
    done = subprocess.run(
        [*HANDOFF, "shell", "--no-imports", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout or "null")


COUNTS = """
import json
from django_tasks_db.models import DBTaskResult
from handoff.mailin.models import ImapCursor, RawMessage
print(json.dumps({
    "raw": RawMessage.objects.count(),
    "message_ids": RawMessage.objects.values("message_id").distinct().count(),
    "last_uid": ImapCursor.objects.get().last_uid,
    "tasks": DBTaskResult.objects.count(),
}))
"""


def test_fetchmail_killed_mid_fetch_then_restarted_stores_every_message_once(
    dovecot: Dovecot, make_scratch_env
) -> None:
    env = make_scratch_env() | {SECRET_ENV: dovecot.password}
    _shell(
        env,
        "from handoff.mailin.models import Mailbox\n"
        f"Mailbox.objects.create(address='support@acme.example', imap_host='{dovecot.host}',"
        f" imap_port={dovecot.port}, imap_security='none', imap_user='{dovecot.user}',"
        f" secret_env='{SECRET_ENV}')",
    )
    total = 400
    dovecot.append(messages(total, size=4000))
    seen_at_kill = []
    with dovecot.client() as watcher:
        watcher.select_folder("INBOX", readonly=True)
        for _ in range(2):
            before = len(watcher.search("SEEN"))
            process = subprocess.Popen(
                [*HANDOFF, "fetchmail"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            # Kill as soon as a batch is flagged: the next one is being fetched or stored.
            # Checks 2 ms apart: 50 messages are stored in a few milliseconds.
            deadline = time.monotonic() + 20
            while len(watcher.search("SEEN")) <= before and process.poll() is None:
                assert time.monotonic() < deadline, "nothing was flagged within 20 s"
                time.sleep(0.002)
            process.send_signal(signal.SIGKILL)
            _, errors = process.communicate()
            assert process.returncode == -signal.SIGKILL, errors
            seen_at_kill.append(len(watcher.search("SEEN")))
    assert seen_at_kill[-1] < total, (
        f"the fetcher finished before it could be killed: {seen_at_kill}"
    )
    done = subprocess.run(
        [*HANDOFF, "fetchmail", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    counts = _shell(env, COUNTS)
    assert counts["raw"] == counts["message_ids"] == counts["last_uid"] == total
    assert counts["tasks"] > 0  # the stored rows were handed to the workers
    flags = dovecot.flags()
    assert len(flags) == total
    assert all(SEEN in f for f in flags.values())  # the killed runs' leftovers were flagged too


@pytest.mark.django_db(transaction=True)
def test_a_new_uidvalidity_rescans_the_folder_without_duplicates(dovecot: Dovecot) -> None:
    mailbox = make_mailbox(dovecot, imap_folders=["Support"])
    dovecot.append(messages(5), folder="Support")
    first = imap.fetch_once(mailbox, Collector())
    assert (first.fetched, first.created, first.errors) == (5, 5, [])
    old = ImapCursor.objects.get().uidvalidity
    # Three old messages come back as UIDs 1-3 and two new ones take UIDs 4-5: below
    # the old cursor (5), where a fetcher trusting it would never look.
    new = dovecot.recreate_folder("Support", keep=3)
    dovecot.append(messages(2, prefix="new"), folder="Support")
    assert new != old
    second = imap.fetch_once(mailbox, Collector())
    assert second.errors == []
    assert second.folders[0].rescanned
    assert (second.fetched, second.created) == (5, 2)
    assert RawMessage.objects.count() == RawMessage.objects.values("message_id").distinct().count()
    assert RawMessage.objects.count() == 7
    assert all(SEEN in f for f in dovecot.flags("Support").values())
    cursor = ImapCursor.objects.get()
    assert (cursor.uidvalidity, cursor.last_uid) == (new, 5)


def _wait_for_first_check(mailbox: Mailbox) -> None:
    wait_until(
        lambda: ImapCursor.objects.filter(mailbox=mailbox, checked_at__isnull=False).exists()
    )


@pytest.mark.django_db(transaction=True)
def test_idle_delivers_a_new_message_to_the_store_within_2_seconds(
    dovecot: Dovecot, running: Callable[..., Collector]
) -> None:
    mailbox = make_mailbox(dovecot)
    running([mailbox], idle=True, poll_seconds=600)  # only IDLE can be this quick
    _wait_for_first_check(mailbox)
    time.sleep(0.3)  # into IDLE
    started = time.monotonic()
    dovecot.append(messages(1))
    wait_until(lambda: RawMessage.objects.exists(), timeout=2)
    assert time.monotonic() - started < 2


@pytest.mark.django_db(transaction=True)
def test_a_message_announced_in_the_answer_to_a_search_is_fetched_before_idling(
    dovecot: Dovecot, running: Callable[..., Collector], monkeypatch: pytest.MonkeyPatch
) -> None:
    search = IMAPClient.search
    arrived = threading.Event()

    def search_as_mail_arrives(self: IMAPClient, criteria: Any = "ALL", charset: Any = None) -> Any:
        if criteria[0] == "UID" and not arrived.is_set():
            # Lands after this session's last look: the SEARCH misses it and only
            # announces it (EXISTS) in its answer; IDLE will not tell again.
            arrived.set()
            dovecot.append(messages(1))
        return search(self, criteria, charset)

    monkeypatch.setattr(IMAPClient, "search", search_as_mail_arrives)
    running([make_mailbox(dovecot)], idle=True, poll_seconds=600)
    wait_until(lambda: RawMessage.objects.exists(), timeout=3)


@pytest.mark.django_db(transaction=True)
def test_without_idle_on_the_server_the_fetcher_polls(
    dovecot: Dovecot, running: Callable[..., Collector], monkeypatch: pytest.MonkeyPatch
) -> None:
    has_capability = IMAPClient.has_capability
    monkeypatch.setattr(
        IMAPClient,
        "has_capability",
        lambda self, name: name != "IDLE" and has_capability(self, name),
    )
    mailbox = make_mailbox(dovecot)
    running([mailbox], idle=True, poll_seconds=0.2)
    _wait_for_first_check(mailbox)
    dovecot.append(messages(3))
    wait_until(lambda: RawMessage.objects.count() == 3, timeout=5)


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_or_missing_secret_is_recorded_and_other_mailboxes_go_on(
    dovecot: Dovecot, running: Callable[..., Collector], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IMAP_TEST_WRONG", "not the password")
    monkeypatch.delenv("IMAP_TEST_MISSING", raising=False)
    wrong = make_mailbox(dovecot, "wrong@acme.example", secret_env="IMAP_TEST_WRONG")
    missing = make_mailbox(dovecot, "missing@acme.example", secret_env="IMAP_TEST_MISSING")
    healthy = make_mailbox(dovecot)
    running([wrong, missing, healthy])
    dovecot.append(messages(3))
    wait_until(lambda: RawMessage.objects.count() == 3)
    wait_until(lambda: ImapCursor.objects.exclude(error="").count() == 2)
    errors = dict(ImapCursor.objects.values_list("mailbox__address", "error"))
    assert errors["support@acme.example"] == ""
    assert errors["wrong@acme.example"] == (
        "login refused for support: [AUTHENTICATIONFAILED] Authentication failed."
    )
    assert errors["missing@acme.example"] == (
        "IMAP secret missing: environment variable IMAP_TEST_MISSING is not set"
    )
    assert "not the password" not in " ".join(errors.values())


@pytest.mark.django_db(transaction=True)
def test_messages_are_flagged_only_after_their_bytes_are_committed(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = make_mailbox(dovecot)
    dovecot.append(messages(120))  # batches of 50, 50 and 20
    calls = 0

    def failing_second_batch(items: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise DatabaseError("disk full")
        return store_many(items)

    def on_stored(raw_ids: list[int]) -> None:
        # Handed on outside any transaction, with the rows there and nothing flagged yet.
        assert not connection.in_atomic_block
        sources = RawMessage.objects.filter(pk__in=raw_ids).values_list("source", flat=True)
        uids = {int(source.rsplit("UID=", 1)[1]) for source in sources}
        assert len(uids) == len(raw_ids)
        flags = dovecot.flags()
        assert not any(SEEN in flags[uid] for uid in uids)

    monkeypatch.setattr(imap, "store_many", failing_second_batch)
    result = imap.fetch_once(mailbox, on_stored)
    assert result.errors == ["INBOX: DatabaseError: disk full"]
    flags = dovecot.flags()
    assert sorted(uid for uid, f in flags.items() if SEEN in f) == list(range(1, 51))
    cursor = ImapCursor.objects.get()
    assert cursor.last_uid == 50
    assert "disk full" in cursor.error

    monkeypatch.setattr(imap, "store_many", store_many)
    again = imap.fetch_once(mailbox, on_stored)
    assert (again.fetched, again.created, again.errors) == (70, 70, [])
    assert RawMessage.objects.count() == 120
    assert all(SEEN in f for f in dovecot.flags().values())
    assert ImapCursor.objects.get().error == ""


@pytest.mark.django_db(transaction=True)
def test_messages_stored_but_left_unflagged_by_a_crash_are_flagged_by_the_next_run(
    dovecot: Dovecot,
) -> None:
    mailbox = make_mailbox(dovecot)
    dovecot.append(messages(30))

    def enqueue_fails(raw_ids: list[int]) -> None:
        raise DatabaseError("connection lost")  # after the commit, before the flags

    assert imap.fetch_once(mailbox, enqueue_fails).errors == [
        "INBOX: DatabaseError: connection lost"
    ]
    assert ImapCursor.objects.get().last_uid == 30  # the bytes are safe: not fetched again
    assert not any(SEEN in f for f in dovecot.flags().values())
    again = imap.fetch_once(mailbox, Collector())
    assert (again.fetched, again.errors) == (0, [])
    assert all(SEEN in f for f in dovecot.flags().values())
    assert RawMessage.objects.count() == 30


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("server_moves", [True, False], ids=["MOVE", "COPY+EXPUNGE"])
def test_move_to_a_folder_after_storing(
    dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch, server_moves: bool
) -> None:
    if not server_moves:
        has_capability = IMAPClient.has_capability
        monkeypatch.setattr(
            IMAPClient,
            "has_capability",
            lambda self, name: name != "MOVE" and has_capability(self, name),
        )
    mailbox = make_mailbox(dovecot, imap_move_to="Handled")
    dovecot.append(messages(7))
    result = imap.fetch_once(mailbox, Collector())
    assert (result.created, result.errors) == (7, [])
    assert dovecot.flags("INBOX") == {}
    moved = dovecot.flags("Handled")
    assert len(moved) == 7
    assert not any(DELETED in f for f in moved.values())


def test_secrets_come_from_the_environment_a_file_or_a_command(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("IMAP_TEST_TOKEN", "from-env")
    assert imap_secrets.read_secret(Mailbox(secret_env="IMAP_TEST_TOKEN")) == "from-env"
    (tmp_path / "secret").write_text("from-file\n")
    assert imap_secrets.read_secret(Mailbox(secret_file=str(tmp_path / "secret"))) == "from-file"
    command = f"{sys.executable} -c \"print('from-command')\""
    assert imap_secrets.read_secret(Mailbox(token_command=command)) == "from-command"
    with pytest.raises(imap_secrets.ImapSetupError, match="exited with status 3"):
        imap_secrets.read_secret(Mailbox(token_command=f"{sys.executable} -c 'exit(3)'"))
    with pytest.raises(imap_secrets.ImapSetupError, match="no IMAP secret configured"):
        imap_secrets.read_secret(Mailbox())
    with pytest.raises(imap_secrets.ImapSetupError, match=r"refused for imap\.example\.com"):
        imap.connect(
            Mailbox(
                imap_host="imap.example.com",
                imap_security=Mailbox.Security.NONE,
                secret_env="IMAP_TEST_TOKEN",
            )
        )
