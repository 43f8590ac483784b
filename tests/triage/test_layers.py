"""Each triage layer on its own, as plain functions (no database)."""

from __future__ import annotations

import pytest

from handoff.triage.engine.classify import CharHasher, Model
from handoff.triage.engine.decide import (
    Founder,
    Policy,
    decide,
    from_noise,
    from_prediction,
    team_category,
)
from handoff.triage.engine.labels import Prediction
from handoff.triage.engine.language import detect
from handoff.triage.engine.metrics import Outcome, report
from handoff.triage.engine.rules import Facts, RuleError, apply, founder_match, parse_rule
from handoff.triage.engine.text import prepare

CUSTOMER = Facts(sender="ana@client.example", subject="Invoice", body="Hello")


def predicted(**probabilities: float) -> Prediction:
    return Prediction(probabilities)


# ---------------------------------------------------------------- (1) noise


@pytest.mark.parametrize(
    ("kind", "category"),
    [
        ("autoreply", "autoreply"),
        ("bounce", "bounce"),
        ("feedback", "bounce"),
        ("list", "bulk"),
        ("bulk", "bulk"),
        ("own", "autoreply"),
    ],
)
def test_recognised_noise_goes_to_the_noise_lane_with_its_category(kind, category) -> None:
    decision = decide(CUSTOMER, noise=(kind, "a header"), prediction=predicted(support=1.0))
    assert (decision.lane, decision.category, decision.layer) == ("noise", category, "noise")
    assert "a header" in decision.explanation


def test_list_mail_the_model_finds_spammy_is_spam_else_bulk() -> None:
    assert from_noise("list", "List-Id", predicted(spam=0.7, bulk=0.2)).category == "spam"
    assert from_noise("list", "List-Id", predicted(spam=0.2, bulk=0.7)).category == "bulk"
    assert from_noise("bounce", "DSN", predicted(spam=0.9)).category == "bounce"


def test_recognised_noise_keeps_the_classifiers_scores_for_the_noise_audit() -> None:
    decision = from_noise("list", "List-Id", predicted(founder=0.6, bulk=0.4))
    assert decision.lane == "noise"
    assert decision.scores == {"founder": 0.6, "bulk": 0.4}
    assert from_noise("bounce", "DSN").scores == {}


def test_noise_wins_over_founder_rules() -> None:
    founder = Founder(people=frozenset({"ana@client.example"}))
    decision = decide(CUSTOMER, noise=("autoreply", "x"), founder=founder, prediction=None)
    assert decision.lane == "noise"


# ---------------------------------------------------------------- (2) founder rules


def test_founder_rules_match_people_domains_subdomains_and_contacts() -> None:
    people, domains = frozenset({"vc@fund.example"}), frozenset({"lawfirm.example"})
    contacts = frozenset({"mum@home.example"})
    assert founder_match("VC@fund.example", people, domains, contacts) == "person vc@fund.example"
    assert founder_match("x@paris.lawfirm.example", people, domains, contacts) == (
        "domain lawfirm.example"
    )
    assert "personally" in founder_match("mum@home.example", people, domains, contacts)
    assert founder_match("x@notlawfirm.example", people, domains, contacts) == ""
    assert founder_match("", people, domains, contacts) == ""


def test_a_founder_rule_beats_the_classifier() -> None:
    founder = Founder(domains=frozenset({"client.example"}))
    decision = decide(CUSTOMER, founder=founder, prediction=predicted(spam=1.0))
    assert (decision.lane, decision.category, decision.layer) == (
        "founder",
        "founder",
        "founder_rule",
    )


# ---------------------------------------------------------------- (3) admin rules


