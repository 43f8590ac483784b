"""triage(message_ids) on real messages in the database: every layer, stored."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from handoff.tickets.models import Message
from handoff.triage.learning import active_model, correct
from handoff.triage.models import AdminRule, Decision, FounderContact, FounderRule, TriageSettings
from handoff.triage.pipeline import triage, triage_undecided
from tests.helpers import deliver, mail
from tests.triage.conftest import customer_mail

pytestmark = pytest.mark.django_db


def decided(message: Message) -> Decision:
    triage([message.pk])
    return Decision.objects.get(message=message)


def test_auto_replies_go_to_the_noise_lane() -> None:
    raw = mail("auto@client.example", subject="Out of office", body="Back on Monday.")
    raw = b"Auto-Submitted: auto-replied\r\n" + raw
    (message,) = deliver(raw)
    decision = decided(message)
    assert (decision.lane, decision.category, decision.layer) == ("noise", "autoreply", "noise")
    assert "Auto-Submitted" in decision.explanation


def test_founder_rules_send_people_and_domains_to_the_founder() -> None:
    FounderRule.objects.create(kind="domain", value="fund.example", note="investors")
    FounderRule.objects.create(kind="person", value="counsel@law.example")
    investor, lawyer, customer = deliver(
        customer_mail("Board deck attached.", sender="partner@fund.example"),
        customer_mail("Please call me.", sender="Counsel@law.example"),
        customer_mail("Please call me.", sender="someone@law.example"),
    )
    triage([investor.pk, lawyer.pk, customer.pk])
    lanes = dict(Decision.objects.values_list("message_id", "lane"))
    assert lanes[investor.pk] == lanes[lawyer.pk] == "founder"
    assert lanes[customer.pk] != "founder"
    assert Decision.objects.get(message=investor).explanation == (
        "founder rule: domain fund.example"
    )


def test_people_the_founder_writes_to_become_founder_mail(people: dict[str, Any]) -> None:
    (sent,) = deliver(
        mail("f1@acme.example", sender="camille@acme.example", to="Ines <ines@angel.example>")
    )
    assert sent.direction == "out"
    triage([sent.pk])
    assert Decision.objects.get(message=sent).lane == "founder"
    assert FounderContact.objects.get().address == "ines@angel.example"
    (reply,) = deliver(
        mail("r1@angel.example", sender="ines@angel.example", to="camille@acme.example")
    )
    decision = decided(reply)
    assert (decision.lane, decision.layer) == ("founder", "founder_contact")


def test_answering_a_customer_does_not_make_them_a_founder_contact(
    people: dict[str, Any],
) -> None:
    (question,) = deliver(customer_mail("I was charged twice, please refund.", subject="Refund"))
    correct(question, "team", "billing", people["sophie"])
    (answer,) = deliver(
        mail(
            "a1@acme.example",
            sender="camille@acme.example",
            to=question.from_address,
            subject="Re: Refund",
            in_reply_to=question.message_id,
        )
    )
    assert answer.conversation_id == question.conversation_id
    triage([answer.pk])
    assert not FounderContact.objects.exists()


def test_replies_we_send_take_the_lane_of_their_conversation(people: dict[str, Any]) -> None:
    (question,) = deliver(customer_mail("Where is my invoice?", subject="Invoice"))
    correct(question, "team", "billing", people["sophie"])
    (answer,) = deliver(
        mail(
            "a2@acme.example",
            sender="chris@acme.example",
            to=question.from_address,
            subject="Re: Invoice",
            in_reply_to=question.message_id,
        )
    )
    decision = decided(answer)
    assert (decision.lane, decision.category, decision.layer) == ("team", "billing", "sent")


def test_admin_rules_decide_before_the_classifier() -> None:
    AdminRule.objects.create(
        name="press",
        conditions={"when": [{"field": "subject", "op": "startswith", "value": "press:"}]},
        actions={"lane": "founder", "category": "founder", "tags": ["press"]},
    )
    (message,) = deliver(customer_mail("Can we talk?", subject="Press: interview request"))
    decision = decided(message)
    assert (decision.lane, decision.layer, decision.tags) == ("founder", "admin_rule", ["press"])


def test_the_classifier_decides_the_rest_with_words_and_a_language() -> None:
    (message,) = deliver(
        customer_mail(
            "Bonjour, j'ai été prélevé deux fois ce mois-ci pour le même abonnement, "
            "merci de rembourser un paiement. Pourriez-vous m'envoyer une facture ?",
            subject="Prélevé deux fois",
        )
    )
    decision = decided(message)
    assert (decision.lane, decision.category, decision.language) == ("team", "billing", "fr")
    assert decision.layer == "classifier"
    assert decision.version_id is not None
    assert "words:" in decision.explanation
    assert 0.5 <= decision.confidence <= 1
    assert set(decision.scores) >= {"billing", "support", "founder", "spam"}


def test_under_the_threshold_mail_waits_in_the_heads_queue() -> None:
    # Thresholds no lane can reach: every message waits for a person.
    TriageSettings.objects.create(threshold=1.0, founder_threshold=1.0, noise_threshold=1.0)
    (message,) = deliver(customer_mail("Hmm.", subject="?"))
    decision = decided(message)
    assert (decision.lane, decision.needs_triage) == ("team", True)
    assert Decision.objects.filter(needs_triage=True, lane="team").count() == 1


def test_a_correction_stays_when_triage_runs_again(people: dict[str, Any]) -> None:
    (message,) = deliver(customer_mail("Congratulations, you won a prize!"))
    correct(message, "founder", "founder", people["sophie"])
    triage([message.pk])
    decision = Decision.objects.get(message=message)
    assert (decision.lane, decision.layer) == ("founder", "label")
    assert decision.explanation == "corrected by sophie@acme.example"


def test_triage_runs_in_a_fixed_number_of_queries_whatever_the_batch() -> None:
    active_model()  # the starter model, trained once
    small = deliver(*[customer_mail(f"Question {i} about my account") for i in range(3)])
    large = deliver(*[customer_mail(f"Question {i} about my export") for i in range(30)])
    with CaptureQueriesContext(connection) as few:
        triage([m.pk for m in small])
    with CaptureQueriesContext(connection) as many:
        triage([m.pk for m in large])
    assert len(many) == len(few)
    assert Decision.objects.count() == 33


def test_undecided_messages_are_picked_up() -> None:
    deliver(*[customer_mail(f"Help {i}") for i in range(3)])
    Decision.objects.all().delete()  # as after a triage that failed, or before an upgrade
    assert triage_undecided() == 3
    assert triage_undecided() == 0


def test_export_fills_lane_category_language_and_confidence() -> None:
    (message,) = deliver(customer_mail("I cannot log in to my account since this morning."))
    triage([message.pk])
    out = StringIO()
    call_command("export", "messages", stdout=out)
    (row,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert row["lane"] == "team"
    assert row["category"] == "support"
    assert row["language"] == "en"
    assert 0 < row["confidence"] <= 1
    assert {"assignee", "first_response_due", "status", "ticket"} <= set(row)


def test_language_is_detected_among_the_desks_languages() -> None:
    TriageSettings.objects.create(languages=["en", "de"])
    (message,) = deliver(customer_mail("Hallo, ich kann mich seit heute Morgen nicht anmelden."))
    assert decided(message).language == "de"


def test_settings_and_rules_are_validated() -> None:
    with pytest.raises(ValidationError, match="xx"):
        TriageSettings(languages=["en", "xx"]).full_clean()
    with pytest.raises(ValidationError, match="Between 0 and 1"):
        TriageSettings(threshold=1.5).full_clean()
    with pytest.raises(ValidationError, match="domain"):
        FounderRule(kind="domain", value="jane@fund.example").full_clean()
    rule = FounderRule(kind="person", value=" Jane@Fund.example ")
    rule.full_clean()
    assert rule.value == "jane@fund.example"
    with pytest.raises(ValidationError, match=r"conditions\.when"):
        AdminRule(name="r", conditions={"when": []}, actions={"tags": ["x"]}).full_clean()
