"""Import throughput and memory: generated help-desk mail through `handoff import`.

    .venv/bin/python bench/ingest.py [--messages 5000] [--database sqlite|postgres] [--seed 1]
    .venv/bin/python bench/ingest.py --sizes 1000,5000,20000 [--database postgres]
    .venv/bin/python bench/ingest.py --messages 1000 --peer [--repeat 3]

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

With --peer, the same files also go through the peer and through bare parsing,
in the same run, from shared/peer-bench (../shared/peer-bench next to the
checkout or above it; PEER_BENCH_DIR overrides): `peer.sh DIR` (django-helpdesk
2.6.1's `get_email`, on SQLite; its venv is built under PEER_HOME, default
$TMPDIR/handoff-peer, about a minute the first time) and `parse_bench.py DIR`
(the standard library's parser on one core; its "body+atts" variant, every part
decoded, is the figure used). The peer reads each file as UTF-8 text and its
whole run stops at the first file that is not (8-bit ISO-8859-1 mail, about 5%
of the generated files), so all three are measured on the files that decode as
UTF-8; the excluded count is reported. Each of the --repeat rounds (default 3)
runs the three one after the other, in a rotated order, Handoff on a fresh
database each time; the output has every round's figures, the median rate of
each, and the ratios of the medians: vs_peer = handoff / peer and vs_parse =
handoff / bare parse (the per-round ratios are there too: on a shared machine
rates move, ratios taken within one round less so).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import statistics
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


def _find_peer_bench() -> Path:
    """../shared/peer-bench next to the checkout, or above it; PEER_BENCH_DIR overrides."""
    if os.environ.get("PEER_BENCH_DIR"):
        return Path(os.environ["PEER_BENCH_DIR"])
    for folder in [ROOT, *ROOT.parents]:
        if (folder / "shared" / "peer-bench").is_dir():
            return folder / "shared" / "peer-bench"
    return ROOT.parent / "shared" / "peer-bench"


PEER_BENCH = _find_peer_bench()
# The variant of parse_bench.py taken as "bare parsing": every part decoded, as an import does.
PARSE_VARIANT = "body+atts"
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


# ---------------------------------------------------------------- the peer and bare parsing


def peer_readable(mail: Path, common: Path) -> list[str]:
    """Link into COMMON the files django-helpdesk can take; return the names left out.

    Its `get_email` opens each file as (UTF-8) text: on the first that does not decode,
    process_queue raises and the rest of the queue is never looked at.
    """
    common.mkdir()
    excluded = []
    for path in sorted(mail.glob("*.eml")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            excluded.append(path.name)
            continue
        try:
            os.link(path, common / path.name)
        except OSError:
            shutil.copyfile(path, common / path.name)
    return excluded


def peer_env() -> dict[str, str]:
    home = os.environ.get("PEER_HOME") or f"{os.environ.get('TMPDIR') or '/tmp'}/handoff-peer"
    return {**os.environ, "PEER_HOME": home}


def peer_venv_ok(env: dict[str, str]) -> dict[str, Any]:
    """Versions in the peer's venv; a venv left half-built by a failed install is removed
    (peer.sh only builds when its python is missing), so that peer.sh builds it again."""
    home = Path(env["PEER_HOME"])
    python = home / "venv" / "bin" / "python"
    if not python.exists():
        return {}
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import sys, importlib.metadata as m;"
            "print(sys.version.split()[0], m.version('django-helpdesk'), m.version('Django'))",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        shutil.rmtree(home / "venv")
        (home / "template.sqlite3").unlink(missing_ok=True)
        return {"rebuilt_broken_venv": True}
    python_version, helpdesk, django = probe.stdout.split()
    return {"python": python_version, "django_helpdesk": helpdesk, "django": django}


def measure_peer(common: Path, env: dict[str, str], cwd: Path) -> dict[str, Any]:
    """`peer.sh DIR`: its own JSON line (n, wall_s, msgs_per_s, left, tickets).

    Run from a directory outside the checkout: peer.sh builds its venv with whatever
    `python3.11` is on PATH, and from inside the checkout pyenv's shim (the checkout pins
    3.12 in .python-version) falls back to the system's 3.11.2, too old for its lock file.
    """
    done = subprocess.run(
        ["bash", str(PEER_BENCH / "peer.sh"), str(common)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    try:
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        result = {"msgs_per_s": None}
    if done.returncode != 0 or result["msgs_per_s"] is None:
        result |= {"msgs_per_s": None, "exit_code": done.returncode}
        result["stderr"] = done.stderr[-3000:]
    return result


def measure_parse(common: Path) -> dict[str, Any]:
    """`parse_bench.py DIR --repeat 1`: msgs/s of each variant, on this interpreter."""
    done = subprocess.run(
        [sys.executable, str(PEER_BENCH / "parse_bench.py"), str(common), "--repeat", "1"],
        capture_output=True,
        text=True,
    )
    try:
        out = json.loads(done.stdout)
        variants = {name: out[name]["msgs_per_s"] for name in ("body", "body+atts", "read+body")}
    except (ValueError, KeyError):
        return {"msgs_per_s": None, "exit_code": done.returncode, "stderr": done.stderr[-3000:]}
    return {"msgs_per_s": variants[PARSE_VARIANT], "variants": variants}


def _median(values: list[float | None]) -> float | None:
    found = [value for value in values if value is not None]
    return round(statistics.median(found), 1) if found else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def compare(
    messages: int, database: str, seed: int, jobs: int | None, repeat: int
) -> dict[str, Any]:
    """Handoff, the peer and bare parsing on the same files, in `repeat` rotated rounds."""
    if not (PEER_BENCH / "peer.sh").is_file():
        sys.exit(f"no peer.sh in {PEER_BENCH} (set PEER_BENCH_DIR)")
    env = peer_env()
    venv_before = {k: v for k, v in peer_venv_ok(env).items() if k == "rebuilt_broken_venv"}
    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        mail, common = Path(tmp, "mail"), Path(tmp, "common")
        generated = generate_mail(mail, messages, seed)
        excluded = peer_readable(mail, common)
        measured = messages - len(excluded)
        rounds: list[dict[str, Any]] = []
        imports: list[dict[str, Any]] = []
        kinds = ["handoff", "peer", "parse"]
        for number in range(repeat):
            order = kinds[number % 3 :] + kinds[: number % 3]
            figures: dict[str, Any] = {"order": order}
            for kind in order:
                if kind == "handoff":
                    work = Path(tmp, f"round{number}")
                    work.mkdir()
                    report = measure_import(common, measured, database, jobs, work, generated)
                    imports.append(report)
                    failed = "import_exit_code" in report
                    figures["handoff"] = None if failed else report["messages_per_second"]
                elif kind == "peer":
                    figures["peer_run"] = measure_peer(common, env, Path(tmp))
                    figures["peer"] = figures["peer_run"]["msgs_per_s"]
                else:
                    figures["parse_run"] = measure_parse(common)
                    figures["parse"] = figures["parse_run"]["msgs_per_s"]
            figures["vs_peer"] = _ratio(figures["handoff"], figures["peer"])
            figures["vs_parse"] = _ratio(figures["handoff"], figures["parse"])
            rounds.append(figures)
    medians = {kind: _median([r[kind] for r in rounds]) for kind in kinds}
    first = imports[0]
    problems = [
        f"round {n + 1}: {what}"
        for n, r in enumerate(rounds)
        for what, bad in (
            ("handoff import failed", r["handoff"] is None),
            ("peer.sh failed", r["peer"] is None),
            ("parse_bench.py failed", r["parse"] is None),
            (f"the peer left {r['peer_run'].get('left')} files", bool(r["peer_run"].get("left"))),
        )
        if bad
    ]
    return {
        "messages": messages,
        "measured_messages": measured,
        "excluded_for_peer": len(excluded),
        "excluded_why": "not UTF-8 (8-bit ISO-8859-1): django-helpdesk's get_email stops at the first",
        "database": database,
        "repeat": repeat,
        "handoff_msgs_per_s": medians["handoff"],
        "peer_msgs_per_s": medians["peer"],
        "parse_msgs_per_s": medians["parse"],
        "vs_peer": _ratio(medians["handoff"], medians["peer"]),
        "vs_parse": _ratio(medians["handoff"], medians["parse"]),
        "vs_peer_by_round": [r["vs_peer"] for r in rounds],
        "vs_parse_by_round": [r["vs_parse"] for r in rounds],
        "problems": problems,
        "rounds": [
            {
                "order": r["order"],
                "handoff_msgs_per_s": r["handoff"],
                "handoff_wall_seconds": report["wall_seconds"],
                "handoff_peak_rss_mb_total": report["peak_rss_mb_total"],
                "handoff_stored": (report["import_summary"] or {}).get("stored"),
                "peer": r["peer_run"],
                "parse": r["parse_run"],
            }
            for r, report in zip(rounds, imports, strict=True)
        ],
        "handoff_first_round": first,
        "peer_venv": peer_venv_ok(env) | venv_before,
        "peer_bench": str(PEER_BENCH),
        "parse_python": sys.version.split()[0],
        "parse_variant": PARSE_VARIANT,
        "cpus": os.cpu_count(),
        "seed": seed,
        "tmp_dir": tempfile.gettempdir(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--sizes", help="comma-separated message counts, one run each (e.g. 1000,5000,20000)"
    )
    parser.add_argument("--jobs", type=int, help="passed to `handoff import --jobs`")
    parser.add_argument(
        "--peer",
        action="store_true",
        help="also run django-helpdesk (peer.sh) and bare parsing on the same files",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="with --peer: rounds of the three (default 3)"
    )
    args = parser.parse_args()
    if args.peer:

        def one(size: int) -> dict[str, Any]:
            return compare(size, args.database, args.seed, args.jobs, max(1, args.repeat))

    else:

        def one(size: int) -> dict[str, Any]:
            return run(size, args.database, args.seed, args.jobs)

    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
        runs = [one(size) for size in sizes]
        output: dict[str, Any] = {"database": args.database, "seed": args.seed, "runs": runs}
    else:
        output = one(args.messages)
    print(json.dumps(output))
    failed = [
        r for r in output.get("runs", [output]) if "import_exit_code" in r or r.get("problems")
    ]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
