"""IMAP fetching: a UID cursor per folder, bytes committed before any flag or move.

The order of a batch is what makes a crash at any point safe: FETCH (peek, so
nothing changes on the server), store and commit, advance the cursor, hand the
new rows on, and only then flag ``\\Seen`` or move. A crash before the commit
fetches the batch again (the raw store deduplicates); a crash after it leaves
at worst messages unflagged, which the next connection finishes. Nothing is
ever deleted unless a move needs the COPY + EXPUNGE fallback.

The secret is read by ``imap_secrets``; the long-running watch is ``imap_watch``.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import logging
import re
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from handoff.mailin.imap_secrets import ImapError, ImapSetupError, read_secret
from handoff.mailin.models import ImapCursor, Mailbox
from handoff.mailin.store import Incoming, store_many

logger = logging.getLogger(__name__)

OnStored = Callable[[list[int]], None]

BATCH = 50
TIMEOUT = 60.0  # seconds a socket read may take before the connection counts as lost
SEEN = b"\\Seen"
DELETED = b"\\Deleted"


class UnreadableMessages(ImapError):
    """The server lists messages but sends no bytes for them: retried, never skipped."""


# Errors that stop one mailbox and are retried with backoff. imaplib.IMAP4.error
# is imapclient's base error (login refused, connection aborted, NO/BAD answers).
FAILURES: tuple[type[Exception], ...] = (OSError, imaplib.IMAP4.error, ImapError, DatabaseError)


@dataclass
class FolderResult:
    folder: str
    fetched: int = 0
    created: int = 0  # new rows in the raw store
    rescanned: bool = False  # UIDVALIDITY changed: the folder was read again from UID 1


@dataclass
class FetchResult:
    mailbox: str
    folders: list[FolderResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def fetched(self) -> int:
        return sum(f.fetched for f in self.folders)

    @property
    def created(self) -> int:
        return sum(f.created for f in self.folders)


def folders_of(mailbox: Mailbox) -> list[str]:
    return [str(folder) for folder in mailbox.imap_folders] or ["INBOX"]


# ---------------------------------------------------------------- connecting


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def connect(mailbox: Mailbox, *, timeout: float = TIMEOUT) -> Any:
    """A logged-in IMAPClient (imapclient is untyped, hence Any)."""
    secret = read_secret(mailbox)  # first: a missing secret needs no network to report
    security = mailbox.imap_security
    if security == Mailbox.Security.NONE and not _is_loopback(mailbox.imap_host):
        raise ImapSetupError(f"plain-text IMAP is refused for {mailbox.imap_host}: use TLS")
    context = ssl.create_default_context()
    tls = security == Mailbox.Security.TLS
    client = IMAPClient(
        mailbox.imap_host, mailbox.imap_port, ssl=tls, ssl_context=context, timeout=timeout
    )
    try:
        if security == Mailbox.Security.STARTTLS:
            client.starttls(context)
        if mailbox.imap_auth == Mailbox.Auth.XOAUTH2:
            client.oauth2_login(mailbox.imap_user, secret)
        else:
            client.login(mailbox.imap_user, secret)
    except BaseException:
        # Closing must not replace the reason: after a failed STARTTLS handshake
        # the socket is already closed and shutdown() raises EBADF, which would
        # hide "certificate verify failed" from the operator.
        with contextlib.suppress(OSError):
            client.shutdown()
        raise
    return client


def disconnect(client: Any) -> None:
    try:
        client.logout()
    except FAILURES:
        # The connection is already gone; closing the socket is all that is left.
        client.shutdown()


def describe(error: BaseException, mailbox: Mailbox) -> str:
    """One line for the cursor and the log. Server answers never hold our secret."""
    if isinstance(error, ImapError):
        return str(error)
    if isinstance(error, LoginError):
        # imapclient passes the server's answer on as the repr of bytes: b'...'
        answer = re.sub(r"^b(['\"])(.*)\1$", r"\2", str(error))
        return f"login refused for {mailbox.imap_user}: {answer}"
    if isinstance(error, OSError):
        return f"cannot talk to {mailbox.imap_host}:{mailbox.imap_port}: {error}"
    return f"{type(error).__name__}: {error}"


# ---------------------------------------------------------------- fetching


def fetch_folder(
    client: Any,
    mailbox: Mailbox,
    folder: str,
    on_stored: OnStored,
    *,
    finish_leftovers: bool = True,
) -> FolderResult:
    """Store every message above the cursor, then flag or move it. Raises on failure."""
    result = FolderResult(folder)
    uidvalidity = int(client.select_folder(folder)[b"UIDVALIDITY"])
    announced_new_mail(client)  # the SELECT's own count: the SEARCH below sees those
    cursor, _ = ImapCursor.objects.get_or_create(mailbox=mailbox, folder=folder)
    if cursor.uidvalidity != uidvalidity:
        if cursor.uidvalidity:
            # UIDs were renumbered: read everything again, the raw store drops the copies.
            logger.warning("%s %s: UIDVALIDITY changed, re-scanning", mailbox.address, folder)
            result.rescanned = True
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
        cursor.save(update_fields=["uidvalidity", "last_uid"])
    if mailbox.imap_move_to and not client.folder_exists(mailbox.imap_move_to):
        client.create_folder(mailbox.imap_move_to)
    if finish_leftovers and cursor.last_uid:
        _finish_leftovers(client, mailbox, folder, cursor.last_uid)
    # `UID SEARCH UID n:*` always matches the highest UID, even when it is <= n.
    uids = sorted(int(u) for u in client.search(["UID", f"{cursor.last_uid + 1}:*"]))
    uids = [uid for uid in uids if uid > cursor.last_uid]
    unreadable: list[int] = []
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        fetched = client.fetch(batch, ["BODY.PEEK[]"])
        present = [uid for uid in batch if b"BODY[]" in fetched.get(uid, {})]
        unreadable += _still_there(client, sorted(set(batch) - set(present)))
        source = f"imap:{mailbox.address}/{folder};UIDVALIDITY={uidvalidity}/;UID="
        items = [Incoming(bytes(fetched[u][b"BODY[]"]), "imap", f"{source}{u}") for u in present]
        stored = store_many(items) if items else []
        # Committed. The cursor stays below a message the server listed but did
        # not hand over, so it is asked for again; expunged ones are simply gone.
        cursor.last_uid = min([*unreadable, batch[-1] + 1]) - 1
        cursor.checked_at = timezone.now()
        cursor.save(update_fields=["last_uid", "checked_at"])
        result.fetched += len(stored)
        result.created += sum(s.created for s in stored)
        if pending := [s.raw_id for s in stored if s.pending]:
            on_stored(pending)
        _finish(client, mailbox, folder, present)
    if unreadable:
        raise UnreadableMessages(f"{folder}: the server sent no bytes for UIDs {unreadable}")
    cursor.checked_at, cursor.error = timezone.now(), ""
    cursor.save(update_fields=["checked_at", "error"])
    return result


def announced_new_mail(client: Any) -> bool:
    """Whether the server announced new messages (EXISTS) since the last call.

    Servers announce them at the end of any command, after a SEARCH has run, and
    IDLE repeats nothing (Dovecot does not even look when IDLE starts): an
    announcement that came with another answer is the only sign of that mail.
    imaplib keeps such answers; its documented ``response()`` pops them, and
    imapclient gives no other way to reach them than its ``_imap``.
    """
    return bool(client._imap.response("EXISTS")[1] != [None])


def _still_there(client: Any, uids: list[int]) -> list[int]:
    if not uids:
        return []
    found = client.search(["UID", ",".join(map(str, uids))])
    return sorted(int(uid) for uid in found if int(uid) in uids)


def _finish(client: Any, mailbox: Mailbox, folder: str, uids: Sequence[int]) -> None:
    """Mark stored messages as handled on the server: \\Seen, or moved. Never deleted."""
    if not uids:
        return
    target = mailbox.imap_move_to
    if not target or target == folder:
        client.add_flags(uids, [SEEN], silent=True)
    elif client.has_capability("MOVE"):
        client.move(uids, target)
    else:
        client.copy(uids, target)
        client.add_flags(uids, [DELETED], silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            # Without UIDPLUS, EXPUNGE also removes what a person flagged \Deleted
            # here: what any mail client would do on close.
            client.expunge()


def _finish_leftovers(client: Any, mailbox: Mailbox, folder: str, last_uid: int) -> None:
    """Flag or move what an interrupted run stored but did not flag: its bytes are committed."""
    moving = mailbox.imap_move_to and mailbox.imap_move_to != folder
    criteria = ["UID", f"1:{last_uid}"] if moving else ["UNSEEN", "UID", f"1:{last_uid}"]
    uids = sorted(int(uid) for uid in client.search(criteria) if int(uid) <= last_uid)
    if uids:
        logger.info("%s %s: finishing %d stored message(s)", mailbox.address, folder, len(uids))
    for start in range(0, len(uids), 500):
        _finish(client, mailbox, folder, uids[start : start + 500])


def record_error(mailbox: Mailbox, folder: str, message: str) -> None:
    try:
        cursor, _ = ImapCursor.objects.get_or_create(mailbox=mailbox, folder=folder)
        cursor.error = message[:2000]
        cursor.save(update_fields=["error"])
    except DatabaseError:
        logger.exception("%s %s: cannot record the error", mailbox.address, folder)


def fetch_once(mailbox: Mailbox, on_stored: OnStored) -> FetchResult:
    """Fetch every folder of ``mailbox`` once. Failures are recorded and returned, not raised."""
    result = FetchResult(mailbox.address)
    folders = folders_of(mailbox)
    try:
        client = connect(mailbox)
    except FAILURES as error:
        message = describe(error, mailbox)
        logger.warning("%s: %s", mailbox.address, message)
        for folder in folders:
            record_error(mailbox, folder, message)
        result.errors.append(message)
        return result
    try:
        for folder in folders:
            try:
                result.folders.append(fetch_folder(client, mailbox, folder, on_stored))
            except FAILURES as error:
                message = describe(error, mailbox)
                logger.warning("%s %s: %s", mailbox.address, folder, message)
                record_error(mailbox, folder, message)
                result.errors.append(f"{folder}: {message}")
                if isinstance(error, OSError | imaplib.IMAP4.abort):
                    break  # the connection is gone: the other folders would fail alike
    finally:
        disconnect(client)
    return result
