"""The cockpit over HTTP on a million messages: `handoff demo` filled, `handoff serve` timed.

    .venv/bin/python bench/web.py [--database sqlite|postgres|both] [--conversations 100000]
                                  [--keep DIR] [--requests 50] [--cold 5] [--urls URL,URL...]

For each database (SQLite in a HANDOFF_DATA_DIR, or a fresh PostgreSQL database
handoff_bench_web_<pid> on 127.0.0.1:5432, dropped afterwards), runs
`handoff demo --conversations N` as a separate process, timed from outside (100,000
conversations of history are about a million messages), with the time of each of its
stages read from its output as it comes: history written, recent conversations through
the pipeline, then the cockpit's roll-up. With --keep DIR the filled databases stay
(DIR/sqlite, and the PostgreSQL database handoff_bench_web) and a later run with the
same DIR measures them again without filling (the fill figures are the first run's).

Then serves the desk as a founder would run it, `handoff serve` (gunicorn, two
processes of four threads, and the background worker), on a free port, logs in over
HTTP as the founder (GET /login/, its CSRF token, POST) and, for each URL:

- ``cold``: the first request for it on a server just started (--cold times, a new
  server each time). The server counts as started when it serves a static file, which
  touches no view, template or database; the operating system's page cache is not
  dropped (that needs root), so "cold" is a new server process on warm files;
- ``warm``: --requests sequential requests on the last of those servers, after its
  cold one.

Each request is a new connection with the session cookie, timed until the last byte
of the body. Prints one JSON object: the machine, and per database the fill (seconds,
conversations, messages, events, database size) and per URL its status and
p50/p95/max in milliseconds, cold and warm. A URL that does not answer 200 to the
founder is reported with its status and not timed (the cockpit's page while it does
not exist yet).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
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
FOUNDER = "camille@acme-reports.example"
PASSWORD = "handoff-demo"  # the demo's logins (DEMO_PASSWORD in demo.py)
PROBE = "/static/desk/desk.css"  # answered by WhiteNoise: no view, template or query
COCKPIT = "/cockpit/?days=90"
URLS = [COCKPIT, "/cockpit/?days=30", "/cockpit/?days=7", "/cockpit/csv/week.csv?days=90", "/"]
TARGET_MS = 300
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
                return db.execute(sql).fetchone()[0]
            except sqlite3.OperationalError:  # no tables yet
                return None
    import psycopg

    with psycopg.connect(place.env["DATABASE_URL"]) as db:
        try:
            return db.execute(sql).fetchone()[0]  # type: ignore[index]
        except psycopg.errors.UndefinedTable:
            return None


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
    stages, previous = {}, 0.0
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
def serving(place: Desk, client: Client) -> Iterator[float]:
    """`handoff serve` on a free port until it serves a static file; yields the seconds
    that took. Stopped as serve stops (SIGTERM to its process group)."""
    client.port = free_port()
    log = (place.folder / "serve.log").open("a")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(HANDOFF), "serve", "--host", HOST, "--port", str(client.port)],
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


def stats(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "p50": round(statistics.median(ordered) * 1000, 1),
        "p95": round(ordered[math.ceil(len(ordered) * 0.95) - 1] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
        "count": len(ordered),
    }


def timed(client: Client, url: str) -> float:
    answer = client.request("GET", url)
    if answer.status != 200:
        raise SystemExit(f"GET {url} answered {answer.status} during the measurement")
    return answer.seconds


def measure(place: Desk, urls: list[str], cold: int, requests: int) -> dict[str, Any]:
    client = Client()
    found: dict[str, Any] = {}
    startups = []
    with serving(place, client) as startup:
        startups.append(startup)
        client.log_in(FOUNDER, PASSWORD)  # the session is in the database: it outlives servers
        for url in urls:
            answer = client.request("GET", url)
            found[url] = {"status": answer.status, "bytes": answer.size}
            if answer.status in {301, 302}:
                found[url]["location"] = answer.headers.get("Location")
    for url in urls:
        if found[url]["status"] != 200:
            continue
        colds, warms = [], []
        for sample in range(cold):
            with serving(place, client) as startup:
                startups.append(startup)
                colds.append(timed(client, url))
                if sample == cold - 1:
                    warms = [timed(client, url) for _ in range(requests)]
        found[url] |= {"cold_ms": stats(colds), "warm_ms": stats(warms)}
    return {"server_start_seconds": round(statistics.median(startups), 2), "urls": found}


TICK = (
    "from django.utils import timezone; from handoff.cockpit import snapshots; "
    "snapshots.refresh(timezone.now())"
)


def settle(place: Desk) -> float:
    """The cockpit's tick once, as `handoff work` runs it every five minutes on a desk in
    service (the roll-up and the snapshots of its usual periods): the state a founder
    finds. Its seconds are reported; the worker's own ticks go on while measuring."""
    started = time.perf_counter()
    subprocess.run(
        [str(HANDOFF), "django", "shell", "-c", TICK],
        env=place.env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return round(time.perf_counter() - started, 1)


def run(kind: str, keep: Path | None, args: argparse.Namespace) -> dict[str, Any]:
    with desk(kind, keep) as place:
        report: dict[str, Any] = {"database": kind, "fill": fill(place, args.conversations)}
        report |= contents(place)
        report["cockpit_tick_seconds"] = settle(place)
        report |= measure(place, args.urls, args.cold, args.requests)
    cockpit = report["urls"].get(COCKPIT, {})
    if "warm_ms" in cockpit:
        report["targets"] = {
            f"cockpit_90_days_p95_under_{TARGET_MS}ms_cold": cockpit["cold_ms"]["p95"] < TARGET_MS,
            f"cockpit_90_days_p95_under_{TARGET_MS}ms_warm": cockpit["warm_ms"]["p95"] < TARGET_MS,
        }
    return report


def code() -> dict[str, Any]:
    """What was measured: the working tree moves while other work goes on."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_files": len(changed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument(
        "--conversations",
        type=int,
        default=100_000,
        help="conversations of demo history (default 100,000: about a million messages)",
    )
    parser.add_argument("--keep", type=Path, help="keep the filled databases here, and reuse them")
    parser.add_argument("--requests", type=int, default=50, help="warm requests per URL")
    parser.add_argument("--cold", type=int, default=5, help="cold samples (servers) per URL")
    parser.add_argument(
        "--urls",
        type=lambda text: [url for url in text.split(",") if url],
        default=URLS,
        help="comma-separated paths to time (default: the cockpit for 90, 30 and 7 days, "
        "a CSV, the inbox)",
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    keep = args.keep.resolve() if args.keep else None
    report = {
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "code": code(),
        "conversations": args.conversations,
        "requests": args.requests,
        "cold_samples": args.cold,
        "runs": [run(kind, keep, args) for kind in kinds],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
