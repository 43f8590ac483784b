"""Threading against the ground truth: pairwise precision and recall, file order and shuffled.

    .venv/bin/python bench/threads.py [--seed N]

Imports the ham folders of ../shared/corpora/spamassassin into a throwaway
SQLite database through `handoff import`, then compares the conversations of
the messages named in derived/spamassassin_ham_threads.jsonl with the truth.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
HAM = ("easy_ham", "easy_ham_2", "hard_ham")


def truth() -> dict[str, str]:
    thread_of = {}
    for line in (CORPORA / "derived" / "spamassassin_ham_threads.jsonl").open():
        thread = json.loads(line)
        for name in thread["messages"]:
            thread_of[name] = thread["thread"]
    return thread_of


def pairwise(thread_of: dict[str, str], predicted: dict[str, int]) -> dict[str, float]:
    names = sorted(thread_of)
    true_pairs = {p for p in combinations(names, 2) if thread_of[p[0]] == thread_of[p[1]]}
    found_pairs = {
        p
        for p in combinations(names, 2)
        if p[0] in predicted and predicted.get(p[0]) == predicted.get(p[1])
    }
    hits = len(true_pairs & found_pairs)
    return {
        "precision": round(hits / len(found_pairs), 4) if found_pairs else 1.0,
        "recall": round(hits / len(true_pairs), 4) if true_pairs else 1.0,
        "true_pairs": len(true_pairs),
        "found_pairs": len(found_pairs),
    }


def links_not_in_headers() -> int:
    """Truth parent links the child's own headers do not name.

    The truth was built before the held-out part of the corpus was removed; where
    a removed message sat between two that remain, the truth links the child to
    its grandparent, which nothing in the remaining mail names.
    """
    sys.path.insert(0, str(ROOT))
    from handoff.lib.mime import parse
    from handoff.lib.rawmail import envelope

    missing = 0
    for line in (CORPORA / "derived" / "spamassassin_ham_threads.jsonl").open():
        for child, parent in json.loads(line)["parent"].items():
            if parent is None:
                continue
            raw = (CORPORA / child).read_bytes()
            parsed = parse(raw, envelope(raw).message_id)
            parent_id = envelope((CORPORA / parent).read_bytes()).message_id
            missing += parent_id not in {*parsed.in_reply_to, *parsed.references}
    return missing


def run(order: str, seed: int) -> dict[str, object]:
    folders = [CORPORA / "spamassassin" / folder for folder in HAM]
    files = sorted(str(p) for folder in folders for p in folder.iterdir())
    files = [f for f in files if not f.endswith("/cmds")]
    if order == "shuffled":
        random.Random(seed).shuffle(files)
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "HANDOFF_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        handoff = [sys.executable, "-m", "handoff.cli"]
        subprocess.run([*handoff, "migrate", "-v0"], env=env, check=True)
        summary = subprocess.run(
            [*handoff, "import", "--json", *files], env=env, check=True, capture_output=True
        ).stdout
        rows = subprocess.run(
            [
                *handoff,
                "shell",
                "--no-imports",
                "-c",
                "import json\nfrom handoff.tickets.models import Message\n"
                "print(json.dumps(list(Message.objects.values_list('raw__source', 'conversation_id'))))",
            ],
            env=env,
            check=True,
            capture_output=True,
        ).stdout
    prefix = str(CORPORA) + "/"
    predicted = {}
    for source, conversation in json.loads(rows):
        predicted[source.split("#")[0].removeprefix(prefix)] = conversation
    return {"order": order, **pairwise(truth(), predicted), "import": json.loads(summary)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(
        json.dumps(
            {
                "file_order": run("file", args.seed),
                "shuffled": run("shuffled", args.seed),
                "truth_links_not_named_in_headers": links_not_in_headers(),
            }
        )
    )


if __name__ == "__main__":
    main()
