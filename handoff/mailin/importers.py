"""Read mail from files: .eml files, directories, Maildir folders and mbox files.

Everything streams: one message in memory at a time. What cannot be mail is
reported with its path and reason; when in doubt, a file is mail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from handoff.lib.rawmail import is_probably_not_mail
from handoff.mailin.store import Incoming

CHANNEL = "import"


@dataclass(frozen=True, slots=True)
class Rejected:
    path: str
    reason: str


def read(paths: list[str]) -> Iterator[Incoming | Rejected]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from _directory(path)
        elif path.exists():
            yield from _file(path)
        else:
            yield Rejected(name, "no such file or directory")


def _is_maildir_tmp(path: Path) -> bool:
    # Maildir writers put half-delivered mail in tmp/; it moves to new/ when whole.
    parent = path.parent
    return (
        parent.name == "tmp"
        and (parent.parent / "cur").is_dir()
        and (parent.parent / "new").is_dir()
    )


def _directory(root: Path) -> Iterator[Incoming | Rejected]:
    for folder, dirs, files in os.walk(root, onerror=None):
        dirs.sort()
        for file in sorted(files):
            path = Path(folder) / file
            if _is_maildir_tmp(path):
                continue
            if not path.is_file():
                yield Rejected(str(path), "not a regular file (broken link, socket or device)")
                continue
            yield from _file(path)


def _file(path: Path) -> Iterator[Incoming | Rejected]:
    try:
        with path.open("rb") as handle:
            start = handle.read(5)
            if start == b"From ":
                handle.seek(0)
                yield from _mbox(path, handle)
                return
            handle.seek(0)
            data = handle.read()
    except OSError as error:
        yield Rejected(str(path), f"cannot read: {error.strerror or error}")
        return
    reason = is_probably_not_mail(data)
    if reason:
        yield Rejected(str(path), reason)
    else:
        yield Incoming(data, CHANNEL, str(path))


def _mbox(path: Path, handle: BinaryIO) -> Iterator[Incoming | Rejected]:
    """Split an mbox at "From " lines that follow an empty line (or start the file)."""
    lines: list[bytes] = []
    count = 0
    previous_blank = True
    for line in handle:
        if line.startswith(b"From ") and previous_blank:
            if lines:
                count += 1
                yield _mbox_message(path, count, lines)
            lines = []
        else:
            lines.append(line)
        previous_blank = line in (b"\n", b"\r\n")
    if lines:
        count += 1
        yield _mbox_message(path, count, lines)
    if count == 0:
        yield Rejected(str(path), "mbox holds no message")


def _mbox_message(path: Path, number: int, lines: list[bytes]) -> Incoming:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the separator's blank line belongs to the mbox, not the message
    data = b"".join(line[1:] if line.startswith(b">From ") else line for line in lines)
    return Incoming(data, CHANNEL, f"{path}#{number}")
