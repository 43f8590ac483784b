"""The built-in SMTP receiver: aiosmtpd hands each message's bytes to the raw store.

The contract with the sending server is the whole point: ``250`` only once the
bytes are committed, ``451`` (try again later) on any failure, so that a message
is never lost between the sender's queue and ours. The bytes are stored exactly
as received; the envelope (peer, sender, recipients) goes into ``source``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

from handoff.lib.subaddress import tag_of
from handoff.mailin.models import Mailbox
from handoff.mailin.store import Incoming, Stored, store

log = logging.getLogger(__name__)

OnStored = Callable[[list[int]], None]

ACCEPTED = "250 OK"
UNAVAILABLE = "550 5.1.1 mailbox unavailable"
TRY_AGAIN = "451 4.3.0 try again later"


def accepts(address: str) -> bool:
    """Whether mail for ``address`` is ours: an active mailbox, a ledger mailbox
    plus-addressed (each person's own ledger address, ``handoff.ledger.addresses``), or a
    domain we serve."""
    domain = address.rpartition("@")[2].lower()
    if domain in {d.lower() for d in settings.SMTPD_DOMAINS}:
        return True
    if Mailbox.objects.filter(active=True, address__iexact=address).exists():
        return True
    if "+" not in address:
        return False
    ledgers = Mailbox.objects.filter(active=True, purpose=Mailbox.Purpose.LEDGER)
    return any(tag_of(address, base) for base in ledgers.values_list("address", flat=True))


def describe(session: Session, envelope: Envelope) -> str:
    """The envelope, kept with the bytes: Bcc'd mail names the desk nowhere else."""
    peer = session.peer[0] if isinstance(session.peer, tuple) else session.peer
    recipients = ",".join(f"<{r}>" for r in envelope.rcpt_tos)
    return f"smtp:{peer} from=<{envelope.mail_from or ''}> to={recipients}"


class Handler:
    """aiosmtpd hooks. The ORM is synchronous: database work runs in a thread."""

    def __init__(self, on_stored: OnStored) -> None:
        self.on_stored = on_stored
        # One thread owns the database connection: writes are serialised by the
        # database anyway, and close() can then close that connection, so none
        # outlives the receiver (PostgreSQL refuses to drop a database in use).
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtpd-db")

    async def _in_thread[T](self, work: Callable[[], T]) -> T:
        def run() -> T:
            # As Django does around each request: drop a connection that is too
            # old or broken (a restarted database) instead of failing on it forever.
            close_old_connections()
            try:
                return work()
            finally:
                close_old_connections()

        return await asyncio.get_running_loop().run_in_executor(self._executor, run)

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        try:
            known = await self._in_thread(lambda: accepts(address))
        except Exception:
            log.exception("could not check recipient %s", address)
            return TRY_AGAIN
        if not known:
            log.info("refused recipient %s from %s", address, session.peer)
            return UNAVAILABLE
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return ACCEPTED

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content
        if data is None:  # aiosmtpd always sets it before this hook
            return TRY_AGAIN
        item = Incoming(data, "smtp", describe(session, envelope))
        try:
            stored = await self._in_thread(lambda: self._store(item))
        except Exception:
            # Nothing is acknowledged: the sender keeps the message and retries;
            # if the bytes did get committed, the retry is recognised as the same.
            log.exception("could not store a message from %s", item.source)
            return TRY_AGAIN
        log.info("stored raw message %s <%s> (%s)", stored.raw_id, stored.message_id, item.source)
        return ACCEPTED

    def _store(self, item: Incoming) -> Stored:
        stored = store(item)
        if stored.pending:
            # Raises to the caller (451): the bytes are safe, and the sender's retry
            # is a duplicate whose still-pending id is handed over again.
            self.on_stored([stored.raw_id])
        return stored

    def close(self) -> None:
        self._executor.submit(connections.close_all).result()
        self._executor.shutdown()


class LongLineSMTP(SMTP):
    # RFC 5321 caps a line at 1,000 octets, but real senders exceed it, and aiosmtpd
    # answers such a message with a permanent 500: the sender would bounce mail
    # that the desk can store perfectly well. The size limit still bounds memory.
    line_length_limit = 1024 * 1024


class Receiver(Controller):
    """aiosmtpd's threaded controller; limits are read from settings at each connection."""

    handler: Handler

    def factory(self) -> SMTP:
        return LongLineSMTP(
            self.handler, data_size_limit=settings.MAX_MESSAGE_BYTES, **self.SMTP_kwargs
        )

    def _trigger_server(self) -> None:
        # Port 0 lets the system choose a free port: learn it before aiosmtpd's
        # start-up check connects to the server.
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]

    def stop(self, no_assert: bool = False) -> None:
        super().stop(no_assert)
        self.handler.close()


def tls_context(cert: Path | str, key: Path | str) -> ssl.SSLContext:
    """A server context for STARTTLS from a PEM certificate chain and its key."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def serve(
    host: str,
    port: int,
    on_stored: OnStored,
    tls_context: ssl.SSLContext | None = None,
    *,
    require_starttls: bool = False,
    hostname: str | None = None,
) -> Receiver:
    """Start receiving in a background thread (port 0: any free port, see ``.port``).

    ``on_stored`` gets the ids of newly stored (or still unprocessed) messages,
    in the receiver's database thread, before the sender is answered.
    """
    options: dict[str, Any] = {"server_hostname": hostname or socket.gethostname()}
    if tls_context is not None:
        options |= {"tls_context": tls_context, "require_starttls": require_starttls}
    handler = Handler(on_stored)
    receiver = Receiver(handler, hostname=host, port=port, **options)
    try:
        receiver.start()
    except BaseException:
        handler.close()
        raise
    return receiver
