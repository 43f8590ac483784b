"""The noise audit's read (``lanes.founder_scored``): every writer keeps a decision's founder
score beside its scores, and the database answers the audit from its own index."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from handoff.triage import lanes
from handoff.triage.models import Decision
from handoff.triage.pipeline import triage
from tests.helpers import deliver
from tests.triage.conftest import customer_mail

pytestmark = pytest.mark.django_db


def test_the_pipeline_keeps_the_founder_score_beside_the_scores() -> None:
    (message,) = deliver(customer_mail("Could you send me a quote for 40 seats?"))
    triage([message.pk])
    decision = Decision.objects.get(message=message)
    assert decision.layer == "classifier"
    assert decision.founder_score is not None
    assert decision.founder_score == decision.scores["founder"]


def test_the_audit_reads_its_partial_index() -> None:
    """What made the noise queue slow on a million messages (0.4 s): SQLite went through a
    month of messages by arrival, as it could not rely on an index on the JSON score."""
    now = timezone.now()
    audit = lanes.founder_scored(now - timedelta(days=30), now)
    if connection.vendor == "postgresql":
        # A test database is too small for the planner to prefer an index: forbid the
        # table scan, and the index must still serve (its conditions are the query's).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plan = audit.explain()
    else:
        plan = audit.explain()
    assert "noise_audit" in plan
