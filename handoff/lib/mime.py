"""Parse raw mail into a typed, display-ready structure without ever losing it.

The standard library parses (``policy.default``); everything it may raise on
real mail (unknown charsets, multiparts without a boundary, broken headers) is
caught per header and per part, replaced by a best effort, and recorded as a
warning, so one bad part never costs the rest of the message.

Hostile structures (MIME parts nested thousands deep, megabyte header fields) cost
the standard library unbounded stack or time: they are measured from the bytes
first (:func:`handoff.lib.rawmail.shape`), and mail beyond the limits below, or
that breaks the parser all the same, is read from its header block alone.

The cheap read of the header block alone (Message-ID, dedupe key), done before
parsing, is in :mod:`handoff.lib.rawmail`; the defensive readers of one header
or one part are in :mod:`handoff.lib.decoding`.
"""

from __future__ import annotations

import email.utils
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesParser
from functools import lru_cache
from typing import Any

from handoff.lib import decoding
from handoff.lib.htmltext import html_to_text
from handoff.lib.rawmail import head_fields, message_ids, shape, split_head

# Headers the later stages (noise recognition, routing) read; kept verbatim.
KEPT_HEADERS = (
    "authentication-results",
    "auto-submitted",
    "precedence",
    "list-id",
    "list-unsubscribe",
    "return-path",
    "x-auto-response-suppress",
    "x-autoreply",
    "x-autorespond",
    "x-failed-recipients",
    "content-type",
    "reply-to",
    "delivered-to",
    "x-original-to",
)

# Limits of what the full parse reads, far above real mail (the corpora's 6,500 messages:
# 6 levels, 22 parts, 126 fields in a block, a 14 KB field, 26 KB of headers). Beyond
# them only the header block is read. The parser recurses once or twice per level (it
# fails near 300); a header field costs it 5 to 20 µs a byte each time it is read.
MOST_DEPTH = 100
MOST_PARTS = 1_000
MOST_FIELDS = 1_000  # in one header block
LONGEST_FIELD = 32_768  # bytes, folds included
MOST_HEADER_BYTES = 262_144  # of all header blocks together
FALLBACK_HEAD, FALLBACK_FIELD = 1_048_576, 4_096  # bytes read when only the head is read
_HEAD_ONLY = "body not read; the raw bytes are kept"

# What the later stages need, read from the header block alone when the rest is not.
_HEAD_NAMES = ("from", "sender", "to", "cc", "subject", "date", "in-reply-to", "references")
_HEAD_FIELDS = tuple(name.encode() for name in (*_HEAD_NAMES, *KEPT_HEADERS))

_REGISTRY = HeaderRegistry()
_SHARED_LENGTH = 200


@lru_cache(maxsize=32)
def _header(name: str, value: str) -> BaseHeader:
    return HeaderRegistry.__call__(_REGISTRY, name, value)


@lru_cache(maxsize=4)
def _long_header(name: str, value: str) -> BaseHeader:
    return HeaderRegistry.__call__(_REGISTRY, name, value)


@lru_cache(maxsize=1024)
def _header_class(name: str) -> type[BaseHeader]:
    return HeaderRegistry.__getitem__(_REGISTRY, name)


class _Headers(HeaderRegistry):
    """The standard header registry, remembering the last headers it parsed.

    The standard library parses a header anew each time it is read (a part's
    Content-Type several times while parsing it) and makes a new class for it
    each time: that was two thirds of the time spent reading a message. A parsed
    header is immutable, so the last few are shared: those of the message being
    read, and the Content-Type and MIME-Version lines that every message repeats.
    Measured on bench/ingest.py's messages: reading 2x faster, 4 MB more memory
    (4,096 kept headers read 3x faster but held 55 MB), results identical on the
    corpora's 8,598 files.
    """

    def __call__(self, name: str, value: str) -> BaseHeader:
        if len(value) > _SHARED_LENGTH:
            # A long value is unique (References) and costly to keep, so kept only while its
            # message is read (parse() clears them): a Content-Type of 7,000 ";" in a real
            # spam is read 8 times and took 2 s.
            return _long_header(name, value)
        return _header(name, value)

    def __getitem__(self, name: str) -> type[BaseHeader]:
        return _header_class(name)


_PARSER = BytesParser(policy=policy.default.clone(header_factory=_Headers()))


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    filename: str
    content_type: str
    size: int
    content_id: str
    inline: bool
    part: int  # index of the part in ``walk()`` order, to extract it again from the raw bytes


@dataclass(slots=True)
class ParsedMessage:
    message_id: str
    subject: str = ""
    date: datetime | None = None
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    reply_to: list[Address] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[AttachmentInfo] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- parsing


