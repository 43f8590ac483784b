"""A throwaway Dovecot IMAP server for the tests: its own config, maildir and port.

Starts in a few hundredths of a second; every test gets a fresh one.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "support"
PASSWORD = "s3cret-imap"

# Dovecot 2.3 syntax. Blocks must span lines: a one-line `{ }` is a syntax error.
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u
default_internal_user = {internal_user}
default_login_user = {login_user}
# Tests append hundreds of messages from several connections at once.
mail_max_userip_connections = 100
# A wrong password is answered within half a second: no 2 s delay, no growing penalty.
auth_failure_delay = 0
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """A running server; ``client()`` logs in as the test user."""

    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self) -> None:
        # Not pytest's tmp_path: that is mode 700 and Dovecot's unprivileged
        # processes must read the passwd file and write the maildir.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        if os.geteuid() == 0:
            mail = pwd.getpwnam("mail")
            uid, gid, internal, login = mail.pw_uid, mail.pw_gid, "dovecot", "dovenull"
        else:
            # Without root Dovecot cannot change users: everything runs as us.
            me = pwd.getpwuid(os.geteuid())
            uid, gid, internal, login = me.pw_uid, me.pw_gid, me.pw_name, me.pw_name
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir()
        for folder in ("mail", "home"):
            os.chown(self.root / folder, uid, gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        (self.root / "passwd").chmod(0o644)
        self.config = self.root / "dovecot.conf"
        self.config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                uid=uid,
                gid=gid,
                internal_user=internal,
                login_user=login,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends every child at once
        )
        self._wait_for_port()

    def _wait_for_port(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode() if self.process.stdout else ""
                raise RuntimeError(f"dovecot exited: {output} {self.log()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"dovecot did not listen on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        # A throwaway server keeps nothing worth a clean shutdown, which takes a
        # second per test: the whole process group goes at once.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        shutil.rmtree(self.root, ignore_errors=True)

    @contextmanager
    def client(self) -> Iterator[IMAPClient]:
        client = IMAPClient(self.host, self.port, ssl=False, timeout=30)
        try:
            client.login(USER, PASSWORD)
            yield client
        finally:
            try:
                client.logout()
            except (OSError, IMAPClient.Error):
                client.shutdown()

    def append(self, messages: Iterable[bytes], folder: str = "INBOX") -> None:
        """APPEND in one MULTIAPPEND command per call: hundreds take a fraction of a second."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            client.multiappend(folder, list(messages))

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        """UID -> flags of every message still in ``folder``."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["FLAGS"]) if uids else {}
            return {uid: set(data[b"FLAGS"]) for uid, data in fetched.items()}

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"])

    def recreate_folder(self, folder: str, keep: int | None = None) -> int:
        """Delete and re-create ``folder`` with its first ``keep`` messages (all by
        default), unseen again: a new UIDVALIDITY and UIDs from 1, as after a
        server migration. INBOX cannot be deleted: use another folder. Returns
        the new UIDVALIDITY."""
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            uids = client.search("ALL")
            fetched = client.fetch(uids, ["BODY.PEEK[]"]) if uids else {}
            messages = [fetched[uid][b"BODY[]"] for uid in sorted(fetched)][:keep]
            client.close_folder()
            client.delete_folder(folder)
            client.create_folder(folder)
            if messages:
                client.multiappend(folder, messages)
        return self.uidvalidity(folder)
