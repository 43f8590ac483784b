"""The cockpit and the desk over HTTP on a million messages: `handoff demo` filled,
`handoff serve` timed.

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
After the fill, one conversation of LONG messages (a customer and the team taking turns,
each answering the one before) is imported with `handoff import`, through the pipeline
as any mail: the desk's long conversation, and the one message with the RARE word.

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
person is reported with its status and not timed. The cockpit's URLs are the founder's,
the desk's (every queue, the long conversation, a search for a rare and for a common
word) the head's: the person who looks at every queue.
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
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
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
HEAD = "sophie@acme-reports.example"
PASSWORD = "handoff-demo"  # the demo's logins (DEMO_PASSWORD in demo.py)
PROBE = "/static/desk/desk.css"  # answered by WhiteNoise: no view, template or query
COCKPIT = "/cockpit/?days=90"
QUEUES = ["mine", "unassigned", "due", "snoozed", "founder", "triage", "noise"]
LONG = 200  # messages in the long conversation
RARE = "quetzalcoatlite"  # in one message of it, nowhere else
COMMON = "invoice"  # in a large share of the demo's history
LONG_URL = "/c/{long}/"  # {long}: the long conversation's number, known once it is imported
SEARCHES = [f"/search/?q={RARE}", f"/search/?q={COMMON}"]
URLS = [
    COCKPIT,
    "/cockpit/?days=30",
    "/cockpit/?days=7",
    "/cockpit/csv/week.csv?days=90",
    "/",
    *(f"/?queue={key}" for key in QUEUES),
    LONG_URL,
    *SEARCHES,
]
TARGET_MS = 300
QUEUE_TARGET_MS = 150
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


def person(url: str) -> str:
    """Who asks for a URL: the founder for the cockpit (and her own start page), the head
    for the desk."""
    return FOUNDER if url.startswith("/cockpit/") or url == "/" else HEAD


def measure(place: Desk, urls: list[str], cold: int, requests: int) -> dict[str, Any]:
    clients = {email: Client() for email in (FOUNDER, HEAD)}
    found: dict[str, Any] = {}
    startups = []
    with serving(place, *clients.values()) as startup:
        startups.append(startup)
        for email, client in clients.items():  # sessions are in the database: they outlive servers
            client.log_in(email, PASSWORD)
        for url in urls:
            answer = clients[person(url)].request("GET", url)
            found[url] = {"as": person(url), "status": answer.status, "bytes": answer.size}
            if answer.status in {301, 302}:
                found[url]["location"] = answer.headers.get("Location")
    for url in urls:
        if found[url]["status"] != 200:
            continue
        client = clients[person(url)]
        colds, warms = [], []
        for sample in range(cold):
            with serving(place, client) as startup:
                startups.append(startup)
                colds.append(timed(client, url))
                if sample == cold - 1:
                    warms = [timed(client, url) for _ in range(requests)]
        found[url] |= {"cold_ms": stats(colds), "warm_ms": stats(warms)}
    return {"server_start_seconds": round(statistics.median(startups), 2), "urls": found}


def long_mbox(path: Path) -> None:
    """LONG messages in one conversation: a customer and the support mailbox taking turns,
    each one's In-Reply-To and References naming the one before; RARE in one of them."""
    start = time.time() - LONG * 3600
    earlier: list[str] = []
    with path.open("wb") as out:
        for number in range(LONG):
            customer = number % 2 == 0
            message = EmailMessage()
            message["From"] = (
                "Long Thread <long.thread@customer-bench.example>"
                if customer
                else "Acme Reports <support@acme-reports.example>"
            )
            message["To"] = (
                "support@acme-reports.example" if customer else "long.thread@customer-bench.example"
            )
            message["Subject"] = ("Re: " if number else "") + "The export that never ends"
            message["Date"] = format_datetime(datetime.fromtimestamp(start + number * 3600, UTC))
            message["Message-ID"] = f"<bench-long-{number}@customer-bench.example>"
            if earlier:
                message["In-Reply-To"] = earlier[-1]
                message["References"] = " ".join(earlier[-20:])
            word = f" The word {RARE} is in this one." if number == LONG // 2 else ""
            message.set_content(
                f"Message {number + 1} of the long conversation.{word}\n\n"
                + "The export of the monthly report stops half-way; here is what we see. " * 12
            )
            earlier.append(message["Message-ID"])
            out.write(b"From bench@customer-bench.example Thu Jan  1 00:00:00 2026\n")
            out.write(message.as_bytes().replace(b"\nFrom ", b"\n>From ") + b"\n")


def long_conversation(place: Desk) -> dict[str, Any]:
    """The long conversation imported (once: a kept desk has it), its number and size."""
    find = (
        "SELECT conversation_id FROM tickets_message "
        "WHERE message_id LIKE '%bench-long-0@customer-bench.example%'"
    )
    seconds = None
    if query(place, find) is None:
        mbox = place.folder / "long-thread.mbox"
        long_mbox(mbox)
        started = time.perf_counter()
        subprocess.run(
            [str(HANDOFF), "import", str(mbox)],
            env=place.env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        seconds = round(time.perf_counter() - started, 1)
    number = query(place, find)
    size = query(place, f"SELECT COUNT(*) FROM tickets_message WHERE conversation_id = {number}")
    return {"conversation": number, "messages": size, "import_seconds": seconds}


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
        report["long_conversation"] = long = long_conversation(place)
        report |= contents(place)
        report["cockpit_tick_seconds"] = settle(place)
        urls = [url.replace("{long}", str(long["conversation"])) for url in args.urls]
        report |= measure(place, urls, args.cold, args.requests)
    report["targets"] = targets(report["urls"], LONG_URL.format(long=long["conversation"]))
    return report


def targets(urls: dict[str, Any], long: str) -> dict[str, bool]:
    """Each timed URL against its target: the cockpit's 90 days and the long conversation
    and the searches under TARGET_MS, every queue under QUEUE_TARGET_MS (p95, cold and
    warm)."""
    limits = {COCKPIT: TARGET_MS, long: TARGET_MS} | dict.fromkeys(SEARCHES, TARGET_MS)
    limits |= {url: QUEUE_TARGET_MS for url in urls if url == "/" or url.startswith("/?queue=")}
    met = {}
    for url, limit in limits.items():
        for kind in ("cold_ms", "warm_ms"):
            if kind in urls.get(url, {}):
                met[f"{url} p95 under {limit}ms {kind[:-3]}"] = urls[url][kind]["p95"] < limit
    return met


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
        "a CSV, every queue, the long conversation ({long}), two searches)",
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
