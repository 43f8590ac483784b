"""Parse raw mail into a typed, display-ready structure without ever losing it.

The standard library parses (``policy.default``); everything it may raise on
real mail (unknown charsets, multiparts without a boundary, broken headers) is
caught per header and per part, replaced by a best effort, and recorded as a
warning, so one bad part never costs the rest of the message.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import Any

from handoff.lib.htmltext import html_to_text

# Headers the later stages (noise recognition, routing) read; kept verbatim.
KEPT_HEADERS = (
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

_PARSER = BytesParser(policy=policy.default)
_MSGID = re.compile(r"<([^<>\s]+)>")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")
_KNOWN_HEADERS = re.compile(
    rb"^(from|to|cc|subject|date|message-id|received|return-path|mime-version|"
    rb"content-type|delivered-to|x-[\w-]+|reply-to|sender|references|in-reply-to):",
    re.IGNORECASE | re.MULTILINE,
)
_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")


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


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the raw store needs before parsing: cheap, from the header block only."""

    message_id: str  # without angle brackets; derived from the content when missing
    derived_id: bool
    content_hash: str  # identifies "the same message": Message-ID and body
    looks_like_mail: bool


# ---------------------------------------------------------------- raw scan


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


# ---------------------------------------------------------------- parsing


def parse(raw: bytes, message_id: str) -> ParsedMessage:
    """Parse ``raw``. Never raises on bad mail: problems become ``warnings``."""
    parsed = ParsedMessage(message_id=message_id)
    message = _PARSER.parsebytes(raw)
    parsed.warnings.extend(_defects(message))
    parsed.subject = " ".join(_header(message, "subject", parsed.warnings).split())
    parsed.date = _date(message, parsed.warnings)
    senders = _addresses(message, "from", parsed.warnings) or _addresses(
        message, "sender", parsed.warnings
    )
    parsed.sender = senders[0] if senders else None
    parsed.to = _addresses(message, "to", parsed.warnings)
    parsed.cc = _addresses(message, "cc", parsed.warnings)
    parsed.reply_to = _addresses(message, "reply-to", parsed.warnings)
    parsed.in_reply_to = message_ids(_header(message, "in-reply-to", parsed.warnings))
    parsed.references = message_ids(_header(message, "references", parsed.warnings))
    for name in KEPT_HEADERS:
        value = _header(message, name, parsed.warnings)
        if value:
            parsed.headers[name] = value
    _walk(message, parsed)
    if not parsed.text and parsed.html:
        parsed.text = html_to_text(parsed.html)
    return _without_nul(parsed)


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


def message_ids(value: str) -> list[str]:
    ids = _MSGID.findall(value)
    if not ids and value.strip() and " " not in value.strip():
        ids = [value.strip()]  # some clients omit the angle brackets
    return list(dict.fromkeys(ids))


def _defects(part: Message) -> list[str]:
    return [f"{type(d).__name__}: {d}" for d in part.defects]


def _raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def _recover(value: str) -> str:
    """Decode RFC 2047 words and raw 8-bit bytes (kept as surrogates by the parser)."""
    # On failure keep the undecoded words: better than nothing; the caller records a warning.
    with contextlib.suppress(LookupError, UnicodeError, ValueError, AssertionError):
        value = str(make_header(decode_header(value)))
    data = value.encode("utf-8", "surrogateescape")
    return _decode_bytes(data, None, [])[0]