def test_admin_rules_are_validated() -> None:
    when = {"when": [{"field": "subject", "op": "contains", "value": "invoice"}]}
    with pytest.raises(RuleError, match="not in the founder lane"):
        parse_rule("r", when, {"lane": "founder", "category": "billing"})
    with pytest.raises(RuleError, match="field"):
        parse_rule("r", {"when": [{"field": "year", "value": "2001"}]}, {"tags": ["x"]})
    with pytest.raises(RuleError, match="regular expression"):
        parse_rule(
            "r", {"when": [{"field": "body", "op": "matches", "value": "("}]}, {"tags": ["x"]}
        )
    with pytest.raises(RuleError, match="at least one"):
        parse_rule("r", when, {})


def test_admin_rules_route_and_the_first_to_route_wins() -> None:
    rules = [
        parse_rule(
            "invoices",
            {"when": [{"field": "subject", "op": "contains", "value": "INVOICE"}]},
            {"category": "billing", "tags": ["finance"]},
        ),
        parse_rule(
            "client domain",
            {
                "match": "any",
                "when": [{"field": "from_domain", "op": "equals", "value": "client.example"}],
            },
            {"lane": "team", "category": "support", "priority": "high", "tags": ["vip"]},
        ),
    ]
    actions, names = apply(rules, CUSTOMER)
    assert names == ["invoices", "client domain"]
    assert (actions.category, actions.priority, actions.tags) == (
        "billing",
        "high",
        ("finance", "vip"),
    )
    decision = decide(CUSTOMER, rules=rules, prediction=predicted(founder=0.9, support=0.1))
    assert (decision.lane, decision.category, decision.layer) == ("team", "billing", "admin_rule")
    assert decision.tags == ("finance", "vip")


def test_admin_rules_that_only_tag_leave_the_lane_to_the_classifier() -> None:
    rule = parse_rule(
        "german",
        {"when": [{"field": "language", "op": "in", "value": ["de", "at"]}]},
        {"team": "dach"},
    )
    facts = Facts(sender="a@b.example", subject="Rechnung", body="Hallo", language="de")
    decision = decide(facts, rules=[rule], prediction=predicted(billing=0.9, support=0.1))
    assert (decision.lane, decision.category, decision.team) == ("team", "billing", "dach")
    assert "admin rule: german" in decision.explanation


# ---------------------------------------------------------------- (4, 5) classifier, threshold


def test_a_confident_classifier_decides() -> None:
    decision = from_prediction(predicted(founder=0.9, support=0.1), Policy())
    assert (decision.lane, decision.category, decision.needs_triage) == (
        "founder",
        "founder",
        False,
    )
    assert decision.confidence == pytest.approx(0.9)


def test_an_unsure_founder_guess_goes_to_the_heads_queue_never_to_the_founder() -> None:
    decision = from_prediction(predicted(founder=0.38, support=0.34, spam=0.28), Policy())
    assert (decision.lane, decision.category, decision.needs_triage) == ("team", "support", True)
    assert "needs triage" in decision.explanation


def test_an_unsure_spam_guess_stays_with_the_team() -> None:
    decision = from_prediction(predicted(spam=0.45, support=0.3, founder=0.25), Policy())
    assert (decision.lane, decision.needs_triage) == ("team", True)


def test_lanes_add_up_their_categories() -> None:
    decision = from_prediction(predicted(founder=0.4, support=0.3, bug=0.3), Policy())
    assert (decision.lane, decision.needs_triage) == ("team", False)
    assert decision.confidence == pytest.approx(0.6)


def test_the_starter_model_needs_more_confidence_for_founder_and_noise() -> None:
    guess = predicted(spam=0.65, support=0.35)
    assert from_prediction(guess, Policy()).lane == "noise"
    assert from_prediction(guess, Policy().for_starter()).lane == "team"


def test_bulk_without_list_headers_is_not_a_reason_for_noise() -> None:
    decision = decide(CUSTOMER, prediction=predicted(bulk=0.6, support=0.4))
    assert (decision.lane, decision.category) == ("team", "support")


def test_presales_wins_from_a_fraction_of_the_leading_category() -> None:
    assert team_category(predicted(support=0.7, presales=0.12, billing=0.18)) == "presales"
    assert team_category(predicted(support=0.9, presales=0.05, billing=0.05)) == "support"


