"""What the conversation page shows of a message: the new text first, the rest folded."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from handoff.lib.quotes import fold
from handoff.tickets.models import Attachment, Message


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


def downloadable(attachment: Attachment) -> bool:
    return attachment.size <= settings.MAX_ATTACHMENT_BYTES


def message_view(message: Message) -> MessageView:
    folded = fold(message.text)
    attachments = [AttachmentView(a, downloadable(a)) for a in message.attachments.all()]
    # Nothing new in the message (a bare forward): show the folded part at once.
    visible, rest = (folded.visible, folded.folded) if folded.visible else (folded.folded, "")
    return MessageView(message, visible, rest, attachments)
