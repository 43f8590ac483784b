"""Import throughput and memory: generated help-desk mail through `handoff import`.

    .venv/bin/python bench/ingest.py [--messages 5000] [--database sqlite|postgres] [--seed 1]
    .venv/bin/python bench/ingest.py --sizes 1000,5000,20000 [--database postgres]

Writes N realistic .eml files (bench/mailgen.py: English and French, UTF-8 and
ISO-8859-1, quoted-printable and base64, HTML alternatives, attachments, 30%
replies) into a temporary directory, migrates a throwaway database (SQLite in a
temporary HANDOFF_DATA_DIR, or a fresh PostgreSQL database handoff_bench_<pid>
on 127.0.0.1:5432, dropped afterwards), then runs `handoff import --json DIR`
as a separate process, timed from outside. Meanwhile the RSS of the import's
whole process tree (its parsing pool included) is sampled every 50 ms.

Prints one JSON object: with --sizes, {"runs": [...]} with one such object per
size, to show whether memory stays flat as N grows. Temporary files go to
TMPDIR (file creation is slow on some disks: TMPDIR=/dev/shm takes the disk
out of the measurement).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailgen import generate  # bench/mailgen.py, next to this file

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
POLL_SECONDS = 0.05
PAGE = resource.getpagesize()
MB = 1024 * 1024
# Counts what the import stored, after it ran (not timed).
CHECK = """
import json
from collections import Counter
from handoff.mailin.models import RawMessage
from handoff.tickets.models import Attachment, Conversation, Message
warnings = Counter()
for found in Message.objects.exclude(warnings=[]).values_list("warnings", flat=True):
    warnings.update(w.split(":")[0][:80] for w in found)
print(json.dumps({
    "raw_states": dict(Counter(RawMessage.objects.values_list("state", flat=True))),
    "raw_errors": list(RawMessage.objects.exclude(error="").values_list("error", flat=True)[:5]),
    "messages": Message.objects.count(),
    "conversations": Conversation.objects.filter(merged_into=None).count(),
    "attachments": Attachment.objects.count(),
    "warnings": dict(warnings.most_common(10)),
}))
"""


# ---------------------------------------------------------------- memory


def _processes() -> dict[int, tuple[int, int]]:
    """pid: (parent pid, resident bytes) of every process we can see."""
    found: dict[int, tuple[int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:  # gone since listdir
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(b")") + 2 :].split()
        found[int(name)] = (int(fields[1]), int(fields[21]) * PAGE)
    return found


@dataclass(slots=True)
class Peak:
    total: int = 0  # bytes: the largest sum over the tree at one instant
    largest: int = 0  # bytes: the largest single process ever seen
    processes: int = 0  # the most processes in the tree at one instant
    samples: int = 0


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak = Peak()
        self.done = threading.Event()

    def run(self) -> None:
        while True:
            self.sample()
            if self.done.wait(POLL_SECONDS):
                return

    def sample(self) -> None:
        processes = _processes()
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in processes.items():
            children.setdefault(parent, []).append(pid)
        tree, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            if pid in processes:
                tree.append(processes[pid][1])
            todo.extend(children.get(pid, ()))
        peak = self.peak
        peak.samples += 1
        peak.total = max(peak.total, sum(tree))
        peak.largest = max(peak.largest, max(tree, default=0))
        peak.processes = max(peak.processes, len(tree))


# ---------------------------------------------------------------- database


@contextlib.contextmanager
def environment(database: str, data_dir: Path) -> Iterator[dict[str, str]]:
    """The import's environment, with a throwaway database for the duration."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["HANDOFF_DATA_DIR"] = str(data_dir)
    if database == "sqlite":
        yield env
        return
    import psycopg
    from psycopg import sql

    name = f"handoff_bench_{os.getpid()}"
    with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield {**env, "DATABASE_URL": POSTGRES + name}
    finally:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# ---------------------------------------------------------------- one run


def handoff(*args: str) -> list[str]:
    return [sys.executable, "-m", "handoff.cli", *args]


def timed_import(command: list[str], env: dict[str, str], logs: Path) -> dict[str, Any]:
    """Run the import; wall time and memory seen from outside."""
    with (logs / "stdout").open("wb") as out, (logs / "stderr").open("wb") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err)
        memory = TreeMemory(process.pid)
        memory.start()
        # wait4, not wait: the kernel's own high-water mark of the import process.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        memory.done.set()
        memory.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit_code": process.returncode,
        "wall_seconds": wall,
        "peak": memory.peak,
        "main_maxrss": usage.ru_maxrss * 1024,  # kilobytes on Linux
        "stdout": (logs / "stdout").read_text(errors="replace"),
        "stderr": (logs / "stderr").read_text(errors="replace"),
    }


def run(messages: int, database: str, seed: int, jobs: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        mail, data, logs = Path(tmp, "mail"), Path(tmp, "data"), Path(tmp)
        started = time.perf_counter()
        mail_stats = generate(mail, messages, seed)
        generate_seconds = time.perf_counter() - started
        with environment(database, data) as env:
            subprocess.run(handoff("migrate", "-v0"), env=env, cwd=ROOT, check=True)
            command = handoff("import", "--json", str(mail))
            if jobs:
                command += ["--jobs", str(jobs)]
            result = timed_import(command, env, logs)
            check = subprocess.run(
                handoff("shell", "--no-imports", "-c", CHECK),
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
    wall: float = result["wall_seconds"]
    peak: Peak = result["peak"]
    report: dict[str, Any] = {
        "messages": messages,
        "database": database,
        "wall_seconds": round(wall, 3),
        "messages_per_second": round(messages / wall, 1),
    }
    try:
        summary = json.loads(result["stdout"].strip().splitlines()[-1])
    except (IndexError, ValueError):
        summary = None
    stored = summary.get("stored", 0) if summary else 0
    report |= {
        "import_summary": summary,
        "queries_per_message": round(summary["queries"] / stored, 2) if stored else None,
        "peak_rss_mb_total": round(peak.total / MB, 1),
        "peak_rss_mb_largest_process": round(peak.largest / MB, 1),
        "generate_seconds": round(generate_seconds, 3),
        # Extras: the kernel's exact peak for the import's main process (the sampled
        # figures can miss a spike shorter than the 50 ms between samples).
        "import_main_maxrss_mb": round(result["main_maxrss"] / MB, 1),
        "processes": peak.processes,
        "rss_samples": peak.samples,
        "seed": seed,
        "cpus": os.cpu_count(),
        "tmp_dir": tempfile.gettempdir(),
        "mail": mail_stats.as_dict(),
    }
    if check.returncode == 0:
        report["stored_check"] = json.loads(check.stdout.strip().splitlines()[-1])
    else:
        report["stored_check_error"] = check.stderr[-2000:]
    if result["exit_code"] != 0 or summary is None:
        report["import_exit_code"] = result["exit_code"]
    if result["stderr"].strip():
        report["import_stderr"] = result["stderr"][-4000:]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sizes", help="comma-separated message counts, one run each (e.g. 1000,5000,20000)"
    )
    parser.add_argument("--jobs", type=int, help="passed to `handoff import --jobs`")
    args = parser.parse_args()
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        runs = [run(size, args.database, args.seed, args.jobs) for size in sizes]
        output: dict[str, Any] = {"database": args.database, "seed": args.seed, "runs": runs}
    else:
        output = run(args.messages, args.database, args.seed, args.jobs)
    print(json.dumps(output))
    failed = [r for r in output.get("runs", [output]) if "import_exit_code" in r]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
