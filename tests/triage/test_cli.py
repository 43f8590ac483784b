"""`handoff triage train|eval|run` on a small labelled part of the public founder mailbox."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from handoff.tickets.models import Message
from handoff.triage.models import Decision, FounderContact, Label, ModelVersion

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("triage", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_train_imports_labels_and_trains_then_eval_scores(
    labelled_subset: Callable[..., Path],
) -> None:
    history = labelled_subset("history", 40)
    result = run("train", "--labels", str(history / "labels.csv"), str(history / "msgs"))
    assert result["imported"]["stored"] == 120
    assert result["labels"] == {"labels": 120, "stored": 120, "missing": 0}
    assert result["model"]["examples"] + result["model"]["held_back"] == 120
    assert Label.objects.filter(source="import").count() == 120
    # The labelled history is decided by its labels.
    assert Decision.objects.filter(layer="label").count() == 120
    assert not Decision.objects.exclude(received_at=F("message__received_at")).exists()
    assert ModelVersion.objects.filter(kind="desk").count() == 1

    fresh = labelled_subset("fresh", 10, skip=40)
    report = run("eval", "--labels", str(fresh / "labels.csv"), str(fresh / "msgs"))
    assert report["imported"]["stored"] == 30
    assert (report["messages"], report["missing"]) == (30, 0)
    assert set(report) >= {
        "lane_accuracy",
        "founder",
        "classes",
        "team_macro_f1",
        "languages",
        "language_accuracy",
    }
    assert set(report["founder"]) >= {"recall", "precision", "share", "true_share"}
    assert report["lane_accuracy"] >= 0.8
    # eval writes no label; the imported messages are triaged as any import's are.
    assert Label.objects.count() == 120
    assert Decision.objects.count() == Message.objects.count() == 150


def test_run_triages_what_has_no_decision(labelled_subset: Callable[..., Path]) -> None:
    folder = labelled_subset("some", 2)
    call_command("import", str(folder / "msgs"), "--json", stdout=StringIO())
    Decision.objects.all().delete()
    assert run("run")["triaged"] == 6
    assert run("run")["triaged"] == 0
    assert run("run", "--all")["triaged"] == 6


def test_a_bad_labels_file_is_a_clear_error(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("file,message_id,lane,category\n1.eml,<a@b>,founder,billing\n")
    with pytest.raises(CommandError, match=r"labels.csv:2: founder/billing"):
        call_command("triage", "eval", "--labels", str(labels))
    labels.write_text("file,lane\n")
    with pytest.raises(CommandError, match="missing columns category, message_id"):
        call_command("triage", "train", "--labels", str(labels))


def test_status_says_what_the_desk_has_learnt(labelled_subset: Callable[..., Path]) -> None:
    fresh = run("status")
    assert fresh["model"] is None
    assert fresh["last_training"] is None
    assert fresh["labels"] == {"messages": 0, "per_class": {}, "corrections": 0, "imported": 0}

    history = labelled_subset("history", 10)
    run("train", "--labels", str(history / "labels.csv"), str(history / "msgs"))
    FounderContact.objects.create(address="ana@partner.example")
    message = Message.objects.order_by("pk").first()
    assert message is not None
    run("correct", f"<{message.message_id}>", "team", "billing")

    found = run("status")
    labels = found["labels"]
    assert (labels["messages"], labels["imported"], labels["corrections"]) == (30, 30, 1)
    assert sum(labels["per_class"].values()) == 30  # the latest label of each message
    assert labels["per_class"]["founder"] >= 9
    assert labels["per_class"]["billing"] >= 1
    assert found["founder"] == {"contacts": 1, "rules": {"person": 0, "domain": 0}}
    model, last = found["model"], found["last_training"]
    assert model["kind"] == "desk"
    assert model["version"] == last["version"]
    assert model["examples"] + model["held_back"] == 30
    assert last["accepted"] is True
    assert last["reason"]
    assert last["untouched"] == 0  # every message it had was labelled
    assert found["trainings"] == 1
