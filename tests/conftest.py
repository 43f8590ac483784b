from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop vs Django's ORM


def _find_corpora() -> Path:
    """../shared/corpora next to the checkout, or above it; CORPORA_DIR overrides."""
    if os.environ.get("CORPORA_DIR"):
        return Path(os.environ["CORPORA_DIR"])
    root = Path(__file__).resolve().parents[1]
    for folder in [root, *root.parents]:
        if (folder / "shared" / "corpora").is_dir():
            return folder / "shared" / "corpora"
    return root.parent / "shared" / "corpora"


CORPORA = _find_corpora()
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI a skipped test means a server or a browser was missing: that is a failure.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped and session.exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; failing the run", red=True)
        session.exitstatus = 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Concurrency that only PostgreSQL has (SQLite lets one writer in at a time): on
    # SQLite such a test has nothing to show; it is left out, not skipped.
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def need(condition: bool, reason: str) -> None:
    """Skip on a laptop that lacks a server; fail in CI, where .ci/run provides it."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _replies_go_at_once(settings: Any) -> None:
    """A reply on the conversation as soon as it is sent; the undo window has its own tests."""
    settings.REPLY_UNDO_SECONDS = 0


@pytest.fixture(autouse=True)
def _language_of_the_desk() -> Any:
    """A request in French leaves French active in the thread: not for the next test."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def corpora() -> Path:
    need(CORPORA.is_dir(), f"corpora not found at {CORPORA}")
    return CORPORA


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed")
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


PASSWORD = "correct horse battery"


@pytest.fixture
def people(db: None) -> dict[str, Any]:
    """The personas: Camille the founder, Sophie the head of customer happiness, Chris an agent."""
    from handoff.accounts.models import Role, User

    return {
        "camille": User.objects.create_user(
            "camille@acme.example", PASSWORD, name="Camille", role=Role.FOUNDER
        ),
        "sophie": User.objects.create_user(
            "sophie@acme.example", PASSWORD, name="Sophie", role=Role.HEAD
        ),
        "chris": User.objects.create_user(
            "chris@acme.example", PASSWORD, name="Chris", role=Role.AGENT
        ),
    }


@pytest.fixture
def make_scratch_env(tmp_path_factory: pytest.TempPathFactory):
    """Make environments for `handoff` subprocesses, each with a database of its own.

    SQLite: a file in a temporary folder. PostgreSQL (when the suite runs on
    it): a fresh database on the same server, dropped afterwards.
    """
    import subprocess
    import sys

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    server = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/postgres"
    created: list[str] = []

    def make() -> dict[str, str]:
        folder = tmp_path_factory.mktemp("scratch")
        env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
        env["HANDOFF_DATA_DIR"] = str(folder)
        env.pop("DATABASE_URL", None)
        if db["ENGINE"] == "django.db.backends.postgresql":
            name = f"handoff_scratch_{os.getpid()}_{len(created)}"
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                connection.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            env["DATABASE_URL"] = (
                f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
            )
        handoff = [sys.executable, "-m", "handoff.cli"]
        subprocess.run([*handoff, "migrate", "-v0"], env=env, check=True)
        return env

    yield make
    for name in created:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
