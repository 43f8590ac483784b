"""Background jobs of triage (run by `handoff work`)."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from handoff.triage import learning


@task()
def retrain() -> dict[str, Any]:
    """Learn from the labels and corrections; the new model replaces the active one only
    if it scores at least as well on the held-back history."""
    trained = learning.train()
    found = learning.describe(trained.version) if trained.version else {}
    return {"accepted": trained.accepted, "reason": trained.reason, **found}