def _clean(text: str) -> str:
    """Text safe to store: raw 8-bit bytes the parser kept as surrogates are decoded."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return _decode_bytes(text.encode("utf-8", "surrogateescape"), None, [])[0]


def _header(message: Message, name: str, warnings: list[str]) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    try:
        value = message[name]
        text = str(value) if value is not None else ""
    except (LookupError, IndexError, ValueError, TypeError, AttributeError) as error:
        warnings.append(f"header {name}: {type(error).__name__}: {error}")
        return _recover(raw)
    if any("\udc80" <= ch <= "\udcff" for ch in text) or "=?" in text:
        # 8-bit bytes in a header, or encoded words the header parser gave up on.
        warnings.append(f"header {name}: undecodable bytes recovered")
        return _recover(raw)
    return text


def _addresses(message: Message, name: str, warnings: list[str]) -> list[Address]:
    if _raw_header(message, name) is None:
        return []
    try:
        header: Any = message[name]
        found = [
            Address(_clean(a.display_name), _clean(a.addr_spec))
            for group in header.groups
            for a in group.addresses
            if a.addr_spec and "@" in a.addr_spec
        ]
        if found:
            return found
    except (LookupError, IndexError, ValueError, TypeError, AttributeError) as error:
        warnings.append(f"header {name}: {type(error).__name__}: {error}")
    pairs = email.utils.getaddresses([_recover(_raw_header(message, name) or "")])
    return [Address(_clean(n), _clean(a)) for n, a in pairs if "@" in a]


def _date(message: Message, warnings: list[str]) -> datetime | None:
    raw = _raw_header(message, "date")
    if raw is None:
        return None
    try:
        header: Any = message["date"]
        value: datetime | None = header.datetime
    except (LookupError, IndexError, ValueError, TypeError, AttributeError, OverflowError):
        value = None
    if value is None:
        warnings.append(f"header date: cannot read {raw.strip()[:60]!r}")
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    offset = value.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        warnings.append(f"header date: impossible time zone offset {offset}")
    try:
        # Stored in UTC: databases refuse offsets that senders' clocks happily write.
        value = value.astimezone(UTC)
    except OverflowError:
        warnings.append(f"header date: out of range {raw.strip()[:60]!r}")
        return None
    if not 1970 <= value.year <= 2200:
        warnings.append(f"header date: implausible year {value.year}")
        return None
    return value


def _decode_bytes(data: bytes, charset: str | None, warnings: list[str]) -> tuple[str, str]:
    """Decode with the declared charset, falling back when it is unknown or lies."""
    if charset:
        try:
            return data.decode(charset), charset
        except LookupError:
            warnings.append(f"unknown charset {charset!r}")
        except UnicodeDecodeError:
            warnings.append(f"text is not valid {charset}")
    for candidate in _FALLBACK_CHARSETS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # unreachable: latin-1 decodes everything


def _payload(part: Message, warnings: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (LookupError, ValueError, TypeError, AssertionError) as error:
        warnings.append(f"part payload: {type(error).__name__}: {error}")
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def _text(part: Message, warnings: list[str]) -> str:
    charset: str | None
    try:
        charset = part.get_content_charset()
    except (LookupError, ValueError, TypeError, IndexError):
        charset = None
    text, _ = _decode_bytes(_payload(part, warnings), charset, warnings)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _param(part: Message, getter: str) -> str:
    try:
        value = getattr(part, getter)()
    except (LookupError, ValueError, TypeError, IndexError, AttributeError):
        return ""
    return _recover(str(value)) if value else ""


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
            texts.append(_text(part, parsed.warnings))
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
        disposition = _param(part, "get_content_disposition")
        filename = _param(part, "get_filename")
        is_body_text = content_type in {"text/plain", "text/html"} and (
            disposition != "attachment" and not filename
        )
        if is_body_text:
            (texts if content_type == "text/plain" else htmls).append(_text(part, parsed.warnings))
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
        size = len(_payload(part, parsed.warnings))
    filename = _param(part, "get_filename") or _default_name(content_type, index)
    content_id = (
        (part.get("content-id") or "").strip().strip("<>")
        if _raw_header(part, "content-id")
        else ""
    )
    disposition = _param(part, "get_content_disposition")
    parsed.attachments.append(
        AttachmentInfo(
            filename=filename,
            content_type=content_type,
            size=size,
            content_id=_clean(str(content_id)),
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
    message = _PARSER.parsebytes(raw)
    for position, part in enumerate(message.walk()):
        if position == index:
            if part.get_content_type() == "message/rfc822":
                payload = part.get_payload()
                if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                    return bytes(payload[0].as_bytes())
            return _payload(part, [])
    raise LookupError(f"no part {index}")
