"""Several `handoff work` processes share the queue: every stored message is processed once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import mail

RESULT = """
import json
from collections import Counter
from django_tasks_db.models import DBTaskResult
from handoff.mailin.models import RawMessage
from handoff.tickets.models import Conversation, Message
results = list(DBTaskResult.objects.exclude(task_path__endswith=".tick", status="READY")
               .values_list("status", "return_value", "worker_ids"))
print(json.dumps({
    "statuses": sorted(set(r[0] for r in results)),
    "failed": [
        (r.task_path, r.exception_class_path, r.traceback[-3000:])
        for r in DBTaskResult.objects.filter(status="FAILED")
    ],
    "recorded": sum(r[1]["processed"] if isinstance(r[1], dict) else r[1] or 0 for r in results),
    "workers": sorted({w for r in results for w in r[2]}),
    "raw_states": dict(Counter(RawMessage.objects.values_list("state", flat=True))),
    "messages": Message.objects.count(),
    "distinct_raws": Message.objects.values("raw_id").distinct().count(),
    "conversations": Conversation.objects.filter(merged_into=None).count(),
}))
"""

ENQUEUE_SINGLES = """
from handoff.mailin.models import RawMessage
from handoff.pipeline.tasks import process_imported
for pk in RawMessage.objects.values_list("pk", flat=True):
    process_imported.enqueue([pk])
"""


@pytest.mark.slow
def test_two_workers_process_1000_messages_each_exactly_once(
    make_scratch_env, tmp_path: Path
) -> None:
    env = make_scratch_env()
    for i in range(1000):
        thread, position = divmod(i, 4)  # 250 conversations of 4 messages
        parent = f"w{thread}-{position - 1}@c.example" if position else None
        (tmp_path / f"{i:04}.eml").write_bytes(
            mail(
                f"w{thread}-{position}@c.example",
                subject=f"Question {thread}",
                sender=f"client{thread}@c.example",
                in_reply_to=parent,
            )
        )
    handoff = [sys.executable, "-m", "handoff.cli"]
    summary = json.loads(
        subprocess.run(
            [*handoff, "import", "--background", "--json", str(tmp_path)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert summary["stored"] == 1000
    # The same messages once more, one task each: the workers race for every message.
    subprocess.run([*handoff, "shell", "--no-imports", "-c", ENQUEUE_SINGLES], env=env, check=True)
    workers = [
        subprocess.Popen(
            [*handoff, "work", "--batch", "--worker-id", f"w{n}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for n in (1, 2)
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=600)
        assert worker.returncode == 0, errors
    result = json.loads(
        subprocess.run(
            [*handoff, "shell", "--no-imports", "-c", RESULT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert result["statuses"] == ["SUCCESSFUL"], result["failed"]  # which job, and why
    assert result["recorded"] == 1000  # summed over every task: nothing recorded twice
    assert result["workers"] == ["w1", "w2"]  # both took their share
    assert result["raw_states"] == {"done": 1000}
    assert result["messages"] == result["distinct_raws"] == 1000
    assert result["conversations"] == 250
