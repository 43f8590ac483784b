"""A fresh desk (the starter model) and the guards that keep founder mail out of the noise
lane, as plain functions (no database)."""

from __future__ import annotations

import pytest

from handoff.triage.engine.cue_words import asks_to_buy
from handoff.triage.engine.decide import Founder, Policy, decide, from_prediction, team_category
from handoff.triage.engine.labels import TEAM_CATEGORIES, Prediction
from handoff.triage.engine.rules import Facts
from handoff.triage.engine.starter import (
    BESIDE_HISTORY,
    BESIDE_PER_SECTION,
    examples,
    with_history,
)

STARTER = Policy().for_starter()


def predicted(**probabilities: float) -> Prediction:
    return Prediction(probabilities)


def facts(body: str, sender: str = "ana@client.example", subject: str = "") -> Facts:
    return Facts(sender=sender, subject=subject, body=body)


def test_the_starter_models_unclear_category_is_support_not_presales() -> None:
    unclear = predicted(presales=0.3, bug=0.25, billing=0.25, support=0.2)
    assert team_category(unclear, STARTER) == "support"
    # A trained desk keeps weighing pre-sales up: it has seen this desk's buyers.
    assert team_category(unclear, Policy()) == "presales"
    assert team_category(predicted(bug=0.8, support=0.2), STARTER) == "bug"


@pytest.mark.parametrize(
    ("subject", "body", "buys"),
    [
        ("Quote for 40 licenses", "Could you send us your prices?", True),
        ("Angebot", "Wir möchten 30 Lizenzen kaufen.", True),
        ("Orçamento", "Qual o preço para 20 usuários?", True),
        ("Router issue", "The Cisco router disconnects every hour since Monday.", False),
        ("Impressora", "A impressora não conecta no wifi.", False),
    ],
)
def test_presales_from_the_starter_model_needs_a_buying_word(
    subject: str, body: str, buys: bool
) -> None:
    assert asks_to_buy(f"{subject}\n{body}") is buys
    decision = decide(
        facts(body, subject=subject),
        prediction=predicted(presales=0.9, support=0.1),
        policy=STARTER,
    )
    assert decision.lane == "team"
    assert (decision.category == "presales") is buys


def test_mail_likely_the_founders_is_kept_out_of_the_noise_lane() -> None:
    guess = predicted(spam=0.6, founder=0.35, support=0.05)
    decision = from_prediction(guess, Policy())
    assert (decision.lane, decision.category) == ("founder", "founder")
    assert decision.explanation.startswith("kept out of noise: founder 0.35 (floor 0.30)")
    # Below the floor, noise stays noise.
    assert from_prediction(predicted(spam=0.8, founder=0.1, support=0.1), Policy()).lane == "noise"


def test_mail_from_the_founders_own_domain_is_never_noise() -> None:
    founder = Founder(own=Founder.own_domains(frozenset({"camille@acme.example"})))
    spam_like = predicted(spam=0.95, founder=0.02, support=0.03)
    colleague = decide(
        facts("dividends", "paul@acme.example"), founder=founder, prediction=spam_like
    )
    assert colleague.lane == "founder"
    assert "the founder's own domain acme.example" in colleague.explanation
    stranger = decide(facts("cheap pills", "x@spam.example"), founder=founder, prediction=spam_like)
    assert stranger.lane == "noise"


def test_a_founder_at_a_public_mail_service_does_not_make_it_theirs() -> None:
    assert Founder.own_domains(frozenset({"camille@gmail.com", "camille@acme.example"})) == {
        "acme.example"
    }


def test_the_starter_set_speaks_five_languages_in_every_team_category() -> None:
    found = {(e.category, e.language) for e in examples()}
    for category in TEAM_CATEGORIES:
        for language in ("en", "fr", "de", "es", "pt"):
            assert (category, language) in found


def test_a_trained_desk_keeps_the_starter_sets_first_languages_only() -> None:
    texts, categories = with_history(["my own message"], ["billing"])
    kept = [e for e in examples(BESIDE_PER_SECTION) if e.language in BESIDE_HISTORY]
    assert len(texts) == len(categories) == len(kept) + 1
    assert (texts[-1], categories[-1]) == ("my own message", "billing")


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Return request", "I bought this laptop last week and want to return it for a refund."),
        ("Garantie", "Der gekaufte Drucker ist defekt, bitte Reparatur unter Garantie."),
        ("Devolución", "Compré la impresora y no funciona, quiero un reembolso."),
    ],
)
def test_a_problem_with_what_one_bought_is_not_presales_on_day_one(subject: str, body: str) -> None:
    # A buying word is there ("bought", "gekaufte", "compré"), but so is a problem.
    decision = decide(
        facts(body, subject=subject),
        prediction=predicted(presales=0.9, support=0.1),
        policy=STARTER,
    )
    assert decision.category == "support"


def test_day_one_presales_needs_mail_the_starter_model_takes_for_team_mail() -> None:
    buyer = facts("Could you send us a quote for 40 licenses?", subject="Quote")
    sure = predicted(presales=0.96, support=0.02, spam=0.02)
    assert decide(buyer, prediction=sure, policy=STARTER).category == "presales"
    # Advertising names prices too: with a fifth of the probability on spam, the starter
    # model's pre-sales falls back to the general queue.
    unsure = predicted(presales=0.75, support=0.05, spam=0.2)
    decision = decide(buyer, prediction=unsure, policy=STARTER)
    assert (decision.lane, decision.category) == ("team", "support")


def test_an_unsure_noise_guess_goes_to_the_team_lanes_needs_triage_not_to_noise() -> None:
    # A two-line note about a home computer: the model leans spam, not enough to hide it.
    unsure = from_prediction(predicted(spam=0.55, bug=0.4, founder=0.05), Policy())
    assert (unsure.lane, unsure.needs_triage) == ("team", True)
    assert unsure.explanation.startswith("needs triage: classifier: noise 0.55")
    assert from_prediction(predicted(spam=0.7, bug=0.3), Policy()).lane == "noise"


def test_cost_estimates_are_a_buying_word_in_every_language() -> None:
    for text in (
        "We need cost estimates for the app.",
        "J'ai besoin d'estimations de coûts.",
        "Wir bitten um einen Kostenvoranschlag.",
        "Quisiera una estimación de costos.",
        "Preciso de uma estimativa de custos.",
    ):
        assert asks_to_buy(text), text
