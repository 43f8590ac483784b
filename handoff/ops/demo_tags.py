"""The demo's tags: the head tagged some of the recent conversations by hand, as a team
does (``vip``, ``bug``, ``refund``...), and raised the priority of an angry one, so that
the inbox, the conversation page, search and the tags page show them."""

from __future__ import annotations

from handoff.accounts.models import User
from handoff.desk import actions
from handoff.tickets.models import Conversation

# Words of the subject (any of the demo's languages) -> the tag the head put on it.
WORDS = {
    "refund": ("refund", "rembours", "reembolso", "rückerstattung", "chargeback"),
    "bug": ("bug", "error", "erreur", "crash", "broken", "fehler", "ne marche", "doesn't work"),
    "enterprise": ("sso", "seats", "licences", "enterprise", "entreprise", "quote", "devis"),
    "feature-request": ("feature", "fonctionnalité", "would be nice", "suggestion", "idée"),
}
URGENT = ("urgent", "asap", "down", "en panne", "bloqué", "blocked")
RECENT = 300  # the latest conversations the head looked at


def tag_recent(head_email: str) -> int:
    """Tag the latest conversations whose subject says so; the number tagged. Running it
    again changes nothing (the same tags, the same priority)."""
    head = User.objects.filter(email=head_email).first()
    if head is None:
        return 0
    tagged = 0
    recent = Conversation.objects.filter(merged_into=None).order_by("-last_message_at")[:RECENT]
    for conversation in recent:
        subject = conversation.subject.lower()
        tags = [tag for tag, words in WORDS.items() if any(w in subject for w in words)]
        if tags and actions.set_tags(conversation, tags, head):
            tagged += 1
        if any(w in subject for w in URGENT):
            actions.set_priority(conversation, "urgent", head)
    return tagged
