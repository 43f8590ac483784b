"""What the conversation page shows of a message: the new text first, the rest folded."""

from __future__ import annotations

from dataclasses import dataclass

from handoff.lib.quotes import fold
from handoff.tickets.models import Attachment, Message


@dataclass(frozen=True, slots=True)
class MessageView:
    message: Message
    visible: str
    folded: str
    attachments: list[Attachment]


def message_view(message: Message) -> MessageView:
    folded = fold(message.text)
    return MessageView(message, folded.visible, folded.folded, list(message.attachments.all()))
