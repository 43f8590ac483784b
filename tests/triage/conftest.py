from __future__ import annotations

import csv
import os
import zlib
from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest

from handoff.tickets.models import Message
from tests.conftest import CORPORA, need
from tests.helpers import deliver, mail


def _find_mailbox() -> Path:
    """../shared/bench/founder-mailbox/public next to the checkout, or above it."""
    if os.environ.get("FOUNDER_MAILBOX"):
        return Path(os.environ["FOUNDER_MAILBOX"])
    root = Path(__file__).resolve().parents[2]
    for folder in [root, *root.parents]:
        candidate = folder / "shared" / "bench" / "founder-mailbox" / "public"
        if candidate.is_dir():
            return candidate
    # Beside the corpora, wherever CORPORA_DIR put them.
    return CORPORA.parent / "bench" / "founder-mailbox" / "public"


MAILBOX = _find_mailbox()


@pytest.fixture
def founder_mailbox() -> Path:
    need((MAILBOX / "labels.csv").is_file(), f"founder mailbox not found at {MAILBOX}")
    return MAILBOX


@pytest.fixture
def labelled_subset(founder_mailbox: Path, tmp_path: Path) -> Callable[[str, int], Path]:
    """A folder of N messages per lane of the public mailbox, with its labels.csv."""

    def make(name: str, per_lane: int, skip: int = 0) -> Path:
        with (founder_mailbox / "labels.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        chosen = []
        for lane in ("founder", "team", "noise"):
            chosen += [r for r in rows if r["lane"] == lane][skip : skip + per_lane]
        folder = tmp_path / name
        (folder / "msgs").mkdir(parents=True)
        for row in chosen:
            (folder / "msgs" / row["file"]).write_bytes(
                (founder_mailbox / "msgs" / row["file"]).read_bytes()
            )
        with (folder / "labels.csv").open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(chosen)
        return folder

    return make


_serial = count()


def customer_mail(
    body: str, *, subject: str = "Hello", sender: str = "", message_id: str = ""
) -> bytes:
    number = next(_serial)
    return mail(
        message_id or f"m{number}@client.example",
        subject=subject,
        sender=sender or f"person{number}@client.example",
        body=body,
    )


@pytest.fixture
def labelled_desk(db: None) -> Callable[[int], list[Message]]:
    """Messages of a desk whose customers write about made-up things the starter set never
    saw: "zorblax" is feedback here, "quuxinator" billing. Enough of them are held back."""

    def make(per_category: int) -> list[Message]:
        raws = []
        fillers = ["please", "thanks", "today", "again", "team", "soon", "update", "week"]
        for word in ("zorblax", "quuxinator"):
            for i in range(per_category):
                filler = " ".join(fillers[(i + j) % len(fillers)] for j in range(3))
                raws.append(
                    customer_mail(
                        f"The {word} {filler} {word}.",
                        subject=f"{word} {i}",
                        message_id=f"{word}-{i}@client.example",  # the same held back every run
                    )
                )
        return deliver(*raws)

    return make


def is_held_back(message: Message) -> bool:
    return zlib.crc32(message.message_id.encode()) % 10 == 0