def parse(raw: bytes, message_id: str) -> ParsedMessage:
    """Parse ``raw``. Never raises: problems become ``warnings``, and mail beyond the limits,
    or that the parser cannot read, is read from its header block alone (and flagged)."""
    try:
        if problem := _beyond_limits(raw):
            return _from_head(raw, message_id, f"{problem}: {_HEAD_ONLY}")
        return _parse(raw, message_id)
    except (RecursionError, MemoryError) as error:  # the limits missed a pathological shape
        problem = f"MIME structure too deep or too large to read ({type(error).__name__})"
    except Exception as error:  # noqa: BLE001 - the email package's own bugs, on hostile mail
        problem = f"unreadable MIME structure ({type(error).__name__}: {str(error)[:200]})"
    finally:
        _long_header.cache_clear()
    return _from_head(raw, message_id, f"{problem}: {_HEAD_ONLY}")


def _beyond_limits(raw: bytes) -> str:
    found = shape(raw, most_depth=MOST_DEPTH, most_parts=MOST_PARTS)
    if found.depth > MOST_DEPTH:
        return f"MIME structure nested more than {MOST_DEPTH} levels deep"
    if found.parts > MOST_PARTS:
        return f"more than {MOST_PARTS:,} MIME parts"
    if found.fields > MOST_FIELDS:
        return f"{found.fields:,} fields in one header block (limit {MOST_FIELDS:,})"
    if found.longest_field > LONGEST_FIELD:
        return f"a header field of {found.longest_field:,} bytes (limit {LONGEST_FIELD:,})"
    if found.header_bytes > MOST_HEADER_BYTES:
        return f"{found.header_bytes:,} bytes of headers (limit {MOST_HEADER_BYTES:,})"
    return ""


def _parse(raw: bytes, message_id: str) -> ParsedMessage:
    parsed = ParsedMessage(message_id=message_id)
    message = _PARSER.parsebytes(raw)
    parsed.warnings.extend(_defects(message))
    _read_head(message, parsed)
    _walk(message, parsed)
    if not parsed.text and parsed.html:
        parsed.text = html_to_text(parsed.html)
    return _without_nul(parsed)


def _from_head(raw: bytes, message_id: str, problem: str) -> ParsedMessage:
    """The fields the pipeline needs, from the first ``FALLBACK_HEAD`` bytes and each cut at
    ``FALLBACK_FIELD``, parsed as a message of their own: bounded work, whatever ``raw``."""
    parsed = ParsedMessage(message_id=message_id, warnings=[problem])
    fields = head_fields(split_head(raw[:FALLBACK_HEAD])[0])
    head = b"".join(
        b"%s: %s\r\n" % (name, fields[name][:FALLBACK_FIELD])
        for name in _HEAD_FIELDS
        if name in fields
    )
    try:
        _read_head(_PARSER.parsebytes(head + b"\r\n"), parsed)
    except Exception as error:  # noqa: BLE001 - the last resort must not raise either
        parsed.warnings.append(f"header block unreadable ({type(error).__name__})")
    finally:
        _long_header.cache_clear()
    return _without_nul(parsed)


def _read_head(message: Message, parsed: ParsedMessage) -> None:
    parsed.subject = " ".join(decoding.header(message, "subject", parsed.warnings).split())
    parsed.date = decoding.date(message, parsed.warnings)
    senders = _addresses(message, "from", parsed.warnings) or _addresses(
        message, "sender", parsed.warnings
    )
    parsed.sender = senders[0] if senders else None
    parsed.to = _addresses(message, "to", parsed.warnings)
    parsed.cc = _addresses(message, "cc", parsed.warnings)
    parsed.reply_to = _addresses(message, "reply-to", parsed.warnings)
    parsed.in_reply_to = message_ids(decoding.header(message, "in-reply-to", parsed.warnings))
    parsed.references = message_ids(decoding.header(message, "references", parsed.warnings))
    for name in KEPT_HEADERS:
        value = decoding.header(message, name, parsed.warnings)
        if value:
            parsed.headers[name] = value
    if parsed.reply_to:
        # Where answers go, as parsed: its display text would have to be parsed again.
        parsed.headers["reply-to"] = ", ".join(a.email for a in parsed.reply_to)


def _without_nul(parsed: ParsedMessage) -> ParsedMessage:
    """NUL characters (binary junk in a text part) cannot be stored as text: mark them."""
    found = False

    def clean(value: Any) -> Any:
        nonlocal found
        if isinstance(value, str):
            if "\x00" in value:
                found = True
                return value.replace("\x00", "\ufffd")
            return value
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if isinstance(value, (Address, AttachmentInfo)):
            return replace(value, **{f.name: clean(getattr(value, f.name)) for f in fields(value)})
        return value

    for item in fields(parsed):
        setattr(parsed, item.name, clean(getattr(parsed, item.name)))
    if found:
        parsed.warnings.append("NUL characters replaced by U+FFFD")
    return parsed


def _defects(part: Message) -> list[str]:
    return [f"{type(d).__name__}: {d}" for d in part.defects]


