"""The mailbox's IMAP secret, read when connecting and never stored; the errors of IMAP setup."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from handoff.mailin.models import Mailbox


class ImapError(Exception):
    """A mailbox that cannot be fetched as it is: recorded on its cursor, retried."""


class ImapSetupError(ImapError):
    """Settings that cannot work: a missing secret, plain text to a remote host."""


def read_secret(mailbox: Mailbox) -> str:
    """The password or OAuth2 token: from the environment, a file or a command; never stored."""
    if mailbox.secret_env:
        value = os.environ.get(mailbox.secret_env, "")
        if not value:
            raise ImapSetupError(
                f"IMAP secret missing: environment variable {mailbox.secret_env} is not set"
            )
        return value
    if mailbox.secret_file:
        try:
            value = Path(mailbox.secret_file).read_text().strip()
        except OSError as error:
            raise ImapSetupError(
                f"IMAP secret file {mailbox.secret_file} cannot be read: {error.strerror}"
            ) from None
        if not value:
            raise ImapSetupError(f"IMAP secret file {mailbox.secret_file} is empty")
        return value
    if mailbox.token_command:
        # No shell: the command line is the operator's, its output a secret.
        try:
            argv = shlex.split(mailbox.token_command)
        except ValueError as error:
            raise ImapSetupError(f"IMAP token command cannot be split: {error}") from None
        if not argv:
            raise ImapSetupError("IMAP token command is blank")
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise ImapSetupError(f"IMAP token command {argv[0]!r} failed: {error}") from None
        token = result.stdout.strip()
        if result.returncode != 0 or not token:
            # stderr is not quoted: a failing helper may echo what it was given.
            raise ImapSetupError(
                f"IMAP token command {argv[0]!r} exited with status {result.returncode}"
                + ("" if token else " and printed no token")
            )
        return token
    raise ImapSetupError("no IMAP secret configured: set secret_env, secret_file or token_command")