def test_a_trained_desks_presales_weighs_what_the_text_asks() -> None:
    """Asking to buy, no problem named: pre-sales from a small share; else it needs more."""
    guess = predicted(support=0.8, presales=0.05, bug=0.15)

    def category(subject: str, body: str, prediction: Prediction = guess) -> str:
        facts = Facts(sender="ana@client.example", subject=subject, body=body)
        return decide(facts, prediction=prediction).category

    assert category("Quote", "Could you send us a quote for 20 licences?") == "presales"
    assert category("Angebot", "Wir möchten ein Angebot für 20 Lizenzen.") == "presales"
    bought = "The laptop I bought last month is broken, I would like a refund."
    assert category("Laptop", bought) == "support"
    assert category("Export", "How do I export my data to CSV?") == "support"
    # What the sender already has, named as such, is billing or support, not a buyer.
    for owned in (
        "Please send the pricing details of our current subscription.",
        "Nous utilisons actuellement votre logiciel : quel serait le prix des options ?",
        "Ich habe kürzlich den Monitor gekauft und frage nach dem Preis einer Garantie.",
        "¿Me pueden explicar el precio de mi suscripción del mes pasado?",
        "Temos utilizado seus serviços: qual o preço da próxima fase?",
    ):
        assert category("Pricing", owned) == "support", owned
    # A buyer's words stay a buyer's: a purchase to come, a competitor's product in use.
    assert category("Preise", "Wie ist der Preis, wenn er im Geschäft gekauft wird?") == (
        "presales"
    )
    switching = "We currently use Zendesk: what would 20 seats cost, and the monthly charges?"
    assert category("Pricing", switching) == "presales"
    pick_up = "Was kostet das MacBook, und wann kann ich nach dem Kauf meine Bestellung abholen?"
    assert category("Preise", pick_up) == "presales"
    # Without a buying word, pre-sales needs a third of the leading category's probability.
    leading = predicted(support=0.6, presales=0.25, bug=0.15)
    assert category("Demo", "Could someone show us around?", leading) == "presales"
    assert category("Export", "How do I export?", predicted(support=0.7, presales=0.2)) == "support"
    # The starter model keeps its own gate: no buying word, no pre-sales.
    assert (
        decide(
            Facts(
                sender="ana@client.example", subject="Demo", body="Could someone show us around?"
            ),
            prediction=predicted(presales=0.99, support=0.01),
            policy=Policy().for_starter(),
        ).category
        == "support"
    )


# ---------------------------------------------------------------- features, language, metrics


def test_prepare_keeps_words_and_drops_where_the_mail_came_from() -> None:
    body = (
        "Please sign the NDA by Friday.\n"
        "Mail (anna.m@corp-mail.example), or ask.\n"
        "---------------------- Forwarded by Jane Doe/HOU/ECT on 11/29/2000 03:22 PM ---\n"
        "To: jane.doe@bluepeak-group.com\n"
        "> On Mon, Bob wrote:\n"
        "> see http://www.example.com/x and call 555-1234 in 2001 <name>"
    )
    text = prepare("Re: NDA", body)
    assert "sign the nda by friday. mail or ask." in text
    for gone in (
        "anna",
        "corp-mail",
        "forwarded",
        "hou/ect",
        "bluepeak",
        "2000",
        "2001",
        "555",
        "<name>",
        "wrote",
    ):
        assert gone not in text
    assert "weblink" in text
    assert prepare("s", "b", "list").endswith("xnoiselist")
    template = "<!-- Please describe the bug -->\nIt crashes.\n<!-- unclosed"
    assert prepare("", template).split() == ["it", "crashes."]