def _addresses(message: Message, name: str, warnings: list[str]) -> list[Address]:
    if decoding.raw_header(message, name) is None:
        return []
    try:
        header: Any = message[name]
        found = [
            Address(decoding.clean(a.display_name), decoding.clean(a.addr_spec))
            for group in header.groups
            for a in group.addresses
            if a.addr_spec and "@" in a.addr_spec
        ]
        if found:
            return found
    except (LookupError, IndexError, ValueError, TypeError, AttributeError) as error:
        warnings.append(f"header {name}: {type(error).__name__}: {error}")
    # Split the field as written, then decode each name: a display name whose encoded
    # words hide a line break or an address ("=?utf-8?q?=0D=0ABcc=3A_x=40evil?=") stays a
    # name, never becomes the address.
    pairs = email.utils.getaddresses([decoding.raw_header(message, name) or ""])
    return [Address(decoding.recover(n), decoding.clean(a)) for n, a in pairs if "@" in a]


def _walk(message: Message, parsed: ParsedMessage) -> None:
    texts: list[str] = []
    htmls: list[str] = []
    try:
        parts = list(message.walk())
    except (LookupError, ValueError, TypeError, IndexError, AttributeError) as error:
        parsed.warnings.append(f"MIME structure: {type(error).__name__}: {error}")
        parts = [message]
    attached: set[int] = set()
    for index, part in enumerate(parts):
        if id(part) in attached:
            continue
        try:
            content_type = part.get_content_type()
        except (LookupError, ValueError, TypeError, IndexError, AttributeError):
            content_type = "application/octet-stream"
        if content_type.startswith("multipart/") and not part.is_multipart():
            # No boundary: the parser could not split it; its body is all we have.
            parsed.warnings.append(f"{content_type} without parts: read as text")
            texts.append(decoding.text(part, parsed.warnings))
            continue
        if content_type == "message/rfc822" or content_type.startswith("multipart/"):
            if content_type == "message/rfc822" and part is not message:
                _attach(part, index, content_type, parsed, whole=True)
                attached.update(id(p) for p in part.walk() if p is not part)
            else:
                parsed.warnings.extend(_defects(part) if part is not message else [])
            continue
        if part is not message:
            parsed.warnings.extend(_defects(part))
        disposition = decoding.param(part, "get_content_disposition")
        filename = decoding.param(part, "get_filename")
        is_body_text = content_type in {"text/plain", "text/html"} and (
            disposition != "attachment" and not filename
        )
        if is_body_text:
            (texts if content_type == "text/plain" else htmls).append(
                decoding.text(part, parsed.warnings)
            )
        else:
            _attach(part, index, content_type, parsed, whole=False)
    parsed.text = "\n".join(t.strip("\n") for t in texts if t.strip())
    parsed.html = "\n".join(htmls)


def _attach(
    part: Message, index: int, content_type: str, parsed: ParsedMessage, *, whole: bool
) -> None:
    if whole:
        data = part.as_bytes() if isinstance(part, EmailMessage) else b""
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            try:
                data = payload[0].as_bytes()
            except (LookupError, ValueError, TypeError, IndexError, AttributeError, UnicodeError):
                data = b""
        size = len(data)
    else:
        size = len(decoding.payload(part, parsed.warnings))
    filename = decoding.param(part, "get_filename") or _default_name(content_type, index)
    content_id = (
        (part.get("content-id") or "").strip().strip("<>")
        if decoding.raw_header(part, "content-id")
        else ""
    )
    disposition = decoding.param(part, "get_content_disposition")
    parsed.attachments.append(
        AttachmentInfo(
            filename=filename,
            content_type=content_type,
            size=size,
            content_id=decoding.clean(str(content_id)),
            inline=disposition == "inline" or (bool(content_id) and disposition != "attachment"),
            part=index,
        )
    )


def _default_name(content_type: str, index: int) -> str:
    extension = {
        "message/rfc822": "eml",
        "message/delivery-status": "txt",
        "text/plain": "txt",
        "text/html": "html",
        "message/feedback-report": "txt",
        "text/rfc822-headers": "txt",
    }.get(content_type, content_type.rsplit("/", 1)[-1][:10] or "bin")
    return f"part-{index}.{extension}"


def extract_part(raw: bytes, index: int) -> bytes:
    """The decoded bytes of part ``index`` (as numbered by :func:`parse`)."""
    found = extract_parts(raw, [index])
    if index not in found:
        raise LookupError(f"no part {index}")
    return found[index]


def extract_parts(raw: bytes, indexes: Iterable[int]) -> dict[int, bytes]:
    """The decoded bytes of the parts ``indexes`` that exist, parsing ``raw`` once."""
    wanted = set(indexes)
    found: dict[int, bytes] = {}
    for position, part in enumerate(_PARSER.parsebytes(raw).walk()):
        if position not in wanted:
            continue
        payload = part.get_payload() if part.get_content_type() == "message/rfc822" else None
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            found[position] = bytes(payload[0].as_bytes())  # an attached message, whole
        else:
            found[position] = decoding.payload(part, [])
    return found
