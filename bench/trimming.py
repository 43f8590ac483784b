"""Quote folding against the email_reply_trimmer fixtures.

    .venv/bin/python bench/trimming.py

For every ../shared/corpora/email_reply_trimmer/test/emails/X.txt that has a
trimmed/X.txt, compares fold(email).visible.strip() with the trimmed text
stripped, and times fold().  Prints one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so it also runs without the editable install

from handoff.lib.quotes import fold  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "corpora" / "email_reply_trimmer" / "test"
REPEAT = 50


def read(path: Path) -> str:
    # Bytes, not text mode: text mode would already turn CRLF into LF.
    return path.read_bytes().decode("utf-8", "replace")


def main() -> None:
    names = sorted(
        p.name
        for p in (FIXTURES / "emails").glob("*.txt")
        if (FIXTURES / "trimmed" / p.name).exists()
    )
    failures, timings = [], []
    for name in names:
        email = read(FIXTURES / "emails" / name)
        expected = read(FIXTURES / "trimmed" / name).replace("\r\n", "\n").strip()
        if fold(email).visible.strip() != expected:
            failures.append(name)
        runs = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            fold(email)
            runs.append(time.perf_counter() - start)
        timings.append(statistics.median(runs) * 1000)
    exact = len(names) - len(failures)
    print(
        json.dumps(
            {
                "fixtures": len(names),
                "exact_match": exact,
                "exact_match_rate": round(exact / len(names), 4) if names else 0.0,
                "per_fixture_ms_p50": round(statistics.median(timings), 4) if timings else 0.0,
                "per_fixture_ms_max": round(max(timings), 4) if timings else 0.0,
                "failures": failures,
            }
        )
    )


if __name__ == "__main__":
    main()
