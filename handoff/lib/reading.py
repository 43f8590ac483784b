"""Everything the pipeline learns from a message's bytes alone, in one pure step that a
process pool can run: the parsed message and what kind of sender wrote it.

Total: every door (import, SMTP, IMAP, webhooks) goes through :func:`read`, so one
message must never stop the pipeline. Hostile mail is read from its header block,
flagged by a warning and quarantined with its raw bytes, like any unparseable mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoff.lib.mime import ParsedMessage, parse
from handoff.lib.noise import Verdict, recognise


@dataclass(frozen=True, slots=True)
class Own:
    """The desk's own domains (its Message-IDs) and addresses (its mailboxes)."""

    domains: frozenset[str] = frozenset()
    addresses: frozenset[str] = frozenset()


def read(job: tuple[int, bytes, str], own: Own) -> tuple[int, ParsedMessage, Verdict]:
    raw_id, data, message_id = job
    try:
        parsed = parse(data, message_id)  # total by design; this is the last line of defence
    except Exception as error:  # noqa: BLE001 - RecursionError and MemoryError included
        parsed = ParsedMessage(message_id, warnings=[_failed("parsing", error)])
    try:
        verdict = recognise(data, parsed, own_domains=own.domains, own_addresses=own.addresses)
    except Exception as error:  # noqa: BLE001 - a person's mail until shown otherwise
        parsed.warnings.append(_failed("noise recognition", error))
        verdict = Verdict("", "")
    return raw_id, parsed, verdict


def _failed(step: str, error: Exception) -> str:
    return f"{step} failed ({type(error).__name__}: {str(error)[:200]}); the raw bytes are kept"
