"""The demo's corrections: the head read the recent mail and corrected what the desk had
sorted wrong, through the desk's own correction (a label; the lane and the clocks follow;
the desk learns from it), so that the cockpit's sorting figures have something to say.
What each message really is, the demo knows: each recent conversation is one of its
scenarios, named by its first message's Message-ID."""

from __future__ import annotations

import re

from handoff.accounts.models import User
from handoff.demo.scenarios import SCENARIOS
from handoff.desk import actions
from handoff.tickets.models import Message
from handoff.triage.models import Decision

FIRST = re.compile(r"demo-(?P<seed>\d+)-(?P<index>\d+)-0@")  # a conversation's first message


def correct_recent(head_email: str, seed: int) -> int:
    """Correct the first message of each recent conversation the desk got wrong; how many.
    Running it again changes nothing (what was corrected is right)."""
    head = User.objects.filter(email=head_email).first()
    if head is None:
        return 0
    corrected = 0
    first_messages = Message.objects.filter(
        message_id__startswith=f"demo-{seed}-", direction=Message.Direction.IN
    ).select_related("triage")
    for message in first_messages.order_by("pk"):
        found = FIRST.match(message.message_id)
        if found is None:
            continue
        kind = SCENARIOS[int(found["index"]) % len(SCENARIOS)].kind
        if kind == "noise":
            continue  # the scenarios do not say which kind of noise
        lane = "founder" if kind == "founder" else "team"
        decision: Decision | None = getattr(message, "triage", None)
        if decision is None or (decision.lane, decision.category) == (lane, kind):
            continue
        actions.correct_triage(message, lane, kind, head)
        corrected += 1
    return corrected
