"""What the conversation page shows of a message: the new text first, the rest folded."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

from handoff.lib.quotes import fold
from handoff.tickets.models import Attachment, Message
from handoff.triage.engine.labels import LANE_OF
from handoff.triage.models import Decision

# What a person may say a message is: "lane/category" (the form's value), and its label.
TRIAGE_CHOICES = [
    (f"{lane}/{category}", f"{lane} · {category}") for category, lane in LANE_OF.items()
]


@dataclass(frozen=True, slots=True)
class AttachmentView:
    attachment: Attachment
    downloadable: bool  # False above HANDOFF_MAX_ATTACHMENT_BYTES: kept in the raw message only


@dataclass(frozen=True, slots=True)
class MessageView:
    message: Message
    visible: str
    folded: str
    attachments: list[AttachmentView]
    decision: Decision | None = None  # inbound mail, once triaged
    choice: str = ""  # the decision as the correction form's value


def downloadable(attachment: Attachment) -> bool:
    return attachment.size <= settings.MAX_ATTACHMENT_BYTES


def message_view(message: Message) -> MessageView:
    folded = fold(message.text)
    attachments = [AttachmentView(a, downloadable(a)) for a in message.attachments.all()]
    # Nothing new in the message (a bare forward): show the folded part at once.
    visible, rest = (folded.visible, folded.folded) if folded.visible else (folded.folded, "")
    try:
        decision: Decision | None = message.triage
    except ObjectDoesNotExist:
        decision = None
    choice = f"{decision.lane}/{decision.category}" if decision else ""
    return MessageView(message, visible, rest, attachments, decision, choice)
