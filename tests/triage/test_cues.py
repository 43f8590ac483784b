from __future__ import annotations

import pytest

from handoff.lib import mime, rawmail
from handoff.triage.engine import starter
from handoff.triage.engine.cue_words import ANY, CHARS, CUES, PATTERNS, _one_pass, fold
from handoff.triage.engine.cues import WEIGHT, Cues
from handoff.triage.engine.text import prepare
from tests.conftest import CORPORA, need

FOUNDER = CORPORA.parent / "bench" / "founder-mailbox" / "public"


def _cues(text: str) -> set[str]:
    row = Cues().transform([text]).toarray()[0]
    return {name for name, value in zip(CUES, row, strict=True) if value == WEIGHT}


def test_buying_words_are_one_cue_in_every_language() -> None:
    assert _cues(
        "Je suis intéressé par l'achat de 40 licences, pourriez-vous faire un devis ?"
    ) == {
        "interest",
        "buy",
        "price",
    }
    assert _cues("Gibt es einen Mengenrabatt? Unser Vertrieb möchte 20 Geräte kaufen.") == {
        "volume",
        "sales",
        "buy",
    }
    assert _cues("¿Ofrecen descuentos por compras al por mayor?") == {"volume", "buy"}
    assert _cues("Our pre-sales team needs pricing for the enterprise plan") == {"sales", "price"}


def test_words_that_only_contain_a_cue_are_not_one() -> None:
    assert _cues("The priceless bulkhead story; reprise of the vendor bug") == set()
    assert _cues("") == set()


def test_advance_fee_fraud_is_a_cue() -> None:
    assert "scam" in _cues(
        "I must solicit your strictest confidentiality: the transfer of the sum of "
        "US$0 million to a foreign account, as next of kin of the late president."
    )
    assert "scam" not in _cues("Please find the NDA for our partnership, strictly between us.")


def test_the_one_pass_search_finds_a_cue_where_the_cues_do() -> None:
    # ANY regroups every cue's words by first letter: it must find something in exactly
    # the texts some cue's own expression finds something in, on real mail and invented.
    need(FOUNDER.is_dir(), f"the founder mailbox is not at {FOUNDER}")
    texts = [prepare(example.subject, example.body) for example in starter.examples()]
    for path in sorted((FOUNDER / "msgs").iterdir())[::3]:
        raw = path.read_bytes()
        parsed = mime.parse(raw, rawmail.envelope(raw).message_id)
        texts.append(prepare(parsed.subject, parsed.text))
    found = 0
    for text in texts:
        folded = fold(text[:CHARS])
        some = any(pattern.search(folded) for pattern in PATTERNS)
        assert (ANY.search(folded) is not None) == some, text[:200]
        found += some
    assert 200 < found < len(texts) - 200


def test_a_cue_not_written_as_a_list_of_words_is_refused() -> None:
    with pytest.raises(ValueError, match="a cue is"):
        _one_pass([r"(?:price|quote)"])
    assert _one_pass([r"\b(?:pre-?sales|(?:million|billion) dollars|x)\b"]).pattern == (
        r"\b(?:p(?:re-?sales)|x(?:)|(?:million|billion) dollars)\b"
    )
