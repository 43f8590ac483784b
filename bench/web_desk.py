"""The desk ``web.py`` measures: filled by `handoff demo` (SQLite in a folder, or a PostgreSQL
database; kept with --keep), served by `handoff serve` on a free port, and a client that
logs in and times each request over a new connection."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HANDOFF = ROOT / ".venv" / "bin" / "handoff"
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
KEPT_DATABASE = "handoff_bench_web"
HOST = "127.0.0.1"
PROBE = "/static/desk/desk.css"  # answered by WhiteNoise: no view, template or query
STARTUP_SECONDS = 180


@dataclass
class Desk:
    """One database and the environment that points `handoff` at it."""

    kind: str
    env: dict[str, str]
    folder: Path
    kept: bool


@contextlib.contextmanager
def desk(kind: str, keep: Path | None) -> Iterator[Desk]:
    with contextlib.ExitStack() as stack:
        if keep:
            folder = keep / kind
            folder.mkdir(parents=True, exist_ok=True)
        else:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="handoff-web-")))
        env = {**os.environ, "HANDOFF_DATA_DIR": str(folder), "PYTHONUNBUFFERED": "1"}
        env.pop("DATABASE_URL", None)
        if kind == "sqlite":
            yield Desk(kind, env, folder, kept=keep is not None)
            return
        import psycopg

        name = KEPT_DATABASE if keep else f"{KEPT_DATABASE}_{os.getpid()}"
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
            there = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not there:
                admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = POSTGRES + name
        try:
            yield Desk(kind, env, folder, kept=keep is not None)
        finally:
            if not keep:
                with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(place: Desk, sql: str) -> Any:
    """One value from the desk's database, read directly (the bench stays outside Django)."""
    if place.kind == "sqlite":
        import sqlite3

        with contextlib.closing(sqlite3.connect(place.folder / "handoff.sqlite3")) as db:
            try:
                row = db.execute(sql).fetchone()
            except sqlite3.OperationalError:  # no tables yet
                return None
            return row[0] if row else None
    import psycopg

    with psycopg.connect(place.env["DATABASE_URL"]) as db:
        try:
            found = db.execute(sql).fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        return found[0] if found else None


def contents(place: Desk) -> dict[str, Any]:
    found = {
        table: query(place, f"SELECT COUNT(*) FROM tickets_{table[:-1]}")
        for table in ("conversations", "messages", "events")
    }
    if place.kind == "sqlite":
        size = sum(p.stat().st_size for p in place.folder.glob("handoff.sqlite3*"))
    else:
        size = query(place, "SELECT pg_database_size(current_database())")
    return found | {"database_mb": round(size / 1e6, 1)}


HISTORY_DONE = re.compile(r"history of ([\d,]+) conversations, ([\d,]+) messages")
HISTORY_PROGRESS = re.compile(r"history.*?([\d,]+)/([\d,]+) conversations, (\d+)s")


def fill(place: Desk, conversations: int) -> dict[str, Any]:
    """`handoff demo --conversations N`, timed from outside, with the moment each stage's
    line comes out (its output is unbuffered): where the time goes."""
    saved = place.folder / "fill.json"
    if place.kept and (query(place, "SELECT COUNT(*) FROM tickets_conversation") or 0):
        earlier = json.loads(saved.read_text()) if saved.exists() else {}
        return earlier | {"reused": True}
    command = [str(HANDOFF), "demo", "--conversations", str(conversations)]
    started = time.perf_counter()
    marks: dict[str, float] = {}
    found: dict[str, Any] = {"command": " ".join(["handoff", *command[1:]])}
    output = []
    with subprocess.Popen(
        command,
        env=place.env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout
        for line in process.stdout:
            at = time.perf_counter() - started
            output.append(line.rstrip())
            if "starter model trained" in line:
                marks["setup"] = at  # tables, logins, team configuration, starter model
            elif progress := HISTORY_PROGRESS.search(line):
                marks.setdefault("history_first_progress", at)
                found["history_loop_seconds"] = int(progress[3])
            elif done := HISTORY_DONE.search(line):
                marks["history"] = at
                found["history_conversations"] = int(done[1].replace(",", ""))
                found["history_messages"] = int(done[2].replace(",", ""))
            elif "messages stored" in line:
                marks["recent_through_pipeline"] = at
    seconds = time.perf_counter() - started
    if process.returncode:
        sys.stderr.write("\n".join(output[-30:]) + "\n")
        raise SystemExit(f"handoff demo failed ({process.returncode}) on {place.kind}")
    # Each stage ends when its line comes out; the roll-up and the logins come last.
    stages: dict[str, float] = {}
    previous = 0.0
    for name in ("setup", "history", "recent_through_pipeline"):
        if name in marks:
            stages[name] = round(marks[name] - previous, 1)
            previous = marks[name]
    stages["rollup_and_rest"] = round(seconds - previous, 1)
    found |= {"seconds": round(seconds, 1), "stages_seconds": stages}
    if place.kept:
        saved.write_text(json.dumps(found))
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Answer:
    status: int
    seconds: float
    size: int
    headers: http.client.HTTPMessage


class Client:
    """Requests over a new connection each, with the cookies the server set."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}
        self.port = 0

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> Answer:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, seconds, len(content), response.headers)

    def log_in(self, email: str, password: str) -> None:
        page = self.request("GET", "/login/")
        token = self.cookies.get("csrftoken")
        if page.status != 200 or not token:
            raise SystemExit(f"GET /login/ answered {page.status} without a CSRF cookie")
        # The form's token is masked differently from the cookie's; either is accepted.
        answer = self.request(
            "POST",
            "/login/",
            {"username": email, "password": password, "csrfmiddlewaretoken": token},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"logging in as {email} answered {answer.status}")


@contextlib.contextmanager
def serving(place: Desk, *clients: Client) -> Iterator[float]:
    """`handoff serve` on a free port until it serves a static file; yields the seconds
    that took. Stopped as serve stops (SIGTERM to its process group)."""
    port = free_port()
    for client in clients:
        client.port = port
    client = clients[0]
    log = (place.folder / "serve.log").open("a")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(HANDOFF), "serve", "--host", HOST, "--port", str(port)],
        env=place.env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"handoff serve stopped ({process.returncode}), see {log.name}")
            if time.perf_counter() - started > STARTUP_SECONDS:
                raise SystemExit(f"handoff serve did not answer in {STARTUP_SECONDS}s")
            with contextlib.suppress(OSError):
                if client.request("GET", PROBE).status == 200:
                    break
            time.sleep(0.05)
        yield time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
