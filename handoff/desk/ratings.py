"""Customers rate the answers they get: signed links at the foot of each reply, and the one
function that records a rating (the Rating row and the conversation's timeline).

How a link names the reply it rates. The outbox gives a reply its Message-ID (and its
outbox row its id) only when it writes the row, and by then the text, footer included, is
final and its bytes are stored: nothing the outbox makes can be in the text it sends. So
the desk draws a random key first, puts it in the three links, and a link finds its reply
through the outbox row whose text carries that key, among the replies of the conversation
the link names (an indexed, short list). That row never leaves its conversation, even when
a person merges it into another (its messages move), and its ``record`` is the reply's own
copy on the conversation, the Message rated.

A link is ``<conversation>-<key>-<score>-<language>``, signed with a timestamp by Django's
``TimestampSigner`` (so it expires, HANDOFF_RATING_LINK_DAYS), in URL-safe characters only,
so that no mail client cuts or re-encodes it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from handoff.desk.models import Rating
from handoff.mailout.models import Outgoing
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event, Message
from handoff.triage.lanes import FOUNDER, lanes_for

SALT = "handoff.desk.ratings"
COMMENT_CHARS = 2_000
SCORES = tuple(Rating.Score.values)  # good, okay, bad: the order of the footer

# The footer is part of the mail as sent and stored (bytes first): its words are fixed here,
# like the acknowledgements', not looked up in the desk's translations at sending time.
FOOTERS = {
    "en": ("How did we do?", {"good": "Good", "okay": "Okay", "bad": "Bad"}, ": "),
    "fr": (
        "Notre réponse vous a-t-elle aidé ?",
        {"good": "Bien", "okay": "Moyen", "bad": "Mal"},
        " : ",
    ),
}
DEFAULT_LANGUAGE = "en"

_LINK = re.compile(
    r"(?P<conversation>[0-9]{1,18})-(?P<key>[0-9a-f]{16})-(?P<score>[a-z]+)-(?P<language>[a-z]{2})"
)


class BadLink(ValueError):
    """Not a link the desk signed (forged, cut or mistyped)."""


class ExpiredLink(BadLink):
    """A link the desk signed, older than HANDOFF_RATING_LINK_DAYS."""

    def __init__(self, language: str) -> None:
        super().__init__("expired rating link")
        self.language = language


@dataclass(frozen=True, slots=True)
class Link:
    conversation_id: int
    key: str  # the reply's random key, in its text
    score: str
    language: str


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT, sep=".")


def token_for(link: Link) -> str:
    return _signer().sign(f"{link.conversation_id}-{link.key}-{link.score}-{link.language}")


def url_for(link: Link) -> str:
    return f"{settings.PUBLIC_URL}{reverse('desk:rate', args=[token_for(link)])}"


def with_footer(conversation: Conversation, text: str) -> str:
    """The reply's text with the rating links at its foot, in the customer's language.

    Unchanged when HANDOFF_RATING_LINKS is off, when the text is empty (the outbox refuses
    it as such), and in the founder's lane: an investor, a board member or a lawyer is not
    asked to rate the answer."""
    if not settings.RATING_LINKS or not text.strip():
        return text
    lane = lanes_for([conversation.pk]).get(conversation.pk)
    if lane is not None and lane.lane == FOUNDER:
        return text
    language = lane.language if lane and lane.language in FOOTERS else DEFAULT_LANGUAGE
    question, labels, colon = FOOTERS[language]
    key = secrets.token_hex(8)
    choices = " · ".join(
        f"{labels[score]}{colon}{url_for(Link(conversation.pk, key, score, language))}"
        for score in SCORES
    )
    # "-- " opens a signature: clients set it apart, and most leave it out of a quote.
    return f"{text.rstrip()}\n\n-- \n{question} {choices}\n"


def read(token: str) -> Link:
    """The link a token signs. Raises ExpiredLink (with the link's language, for the page
    that says so) or BadLink."""
    signer = _signer()
    try:
        value = signer.unsign(token, max_age=timedelta(days=settings.RATING_LINK_DAYS))
    except signing.SignatureExpired:
        expired = _parse(signer.unsign(token))
        raise ExpiredLink(expired.language) from None
    except signing.BadSignature:
        raise BadLink("not a rating link of this desk") from None
    return _parse(value)


def _parse(value: str) -> Link:
    found = _LINK.fullmatch(value)
    if found is None or found["score"] not in SCORES or found["language"] not in FOOTERS:
        raise BadLink("not a rating link of this desk")
    return Link(int(found["conversation"]), found["key"], found["score"], found["language"])


def reply_of(link: Link) -> Message | None:
    """The Message the link rates; None when its reply is gone (or was never recorded)."""
    outgoing = (
        Outgoing.objects.filter(
            conversation_id=link.conversation_id,
            kind=Outgoing.Kind.REPLY,
            text__contains=link.key,
        )
        .select_related("record__conversation")
        .order_by("pk")  # the reply that drew the key, should a later one quote its footer
        .first()
    )
    return outgoing.record if outgoing else None


def current(reply: Message) -> Rating | None:
    return Rating.objects.filter(reply=reply).first()


def rate(reply: Message, score: str, comment: str = "") -> Rating:
    """The customer's rating of ``reply``: one per reply, the latest wins (score, comment and
    time), and a RATED entry on the timeline of the conversation the reply is on now. The
    comment is plain text, kept as written. Raises ValueError for a score that is not one
    or a comment longer than COMMENT_CHARS."""
    comment = comment.strip()
    if score not in SCORES:
        raise ValueError(f"not a score: {score}")
    if len(comment) > COMMENT_CHARS:
        raise ValueError(f"a comment of more than {COMMENT_CHARS} characters")
    now = timezone.now()
    with transaction.atomic():
        rating, _created = Rating.objects.update_or_create(
            reply=reply,
            defaults={
                "conversation_id": reply.conversation_id,
                "score": score,
                "comment": comment,
                "at": now,
            },
        )
        timeline.append(
            reply.conversation_id,
            Event.Kind.RATED,
            at=now,
            message=reply,
            score=score,
            comment=comment,
        )
    return rating
