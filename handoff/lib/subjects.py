"""Subjects as conversation keys: reply and forward prefixes in many languages."""

from __future__ import annotations

import re

# Re:, RE :, Fwd:, FW:, TR :, AW:, WG:, SV:, VS:, Antw:, Réf :, RIF:, Odp:, ENC:, RES:, RV:, 回复:
_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|tr|aw|wg|sv|vs|antw|r[ée]f|rif|odp|enc|res|rv|答复|回复|转发)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*|\[[^\]]{1,40}\]\s*)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"\[HO-(\d{1,12})\]")
_SPACES = re.compile(r"\s+")


def subject_key(subject: str) -> str:
    """The subject with every reply/forward prefix and list tag removed, lowercased."""
    text = _TOKEN.sub(" ", subject)
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return _SPACES.sub(" ", text).strip().casefold()[:200]


def has_reply_prefix(subject: str) -> bool:
    return _PREFIX.match(_TOKEN.sub("", subject)) is not None and subject_key(subject) != ""


def desk_token(subject: str) -> int | None:
    """The conversation number of the desk's own ``[HO-123]`` token, if present."""
    match = _TOKEN.search(subject)
    return int(match.group(1)) if match else None
