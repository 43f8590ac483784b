"""The peer (django-helpdesk) and bare parsing on the same files as Handoff's import, in
rotated rounds, as ratios (``ingest.py --peer``; its docstring says how)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from importing import ROOT, generate_mail, measure_import  # bench/importing.py, next to this file


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
