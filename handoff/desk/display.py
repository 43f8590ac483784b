"""What the conversation page shows of a message: the new text first, the rest folded."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    When,
)
from django.db.models.functions import Length, Substr

from handoff.lib.quotes import fold
from handoff.tickets.models import Attachment, Conversation, Message
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
    length: int = 0  # characters of the whole text
    cut: bool = False  # only its first HANDOFF_BODY_SHOW_CHARS shown: "Show all"
    html_cut: bool = False  # its frame shows the first HANDOFF_HTML_SHOW_CHARS: "Show all"
    remote_images: bool = False  # its HTML has http(s) images: "Load remote images"
    images_on: bool = False  # ... and the reader asked for them
    frame_query: str = ""  # the frame's ?images=1&all=1


# An image the browser would fetch from the sender; the sanitiser decides for certain, this
# only says whether to offer "Load remote images" (a miss hides the link, no more).
_REMOTE_IMAGE = "<img(?:\\s[^>]*)?\\ssrc\\s*=\\s*[\"']?\\s*https?:"


def page_messages(conversation: Conversation, whole: int | None) -> QuerySet[Message]:
    """A conversation's messages as its page shows them, in one query: each text cut at
    ``HANDOFF_BODY_SHOW_CHARS`` by the database (a 10 MB message never reaches the page),
    but message ``whole``'s; the HTML's length and whether it has remote images, not the
    HTML itself (its frame fetches it)."""
    limit = settings.BODY_SHOW_CHARS
    shown: Substr | Case = Substr("text", 1, limit)
    if whole is not None:
        shown = Case(When(pk=whole, then=F("text")), default=shown, output_field=TextField())
    return (
        conversation.messages.defer("html", "headers", "text")
        .annotate(
            html_length=Length("html"),
            text_length=Length("text"),
            shown_text=shown,
            remote_images=ExpressionWrapper(
                Q(html__iregex=_REMOTE_IMAGE), output_field=BooleanField()
            ),
        )
        .select_related("triage")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("part")))
    )


def downloadable(attachment: Attachment) -> bool:
    return attachment.size <= settings.MAX_ATTACHMENT_BYTES


def message_view(
    message: Message, whole: int | None = None, images: int | None = None
) -> MessageView:
    """What the page shows of a message from ``page_messages``; ``whole``, ``images``: the
    message the reader asked to see whole, with its remote images."""
    text: str = message.shown_text  # type: ignore[attr-defined]
    length: int = message.text_length  # type: ignore[attr-defined]
    folded = fold(text)
    attachments = [AttachmentView(a, downloadable(a)) for a in message.attachments.all()]
    # Nothing new in the message (a bare forward): show the folded part at once.
    visible, rest = (folded.visible, folded.folded) if folded.visible else (folded.folded, "")
    try:
        decision: Decision | None = message.triage
    except ObjectDoesNotExist:
        decision = None
    choice = f"{decision.lane}/{decision.category}" if decision else ""
    html_length: int = message.html_length  # type: ignore[attr-defined]
    html_cut = html_length > settings.HTML_SHOW_CHARS and whole != message.pk
    remote = bool(message.remote_images)  # type: ignore[attr-defined]
    images_on = remote and images == message.pk
    query = "&".join(
        (["images=1"] if images_on else [])
        + (["all=1"] if whole == message.pk and html_length > settings.HTML_SHOW_CHARS else [])
    )
    return MessageView(
        message,
        visible,
        rest,
        attachments,
        decision,
        choice,
        length=length,
        cut=len(text) < length,
        html_cut=html_cut,
        remote_images=remote,
        images_on=images_on,
        frame_query=f"?{query}" if query else "",
    )
