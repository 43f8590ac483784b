"""Rate limits on everything the desk sends on its own (never on a person's reply)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from handoff.mailout.models import Outgoing


def over_limit(*, conversation_id: int | None, recipient: str, now: datetime) -> str:
    """Why one more automatic message would be one too many ("" when it may go)."""
    sent = Outgoing.objects.filter(automatic=True).exclude(state=Outgoing.State.HELD)
    for scope, count, seconds in settings.AUTOSEND_WINDOWS:
        window = sent.filter(created_at__gt=now - timedelta(seconds=seconds))
        if scope == "conversation":
            if conversation_id is None:
                continue
            window = window.filter(conversation_id=conversation_id)
        elif scope == "recipient":
            window = window.filter(recipient=recipient)
        if window.count() >= count:
            return f"{scope} limit: {count} automatic messages in {seconds} s"
    return ""
