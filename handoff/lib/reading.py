"""Everything the pipeline learns from a message's bytes alone, in one pure step that a
process pool can run: the parsed message and what kind of sender wrote it."""

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
    parsed = parse(data, message_id)
    verdict = recognise(data, parsed, own_domains=own.domains, own_addresses=own.addresses)
    return raw_id, parsed, verdict
