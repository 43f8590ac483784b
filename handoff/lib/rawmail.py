"""Read raw mail before parsing, from its bytes alone: whether a file is mail at
all, where its header block ends, its Message-ID (derived when missing) and the
key that tells a re-delivery from a new message.  Also how Message-IDs are read
from a header's text, and the shape of the MIME structure (depth, parts, header
sizes), measured in linear time so that hostile mail is known before parsing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_MSGID = re.compile(r"<([^<>\s]+)>")
_LINE_END = re.compile(rb"\r\n|\n|\r")
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


def head_fields(head: bytes) -> dict[bytes, bytes]:
    """Each field's first occurrence (lower-case name), unfolded.

    Linear whatever the shape of ``head`` (a million folded lines, one 20 MB line):
    it also reads the header block of mail that the full parser gives up on.
    """
    fields: dict[bytes, list[bytes]] = {}
    name = b""
    for line in _LINE_END.split(head):
        if line[:1] in (b" ", b"\t") and name:
            fields[name].append(line.strip())  # a repeated field's folds go to the first
        elif b":" in line:
            key, _, value = line.partition(b":")
            name = key.strip().lower()
            fields.setdefault(name, [value.strip()])
    return {key: b" ".join(parts) for key, parts in fields.items()}


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
    fields = head_fields(head)
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


# ---------------------------------------------------------------- MIME shape

_START = rb"(?:\A|(?<=[\r\n]))"  # of a line, whatever the line endings
# The header lines from a position on, as the standard parser's headerRE reads them.
_HEAD_LINES = re.compile(rb"(?:(?:[\x21-\x39\x3b-\x7e]*:|From |[ \t])[^\r\n]*+(?:\r\n|\n|\r|\Z))*+")
_FIELD = re.compile(_START + rb"[^ \t\r\n]")
_TYPE = re.compile(_START + rb"content-type:", re.IGNORECASE)
_TYPE_READ = 4096  # bytes of a Content-Type field: its boundary comes early
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;]+))', re.IGNORECASE)
_LINE_END_OR_LAST = re.compile(rb"\r\n|\n|\r|\Z")


@dataclass(slots=True)
class Shape:
    """How deep, wide and heavy a message's MIME structure is, from its bytes alone."""

    depth: int = 0  # entities nested in one another (1: a single-part message)
    parts: int = 0  # entities: the message, its parts, attached messages and theirs
    fields: int = 0  # most fields in one header block
    longest_field: int = 0  # bytes of the longest field, folds included
    header_bytes: int = 0  # of all header blocks


def shape(raw: bytes, *, most_depth: int, most_parts: int) -> Shape:
    """Follow the boundaries as the standard parser does, without recursing, and stop as
    soon as ``most_depth`` or ``most_parts`` is passed. Regular expressions do the work
    on each line, so it costs a fraction of a parse, and never more than linear time."""
    return _Scan(raw, most_depth, most_parts).run()


class _Scan:
    def __init__(self, raw: bytes, most_depth: int, most_parts: int) -> None:
        self.raw = raw
        self.most_depth = most_depth
        self.most_parts = most_parts
        self.found = Shape()
        self.open: list[tuple[bytes, int, bool]] = []  # boundary, depth, digest; innermost last

    def over(self) -> bool:
        return self.found.depth > self.most_depth or self.found.parts > self.most_parts

    def run(self) -> Shape:
        position = self.entity(0, 1, b"text/plain")
        while self.open and not self.over():
            line = self.next_dashes(position)
            if line is None:
                break
            position = self.delimiter(*line)
        return self.found

    def next_dashes(self, position: int) -> tuple[bytes, int] | None:
        """The next line that starts with "--" (it may end a part: "--", a boundary of an
        open multipart, "--" if it closes it, maybe blanks): what follows the dashes, and
        where the line after it starts. One pass of ``bytes.find`` for every boundary: a
        regular expression anchored at line starts tried every position (a third of the
        scan), and one compiled per multipart cost more than the whole scan."""
        raw = self.raw
        at = raw.find(b"--", position)
        while at > 0 and raw[at - 1] not in b"\r\n":
            at = raw.find(b"--", at + 1)
        if at == -1:
            return None
        end = _LINE_END_OR_LAST.search(raw, at + 2)
        assert end is not None  # \Z always matches
        return raw[at + 2 : end.start()], end.end()

    def delimiter(self, line: bytes, position: int) -> int:
        """A line that starts with "--": if it is the boundary of an open multipart (the
        innermost it matches), that multipart gets a part or ends."""
        for index in range(len(self.open) - 1, -1, -1):
            boundary, depth, digest = self.open[index]
            rest = line[len(boundary) :].rstrip(b" \t") if line.startswith(boundary) else None
            if rest in (b"", b"--"):
                del self.open[index + (not rest) :]
                if not rest:
                    default = b"message/rfc822" if digest else b"text/plain"
                    return self.entity(position, depth + 1, default)
                break
        return position

    def entity(self, position: int, depth: int, default: bytes) -> int:
        """Read the header block at ``position``, and those of the messages it encloses;
        open its boundary if it is a multipart. Returns where its body starts."""
        while not self.over():
            self.found.parts += 1
            self.found.depth = max(self.found.depth, depth)
            position, content_type = self.head(position)
            kind = content_type.split(b";", 1)[0].strip().lower() or default
            if kind.startswith(b"multipart/"):
                if match := _BOUNDARY.search(content_type):
                    self.open.append((match[1] or match[2], depth, kind == b"multipart/digest"))
                return position
            if not kind.startswith(b"message/") or kind == b"message/delivery-status":
                return position
            depth, default = depth + 1, b"text/plain"  # an enclosed message: its head follows
        return position

    def head(self, position: int) -> tuple[int, bytes]:
        """Measure the header block at ``position``: where its body starts, its Content-Type."""
        raw, found = self.raw, self.found
        end = _HEAD_LINES.match(raw, position)
        end_of_fields = end.end() if end else position
        fields, previous = 0, position
        for field in _FIELD.finditer(raw, position, end_of_fields):
            fields += 1
            found.longest_field = max(found.longest_field, field.start() - previous)
            previous = field.start()
        found.longest_field = max(found.longest_field, end_of_fields - previous)
        found.fields = max(found.fields, fields)
        blank = _LINE_END.match(raw, end_of_fields)  # the empty line that ends the block
        body = blank.end() if blank else end_of_fields  # or the first line that is not a field
        found.header_bytes += body - position
        content_type = _TYPE.search(raw, position, end_of_fields)
        if content_type is None:
            return body, b""
        after = _FIELD.search(raw, content_type.end(), end_of_fields)
        value_end = after.start() if after else end_of_fields
        return body, raw[content_type.end() : min(value_end, content_type.end() + _TYPE_READ)]
