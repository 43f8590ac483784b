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
import json
import math
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from web_desk import (  # next to this file
    HANDOFF,
    ROOT,
    Client,
    Desk,
    contents,
    desk,
    fill,
    query,
    serving,
)

FOUNDER = "camille@acme-reports.example"
HEAD = "sophie@acme-reports.example"
PASSWORD = "handoff-demo"  # the demo's logins (DEMO_PASSWORD in demo.py)
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
