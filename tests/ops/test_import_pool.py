"""An import's pool reads triage's features (language, the classifier's probabilities)
while it parses; the process that writes never loads the classifier, and the decisions
are the same as when one process does everything."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import mail

HANDOFF = [sys.executable, "-m", "handoff.cli"]
IMPORT_AND_TELL = """
import sys, django
django.setup()
from django.core.management import call_command
call_command("import", sys.argv[1], "--jobs", sys.argv[2], "--json")
print()
print(sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy")}))
"""
FIELDS = ("message_id", "lane", "category", "language", "confidence", "first_response_due")


def texts(folder: Path) -> None:
    samples = [
        ("Tarifs pour 40 postes", "Bonjour, combien coûte la licence pour 40 postes ?"),
        ("Export broken", "The PDF export crashes since this morning, error 500."),
        ("Factura duplicada", "Hola, nos han cobrado dos veces la factura de noviembre."),
        ("Newsletter", "Unsubscribe here. You receive this because you signed up."),
        ("Re: board deck", "Attached the Q4 board deck, comments welcome before Friday."),
    ]
    for n, (subject, body) in enumerate(samples * 4):
        (folder / f"{n:02}.eml").write_bytes(
            mail(f"p{n}@client{n % 5}.example", subject=subject, body=body,
                 sender=f"someone{n}@client{n % 5}.example")
        )  # fmt: skip


def run_import(env: dict[str, str], folder: Path, jobs: int) -> tuple[list[str], list[dict]]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_TELL, str(folder), str(jobs)],
        env={**env, "DJANGO_SETTINGS_MODULE": "handoff.settings"},
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    loaded = json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))
    exported = subprocess.run(
        [*HANDOFF, "export", "messages"], env=env, capture_output=True, text=True, check=True
    ).stdout
    rows = [json.loads(line) for line in exported.splitlines()]
    return loaded, sorted(({k: r[k] for k in FIELDS} for r in rows), key=lambda r: r["message_id"])


@pytest.mark.django_db
def test_the_pool_triages_as_one_process_does_and_the_writer_never_loads_sklearn(
    make_scratch_env, tmp_path: Path
) -> None:
    texts(tmp_path)
    alone, one = run_import(make_scratch_env(), tmp_path, 1)
    pooled, two = run_import(make_scratch_env(), tmp_path, 2)
    assert alone == ["scipy", "sklearn"]  # one process: it triages, so it loads the model
    assert pooled == []  # with a pool, the pool does
    for row in (*one, *two):
        row["first_response_due"] = bool(row["first_response_due"])  # times of each run
    assert one == two
