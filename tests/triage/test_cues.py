from __future__ import annotations

from handoff.triage.engine.cue_words import CUES
from handoff.triage.engine.cues import WEIGHT, Cues


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
