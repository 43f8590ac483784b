from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from handoff.mailin.models import RawMessage
from handoff.tickets.models import Message
from tests.helpers import mail

pytestmark = pytest.mark.django_db

CORPUS_FOLDERS = (
    "spamassassin",
    "sisimai_set_of_emails/maildir",
    "sisimai_set_of_emails/mailbox",
    "mikel_mail/spec/fixtures/emails",
)


def run_import(*paths: str | Path) -> tuple[dict[str, int], str]:
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, paths), "--json", stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


@pytest.mark.slow
def test_the_corpora_lose_nothing_and_a_second_import_stores_nothing(corpora: Path) -> None:
    paths = [corpora / folder for folder in CORPUS_FOLDERS]
    first, errors = run_import(*paths)
    assert first["read"] == first["stored"] + first["duplicates"]
    assert first["stored"] == RawMessage.objects.count()
    # Every stored message was parsed, threaded and recorded; none waits in failure.
    assert RawMessage.objects.exclude(state=RawMessage.State.DONE).count() == 0
    assert Message.objects.count() == first["stored"]
    # What was rejected is named, with its reason: licences, READMEs, empty files...
    assert first["rejected"] == errors.count("rejected ")
    assert "size-0: empty file" in errors
    assert first["rejected"] < 20

    second, _ = run_import(*paths)
    assert second["read"] == first["read"]
    assert second["stored"] == 0
    assert second["duplicates"] == second["read"]

    export = StringIO()
    call_command("export", "messages", stdout=export)
    lines = [json.loads(line) for line in export.getvalue().splitlines()]
    assert len(lines) == first["stored"]
    assert {line["message_id"] for line in lines} == {
        f"<{message_id}>" for message_id in RawMessage.objects.values_list("message_id", flat=True)
    }


def test_bad_files_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.eml").write_bytes(mail("good@c.example"))
    (tmp_path / "empty.eml").write_bytes(b"")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "notes.txt").write_text("Shopping list\n\neggs\n")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "empty.mbox").write_bytes(b"From nobody Mon Jan  1 00:00:00 2026\n")
    summary, errors = run_import(tmp_path, tmp_path / "missing.eml")
    assert summary["read"] == 1
    assert summary["stored"] == 1
    assert summary["rejected"] == 6
    for reason in (
        "empty.eml: empty file",
        "picture.png: binary file, not mail",
        "notes.txt: does not start with a mail header",
        "dangling: not a regular file",
        "missing.eml: no such file or directory",
    ):
        assert reason in errors


def test_mbox_and_maildir(tmp_path: Path) -> None:
    mbox = tmp_path / "archive.mbox"
    mbox.write_bytes(
        b"From a@c.example Mon Jan  1 00:00:00 2026\n"
        + mail("m1@c.example", body=">From the start, escaped as mbox writers do")
        + b"\nFrom b@c.example Mon Jan  1 00:00:00 2026\n"
        + mail("m2@c.example")
    )
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1.eml").write_bytes(mail("m3@c.example"))
    (maildir / "tmp" / "half").write_bytes(b"From: half-written")
    summary, _ = run_import(mbox, maildir)
    assert summary["stored"] == 3
    assert summary["rejected"] == 0
    first = Message.objects.get(message_id="m1@c.example")
    assert first.text.startswith("From the start, escaped")


def test_a_message_that_fails_processing_waits_in_quarantine(monkeypatch, tmp_path: Path) -> None:
    from handoff.tickets import ingest

    original = ingest._add

    def explode(item, *args):
        if item.message.message_id == "bad@c.example":
            raise RuntimeError("boom")
        return original(item, *args)

    monkeypatch.setattr(ingest, "_add", explode)
    (tmp_path / "a.eml").write_bytes(mail("bad@c.example"))
    (tmp_path / "b.eml").write_bytes(mail("good@c.example"))
    summary, _ = run_import(tmp_path, "--jobs", "1")
    assert summary["stored"] == 2
    assert summary["quarantined"] == 1
    failed = RawMessage.objects.get(message_id="bad@c.example")
    assert failed.state == RawMessage.State.FAILED
    assert failed.error == "RuntimeError: boom"
    assert Message.objects.filter(message_id="good@c.example").exists()

    # Once the cause is fixed, the kept bytes go through the pipeline again.
    monkeypatch.setattr(ingest, "_add", original)
    out = StringIO()
    call_command("reprocess", "--all-failed", stdout=out)
    assert out.getvalue().strip() == "1 processed, 0 failed again"
    failed.refresh_from_db()
    assert failed.state == RawMessage.State.DONE
    assert Message.objects.filter(message_id="bad@c.example").exists()


def _state(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json\n"
        "from handoff.mailin.models import RawMessage\n"
        "from handoff.tickets.models import Message\n"
        "groups = {}\n"
        "for mid, conv in Message.objects.values_list('message_id', 'conversation_id'):\n"
        "    groups.setdefault(conv, []).append(mid)\n"
        "print(json.dumps({'raw': RawMessage.objects.count(),\n"
        "  'states': sorted(set(RawMessage.objects.values_list('state', flat=True))),\n"
        "  'messages': Message.objects.count(),\n"
        "  'threads': sorted(sorted(g) for g in groups.values())}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "handoff.cli", "shell", "--no-imports", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


@pytest.mark.slow
def test_sigkill_at_any_moment_then_rerun_gives_the_state_of_one_run(
    corpora: Path, make_scratch_env
) -> None:
    scratch_env = make_scratch_env()
    source = str(corpora / "spamassassin" / "easy_ham")
    handoff = [sys.executable, "-m", "handoff.cli", "import", "--json", source]
    for delay in (1.2, 2.4, 0.6, 3.0):
        process = subprocess.Popen(
            handoff,
            env=scratch_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the parser pool dies with it
        process.wait()
    subprocess.run(handoff, env=scratch_env, check=True, capture_output=True)
    interrupted = _state(scratch_env)

    clean_env = make_scratch_env()
    subprocess.run(handoff, env=clean_env, check=True, capture_output=True)
    assert interrupted == _state(clean_env)
    assert interrupted["states"] == ["done"]
