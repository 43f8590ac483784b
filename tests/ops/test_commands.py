from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from handoff.accounts.models import User
from handoff.tickets.models import Conversation, Message
from tests.helpers import deliver, mail

pytestmark = pytest.mark.django_db


def test_user_add_reads_the_password_from_stdin(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", StringIO("a long passphrase here\n"))
    call_command("user", "add", "Sophie@Acme.example", "--role", "head", stdout=StringIO())
    user = User.objects.get(email="sophie@acme.example")
    assert user.role == "head"
    assert user.check_password("a long passphrase here")
    assert not user.is_staff


def test_user_add_refuses_weak_passwords_duplicates_and_bad_roles(monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin", StringIO("123\n"))
    with pytest.raises(CommandError, match="too short"):
        call_command("user", "add", "a@acme.example", "--role", "agent")
    User.objects.create_user("b@acme.example", "x" * 12)
    monkeypatch.setattr("sys.stdin", StringIO("a long passphrase here\n"))
    with pytest.raises(CommandError, match="already has a login"):
        call_command("user", "add", "b@acme.example", "--role", "agent")
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("user", "add", "c@acme.example", "--role", "boss")


def test_export_prints_one_object_a_line_with_every_field() -> None:
    deliver(
        mail("e1@c.example", subject="Devis agence"),
        mail("e2@c.example", in_reply_to="e1@c.example"),
    )
    out = StringIO()
    call_command("export", "messages", stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["message_id"] for r in rows] == ["<e1@c.example>", "<e2@c.example>"]
    assert set(rows[0]) == {
        "message_id",
        "ticket",
        "direction",
        "from",
        "subject",
        "received_at",
        "lane",
        "category",
        "language",
        "confidence",
        "assignee",
        "first_response_due",
        "status",
        "conversation_lane",
    }
    assert rows[0]["ticket"] == rows[1]["ticket"]
    assert rows[0]["from"] == "ana@client.example"
    assert rows[0]["status"] == "new"


def test_demo_fills_a_bilingual_desk_through_the_pipeline() -> None:
    call_command("demo", "--tickets", "30", stdout=StringIO())
    assert User.objects.filter(role="founder").exists()
    assert Conversation.objects.filter(merged_into=None).count() >= 25
    texts = " ".join(Message.objects.values_list("text", flat=True))
    assert "Bonjour" in texts
    assert "Hello" in texts or "Hi " in texts
    assert Message.objects.filter(direction="out").exists()  # the team's replies
    assert Message.objects.filter(attachments__filename="export.log").exists()
    assert Conversation.objects.filter(message_count__gte=3).exists()
    call_command("demo", "--tickets", "30", stdout=StringIO())  # idempotent
    assert Message.objects.count() == len(set(Message.objects.values_list("message_id", flat=True)))


def test_serve_migrates_fills_the_demo_and_answers(make_scratch_env) -> None:
    env = make_scratch_env()
    port = 18000 + int(time.time()) % 1000
    process = subprocess.Popen(
        [sys.executable, "-m", "handoff.cli", "serve", "--demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login/", timeout=2
                ) as response:
                    assert response.status == 200
                    assert b"password" in response.read()
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0].decode()
    assert "log in as sophie@acme-reports.example" in output


def test_import_triages_and_routes_so_the_export_is_filled(tmp_path) -> None:
    (tmp_path / "a.eml").write_bytes(
        mail(
            "x1@c.example",
            subject="Combien coûte l'offre agence ?",
            body="Bonjour, nous sommes une agence de 12 personnes. Quel est votre tarif pour 40 clients ? Merci.",
            date=timezone.now() - timedelta(days=1),  # recent: the team's work, not history
        )
    )
    call_command("import", str(tmp_path), "--json", stdout=StringIO())
    out = StringIO()
    call_command("export", "messages", stdout=out)
    [row] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert row["lane"] == "team"
    assert row["language"] == "fr"
    assert row["category"] in {"presales", "support", "billing", "bug", "feedback"}
    assert 0 < row["confidence"] <= 1
    assert row["first_response_due"] is not None  # the default policies ship with the desk