def test_prepare_marks_the_subject_words_and_turns_question_marks_into_a_word() -> None:
    text = prepare("How to export?", "Is there a way? See http://example.com/a?b=1")
    assert text.startswith("s_how s_to s_export s_xqmark how to export xqmark ")
    assert text.endswith("is there a way xqmark see weblink")  # a link's "?" is no question
    assert not prepare("", "hello").startswith("s_")
    # Written in Chinese, Japanese or Arabic, a question ends with its own mark.
    assert prepare("", "如何获取输入尺寸？").endswith("xqmark")
    assert prepare("", "هل يعمل هذا؟").endswith("xqmark")


def test_explanations_name_subject_words_and_questions_as_written() -> None:
    texts = [prepare("refund?", f"please refund my invoice {i}") for i in range(6)]
    texts += [prepare("crash", f"the app crashes with an error {i}") for i in range(6)]
    model = Model.fit(texts, ["billing"] * 6 + ["bug"] * 6)
    text = prepare("refund?", "my invoice")
    _, matrix = model.analyse([text])
    words = model.explain(matrix, 0, text, "billing", count=8)
    assert "refund" in words
    assert not any("s_" in w or "xqmark" in w for w in words)


def test_language_is_one_of_the_desks_or_named_by_its_script() -> None:
    found = detect(
        [
            "Bonjour, je n'arrive plus à me connecter à mon compte depuis ce matin.",
            "Hello, I cannot log in to my account since this morning.",
            "Hallo, ich kann mich seit heute Morgen nicht mehr anmelden.",
            "请问如何导出我的数据？我们需要帮助。",
            "",
        ]
    )
    assert found == ["fr", "en", "de", "zh", "und"]
    assert detect(["Bonjour, je voudrais un devis."], ["en", "fr"]) == ["fr"]
    with pytest.raises(ValueError, match="xx"):
        detect(["hello"], ["en", "xx"])


def test_report_counts_lanes_founder_figures_and_languages() -> None:
    outcomes = [
        Outcome("founder", "founder", "en", "founder", "founder", "en"),
        Outcome("founder", "founder", "en", "team", "support", "en", needs_triage=True),
        Outcome("team", "billing", "fr", "team", "billing", "fr"),
        Outcome("team", "support", "fr", "noise", "spam", "en"),
        Outcome("noise", "spam", "und", "noise", "spam", "und"),
    ]
    result = report(outcomes)
    assert result["lane_accuracy"] == 0.6
    assert result["founder"]["recall"] == 0.5
    assert result["founder"]["precision"] == 1.0
    assert result["team_to_noise"] == 0.5
    assert result["needs_triage"] == 1
    assert result["language_accuracy"] == 0.75
    assert result["languages"]["fr"]["lane_accuracy"] == 0.5
    assert result["classes"]["billing"]["f1"] == 1.0


def test_a_tiny_model_learns_and_names_the_words_that_weighed() -> None:
    texts = [prepare("refund", f"please refund my invoice {i}") for i in range(6)]
    texts += [prepare("crash", f"the app crashes with an error {i}") for i in range(6)]
    model = Model.fit(texts, ["billing"] * 6 + ["bug"] * 6)
    text = prepare("help", "I need a refund for this invoice")
    predictions, matrix = model.analyse([text])
    assert predictions[0].best(["billing", "bug"])[0] == "billing"
    words = model.explain(matrix, 0, text, "billing")
    assert words
    assert set(words) <= {"refund", "invoice", "for this", "need", "this invoice", "a refund"}
    assert Model.from_bytes(model.to_bytes()).predict([text])[0] == predictions[0]
    with pytest.raises(ValueError, match="two categories"):
        Model.fit(texts[:6], ["billing"] * 6)


def test_a_stored_model_hashes_characters_as_it_was_trained() -> None:
    current = CharHasher(bits=16, chars=100)
    stored_before_sizes_were_kept = CharHasher(bits=16, chars=100)
    del stored_before_sizes_were_kept.sizes  # as unpickled from an older version
    # " devis " (7 characters): 5 three-grams and 3 five-grams, plus 4 four-grams before.
    assert current.transform(["devis"]).sum() == 8
    assert stored_before_sizes_were_kept.transform(["devis"]).sum() == 12
