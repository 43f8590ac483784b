"""The long-running watch: one thread and connection per folder, IDLE or polling, backoff."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, connections

from handoff.mailin.imap import (
    FAILURES,
    OnStored,
    announced_new_mail,
    connect,
    describe,
    disconnect,
    fetch_folder,
    folders_of,
    record_error,
)
from handoff.mailin.models import Mailbox

logger = logging.getLogger(__name__)

# Re-IDLE well before RFC 2177's 29 minutes and most NAT timeouts; also bounds the
# wait for a message that lands between the last NOOP and the IDLE command.
IDLE_SECONDS = 5 * 60
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 300.0


def run(
    mailboxes: Sequence[Mailbox],
    on_stored: OnStored,
    *,
    idle: bool = True,
    poll_seconds: float = 60.0,
    stop: threading.Event,
) -> None:
    """Watch every folder of every mailbox until ``stop`` is set.

    One thread and one connection per folder, so that a slow or broken mailbox
    never holds up another and IDLE (one selected folder per connection) works.
    """
    threads = [
        threading.Thread(
            target=_Watcher(mailbox, folder, on_stored, idle, poll_seconds, stop).run,
            name=f"imap {mailbox.address} {folder}",
            daemon=True,
        )
        for mailbox in mailboxes
        for folder in folders_of(mailbox)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A join with a timeout keeps the main thread responsive to signals.
        while thread.is_alive():
            thread.join(0.5)


@dataclass
class _Watcher:
    mailbox: Mailbox
    folder: str
    on_stored: OnStored
    idle: bool
    poll_seconds: float
    stop: threading.Event
    backoff: float = BACKOFF_FIRST

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                try:
                    self._session()
                except FAILURES as error:
                    self._failed(describe(error, self.mailbox))
                except Exception as error:
                    # A bug met by one mailbox (one odd message) must not end its
                    # watch for good: it is logged, recorded and retried like the rest.
                    logger.exception("%s %s: unexpected error", self.mailbox.address, self.folder)
                    self._failed(f"unexpected {type(error).__name__}: {error}")
        finally:
            # Django's connections are per thread: this one's would otherwise leak.
            connections.close_all()

    def _failed(self, message: str) -> None:
        where = f"{self.mailbox.address} {self.folder}"
        logger.warning("%s: %s (retrying in %.0f s)", where, message, self.backoff)
        close_old_connections()  # the error may have been the database's
        record_error(self.mailbox, self.folder, message)
        self.stop.wait(self.backoff)
        self.backoff = min(self.backoff * 2, BACKOFF_MAX)

    def _session(self) -> None:
        client = connect(self.mailbox)
        try:
            first = True
            while not self.stop.is_set():
                close_old_connections()  # honours CONN_MAX_AGE, drops broken connections
                result = fetch_folder(
                    client, self.mailbox, self.folder, self.on_stored, finish_leftovers=first
                )
                first = False
                self.backoff = BACKOFF_FIRST  # this connection works: the next failure starts over
                if result.fetched:
                    continue  # more may have arrived while we were storing
                if self.idle and client.has_capability("IDLE"):
                    client.noop()  # IDLE reports only later changes: catch up first
                    if not announced_new_mail(client):
                        self._wait_idle(client)
                else:
                    self.stop.wait(self.poll_seconds)
        finally:
            disconnect(client)

    def _wait_idle(self, client: Any) -> None:
        """Return when the folder may have new mail, after IDLE_SECONDS, or on stop."""
        client.idle()
        deadline = time.monotonic() + IDLE_SECONDS
        while not self.stop.is_set() and time.monotonic() < deadline:
            started = time.monotonic()
            responses = client.idle_check(timeout=1.0)  # short: a stop is seen within a second
            if any(r[0] == b"BYE" for r in responses):
                raise ConnectionAbortedError("the server ended the connection")
            if not responses and time.monotonic() - started < 0.5:
                # idle_check returns at once with nothing only when the socket hit EOF.
                raise ConnectionAbortedError("the connection closed during IDLE")
            if any(len(r) > 1 and r[1] == b"EXISTS" for r in responses):
                break
        client.idle_done()
