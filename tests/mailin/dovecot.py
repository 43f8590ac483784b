"""A throwaway Dovecot IMAP server for the tests: its own config, maildir and port.

Starts in a few hundredths of a second; every test gets a fresh one. With
``tls=True`` it also speaks TLS, with a certificate from a CA made for it alone:
STARTTLS on ``port`` and implicit TLS on ``imaps_port``.
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
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
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
{ssl_settings}
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
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
"""

NO_SSL = "ssl = no"
# `<path` makes Dovecot read the file; a bare path would be taken as the PEM itself.
SSL = """\
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}"""

# EC keys: generated in milliseconds, where RSA takes a noticeable part of a test.
NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _free_port(*taken: int) -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port not in taken:
            return port


def _openssl(*args: str) -> None:
    done = subprocess.run([OPENSSL, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {done.stderr}")


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate it signs for IP 127.0.0.1.

    Returns (CA certificate, server certificate, server key). The extensions are
    those strict verifiers (Python 3.13's VERIFY_X509_STRICT) demand: a CA marked
    critical, key usages, key identifiers on both.
    """
    folder.mkdir()
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key = folder / "server.pem", folder / "server.key"
    _openssl(
        "req", "-x509", *NEW_KEY, "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
        "-subj", "/CN=Handoff test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl(
        "req", "-x509", "-CA", str(ca), "-CAkey", str(ca_key), *NEW_KEY,
        "-keyout", str(key), "-out", str(cert), "-days", "2",
        "-subj", "/CN=127.0.0.1",
        "-addext", "basicConstraints=critical,CA:FALSE",
        "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=serverAuth",
        "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    return ca, cert, key


class Dovecot:
    """A running server; ``client()`` logs in as the test user.

    With ``tls``, ``ca_file`` is the CA to trust and ``imaps_port`` the implicit
    TLS port; without, both are None and STARTTLS is not offered.
    """

    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self, *, tls: bool = False) -> None:
        # Not pytest's tmp_path: that is mode 700 and Dovecot's unprivileged
        # processes must read the passwd file and write the maildir.
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.imaps_port: int | None = None
        self.ca_file: Path | None = None
        ssl_settings = NO_SSL
        if tls:
            self.imaps_port = _free_port(self.port)
            # Read by Dovecot's config process, which runs as root (or as us).
            self.ca_file, cert, key = make_certificates(self.root / "tls")
            ssl_settings = SSL.format(cert=cert, key=key)
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
                imaps_port=self.imaps_port or 0,  # 0: no imaps listener
                ssl_settings=ssl_settings,
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
        self._wait_for_port(self.port)
        if self.imaps_port:
            self._wait_for_port(self.imaps_port)

    def _wait_for_port(self, port: int) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode() if self.process.stdout else ""
                raise RuntimeError(f"dovecot exited: {output} {self.log()}")
            try:
                socket.create_connection((self.host, port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"dovecot did not listen on {port}: {self.log()}")

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
