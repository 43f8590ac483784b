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
import json
import sys
from typing import Any

from importing import run  # bench/importing.py, next to this file
from peer import compare


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
