"""Noise recognition against labelled real mail: sisimai bounces, auto-replies and
feedback reports, SpamAssassin ham and spam, and the public founder mailbox.

    .venv/bin/python bench/noise.py

Prints one JSON object; "person" stands for the verdict kind "" (a person wrote it).
`team_flagged_autoreply_or_bounce` must be 0: a customer whose mail is taken for a
robot's never gets an answer.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoff.lib import mime, noise, rawmail  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
FOUNDER = ROOT.parent / "shared" / "bench" / "founder-mailbox" / "public"
# sisimai's label (from its file names) -> the verdict kind that means "recognised".
EXPECTED = {"bounce": "bounce", "auto_reply": "autoreply", "feedback_report": "feedback"}


SPENT = [0.0]  # seconds in recognise() alone, parsing excluded


def verdict(path: Path) -> noise.Verdict:
    raw = path.read_bytes()
    parsed = mime.parse(raw, rawmail.envelope(raw).message_id)
    started = time.perf_counter()
    result = noise.recognise(raw, parsed)
    SPENT[0] += time.perf_counter() - started
    return result


def rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def noise_labels() -> tuple[dict[str, object], int]:
    confusion: dict[str, dict[str, Counter[str]]] = {"sisimai": {}, "spamassassin": {}}
    with_ids = bounces = count = 0
    for row in csv.DictReader((CORPORA / "derived" / "noise_labels.csv").open()):
        result = verdict(CORPORA / row["path"])
        count += 1
        part = "sisimai" if row["path"].startswith("sisimai") else "spamassassin"
        confusion[part].setdefault(row["label"], Counter())[result.kind or "person"] += 1
        if part == "sisimai" and result.kind == "bounce":
            bounces += 1
            with_ids += bool(result.bounced_ids)
    sisimai = confusion["sisimai"]
    figures: dict[str, object] = {}
    for label, kind in EXPECTED.items():
        support = sum(sisimai.get(label, Counter()).values())
        hits = sisimai.get(label, Counter())[kind]
        predicted = sum(c[kind] for c in sisimai.values())
        figures[label] = {
            "support": support,
            "recall": rate(hits, support),
            "precision": rate(hits, predicted),
            "noise_at_all": rate(support - sisimai.get(label, Counter())["person"], support),
        }
    everywhere = sum(c["bounce"] for part in confusion.values() for c in part.values())
    figures["bounce_precision_all_labelled"] = rate(sisimai["bounce"]["bounce"], everywhere)
    figures["bounces_with_bounced_ids"] = rate(with_ids, bounces)
    figures["confusion"] = {
        part: {label: dict(sorted(c.items())) for label, c in sorted(table.items())}
        for part, table in confusion.items()
    }
    return figures, count


def founder_mailbox() -> tuple[dict[str, object], int]:
    per_lane: dict[str, Counter[str]] = {}
    per_category: dict[str, Counter[str]] = {}
    count = 0
    for row in csv.DictReader((FOUNDER / "labels.csv").open()):
        kind = verdict(FOUNDER / "msgs" / row["file"]).kind or "person"
        per_lane.setdefault(row["lane"], Counter())[kind] += 1
        per_category.setdefault(f"{row['lane']}/{row['category']}", Counter())[kind] += 1
        count += 1
    team = per_lane.get("team", Counter())
    noise_lane = per_lane.get("noise", Counter())
    return {
        "per_lane": {lane: dict(sorted(c.items())) for lane, c in sorted(per_lane.items())},
        "per_category": {k: dict(sorted(c.items())) for k, c in sorted(per_category.items())},
        "noise_lane_recognised": rate(
            sum(noise_lane.values()) - noise_lane["person"], sum(noise_lane.values())
        ),
        "team_flagged_any": sum(team.values()) - team["person"],
        "team_flagged_autoreply_or_bounce": team["autoreply"] + team["bounce"],
    }, count


def main() -> None:
    started = time.perf_counter()
    labels, first = noise_labels()
    mailbox, second = founder_mailbox()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "noise_labels": labels,
                "founder_mailbox": mailbox,
                "messages": first + second,
                "seconds_parse_and_recognise": round(seconds, 2),
                "recognise_microseconds_per_message": round(SPENT[0] / (first + second) * 1e6, 1),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
