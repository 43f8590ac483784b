"""Read one header or one part as text, whatever it claims.

Each reader catches what the standard library may raise on real mail (unknown
charsets, broken headers, bad transfer encodings), falls back to a best effort
and records a warning, so one bad header or part never costs the rest.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

_FALLBACK_CHARSETS = ("utf-8", "cp1252", "latin-1")


def raw_header(message: Message, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def recover(value: str) -> str:
    """Decode RFC 2047 words and raw 8-bit bytes (kept as surrogates by the parser)."""
    # On failure keep the undecoded words: better than nothing; the caller records a warning.
    with contextlib.suppress(LookupError, UnicodeError, ValueError, AssertionError):
        value = str(make_header(decode_header(value)))
    data = value.encode("utf-8", "surrogateescape")
    return decode_bytes(data, None, [])[0]


def clean(text: str) -> str:
    """Text safe to store: raw 8-bit bytes the parser kept as surrogates are decoded."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode_bytes(text.encode("utf-8", "surrogateescape"), None, [])[0]


def header(message: Message, name: str, warnings: list[str]) -> str:
    raw = raw_header(message, name)
    if raw is None:
        return ""
    try:
        value = message[name]
        text = str(value) if value is not None else ""
    except (LookupError, IndexError, ValueError, TypeError, AttributeError) as error:
        warnings.append(f"header {name}: {type(error).__name__}: {error}")
        return recover(raw)
    if any("\udc80" <= ch <= "\udcff" for ch in text) or "=?" in text:
        # 8-bit bytes in a header, or encoded words the header parser gave up on.
        warnings.append(f"header {name}: undecodable bytes recovered")
        return recover(raw)
    return text


def date(message: Message, warnings: list[str]) -> datetime | None:
    raw = raw_header(message, "date")
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


def decode_bytes(data: bytes, charset: str | None, warnings: list[str]) -> tuple[str, str]:
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


def payload(part: Message, warnings: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except (LookupError, ValueError, TypeError, AssertionError) as error:
        warnings.append(f"part payload: {type(error).__name__}: {error}")
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def text(part: Message, warnings: list[str]) -> str:
    charset: str | None
    try:
        charset = part.get_content_charset()
    except (LookupError, ValueError, TypeError, IndexError):
        charset = None
    text, _ = decode_bytes(payload(part, warnings), charset, warnings)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def param(part: Message, getter: str) -> str:
    try:
        value = getattr(part, getter)()
    except (LookupError, ValueError, TypeError, IndexError, AttributeError):
        return ""
    return recover(str(value)) if value else ""
