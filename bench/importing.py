"""One measured `handoff import` (``ingest.py`` is the command): the generated mail, a
throwaway database, the import run as a process of its own and timed from outside, the
memory of its whole process tree sampled meanwhile, what it stored counted afterwards."""

from __future__ import annotations

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


def measure_import(
    mail: Path,
    messages: int,
    database: str,
    jobs: int | None,
    work: Path,
    generated: dict[str, Any],
) -> dict[str, Any]:
    """One `handoff import` of MAIL on a fresh database; `work` holds its data and logs."""
    data, logs = work / "data", work
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
        "generate_seconds": generated["generate_seconds"],
        # Extras: the kernel's exact peak for the import's main process (the sampled
        # figures can miss a spike shorter than the 50 ms between samples).
        "import_main_maxrss_mb": round(result["main_maxrss"] / MB, 1),
        "processes": peak.processes,
        "rss_samples": peak.samples,
        "seed": generated["seed"],
        "cpus": os.cpu_count(),
        "tmp_dir": tempfile.gettempdir(),
        "mail": generated["mail"],
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


def generate_mail(mail: Path, messages: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    mail_stats = generate(mail, messages, seed)
    return {
        "generate_seconds": round(time.perf_counter() - started, 3),
        "seed": seed,
        "mail": mail_stats.as_dict(),
    }


def run(messages: int, database: str, seed: int, jobs: int | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        mail = Path(tmp, "mail")
        generated = generate_mail(mail, messages, seed)
        return measure_import(mail, messages, database, jobs, Path(tmp), generated)
