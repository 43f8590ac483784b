"""Read raw mail before parsing, from its bytes alone: whether a file is mail at
all, where its header block ends, its Message-ID (derived when missing) and the
key that tells a re-delivery from a new message.  Also how Message-IDs are read
from a header's text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_KNOWN_HEADERS = re.compile(
    rb"^(from|to|cc|subject|date|message-id|received|return-path|mime-version|"
    rb"content-type|delivered-to|x-[\w-]+|reply-to|sender|references|in-reply-to):",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the raw store needs before parsing: cheap, from the header block only."""

    message_id: str  # without angle brackets; derived from the content when missing
    derived_id: bool
    content_hash: str  # identifies "the same message": Message-ID and body
    looks_like_mail: bool


def split_head(raw: bytes) -> tuple[bytes, bytes]:
    """Split at the first empty line, whatever the line endings."""
    match = re.search(rb"\r\n\r\n|\n\n|\r\r", raw)
    if match is None:
        return raw, b""
    return raw[: match.start()], raw[match.end() :]


def _head_fields(head: bytes) -> dict[bytes, bytes]:
    fields: dict[bytes, bytes] = {}
    name = b""
    for line in re.split(rb"\r\n|\n|\r", head):
        if line[:1] in (b" ", b"\t") and name:
            fields[name] += b" " + line.strip()
        elif b":" in line:
            key, _, value = line.partition(b":")
            name = key.strip().lower()
            fields.setdefault(name, value.strip())
    return fields


def is_probably_not_mail(raw: bytes) -> str | None:
    """The reason a file is certainly not mail, or None when it may be."""
    if not raw.strip():
        return "empty file"
    start = raw.lstrip()[:4096]
    if b"\x00" in start and not _KNOWN_HEADERS.search(start):
        return "binary file, not mail"
    first = start.split(b"\n", 1)[0]
    if not (_HEADER_LINE.match(first) or first.startswith(b"From ")):
        return "does not start with a mail header"
    return None


def envelope(raw: bytes) -> Envelope:
    head, body = split_head(raw)
    fields = _head_fields(head)
    ids = _MSGID.findall(fields.get(b"message-id", b"").decode("ascii", "replace"))
    looks_like_mail = _KNOWN_HEADERS.search(head) is not None
    body_hash = hashlib.sha256(body).hexdigest()
    if ids:
        message_id, derived = ids[0], False
    else:
        # Stable across re-deliveries: what the sender wrote, not the relays' headers.
        seed = b"\0".join(fields.get(k, b"") for k in (b"from", b"date", b"subject", b"to"))
        digest = hashlib.sha256(seed + b"\0" + body_hash.encode()).hexdigest()[:40]
        message_id, derived = f"{digest}@derived.handoff.invalid", True
    content_hash = hashlib.sha256(f"{message_id}\0{body_hash}".encode()).hexdigest()
    return Envelope(message_id, derived, content_hash, looks_like_mail)


def message_ids(value: str) -> list[str]:
    ids = _MSGID.findall(value)
    if not ids and value.strip() and " " not in value.strip():
        ids = [value.strip()]  # some clients omit the angle brackets
    return list(dict.fromkeys(ids))
