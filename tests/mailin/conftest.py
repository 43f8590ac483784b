from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need
from tests.mailin.dovecot import Dovecot


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    """A fresh Dovecot on a free port, with one user and an empty INBOX."""
    need(
        shutil.which("dovecot") is not None or Path("/usr/sbin/dovecot").exists(),
        "Dovecot is not installed (apt install dovecot-imapd)",
    )
    server = Dovecot()
    yield server
    server.stop()
