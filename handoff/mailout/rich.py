"""A team notification with an HTML version beside its text (the cockpit's weekly digest):
the same outbox row ``notify_team`` writes, its HTML stored with it, sent as one
multipart/alternative message by the same worker job."""

from __future__ import annotations

from django.db import transaction

from handoff.accounts.models import User
from handoff.mailout.compose import HTML_BODY
from handoff.mailout.models import Outgoing, OutgoingAttachment
from handoff.mailout.outbox import notify_team


def notify_team_html(user: User, subject: str, text: str, html: str) -> Outgoing:
    # One transaction: the worker's job starts on commit, when the HTML is stored too.
    with transaction.atomic():
        outgoing = notify_team(user, subject, text, None)
        OutgoingAttachment.objects.create(
            outgoing=outgoing, filename="", content_type=HTML_BODY, data=html.encode()
        )
    return outgoing
