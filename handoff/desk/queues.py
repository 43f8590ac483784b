"""The desk's views of its conversations: mine, unassigned, due soon, snoozed, the
founder's lane, the unsure mail, the month's noise (for the head to find a customer's mail
the desk took for spam, bulk, a bounce or an auto-reply; first what the classifier thought
might be the founder's, ``?founder=1`` for those alone). Each is a filter and an order over
what the person may see, served by the routing clock's indexes (``routing.models.Clock``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, F, FloatField, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from handoff.accounts.models import User
from handoff.desk.access import HEADS, Viewer
from handoff.routing.models import Notification
from handoff.tickets.models import Conversation
from handoff.triage.lanes import NOISE, founder_lane, founder_scored_between
from handoff.triage.models import Decision

DUE_SOON = timedelta(hours=4)  # a shift's worth of "what must be answered next"
NOISE_AUDIT = timedelta(days=30)  # the noise the head looks through for a customer's mail
MOST_SCORED = 200  # founder-scored conversations put first in it


@dataclass(frozen=True, slots=True)
class Queue:
    key: str
    title: str | Promise
    heads_only: bool = False
    founder_lane: bool = False

    def allowed(self, user: Viewer) -> bool:
        if not isinstance(user, User):
            return False
        if self.heads_only:
            return user.role in HEADS
        return user.sees_founder_lane if self.founder_lane else True


QUEUES = {
    q.key: q
    for q in (
        Queue("mine", _("Mine")),
        Queue("unassigned", _("Unassigned")),
        Queue("due", _("Due soon")),
        Queue("snoozed", _("Snoozed")),
        Queue("founder", _("Founder lane"), founder_lane=True),
        Queue("triage", _("Needs triage"), heads_only=True),
        # The head's audit; the founder's too, whose digest links to the founder-scored part.
        Queue("noise", _("Noise"), founder_lane=True),
    )
}


def queues_for(user: Viewer) -> list[Queue]:
    return [q for q in QUEUES.values() if q.allowed(user)]


def context(request: HttpRequest) -> dict[str, object]:
    """The queues of the person browsing, for every page's navigation, and how many things
    the desk told them that they have not seen ("For you")."""
    user = getattr(request, "user", None)
    if user is None:  # refused before the session was read (a host the desk does not serve)
        return {"desk_queues": [], "for_you": 0}
    unread = 0
    if isinstance(user, User):
        unread = Notification.objects.filter(user=user, read_at=None).count()
    return {"desk_queues": queues_for(user), "for_you": unread}


def chosen(key: str, user: Viewer) -> Queue | None:
    """The queue asked for, if this person has it (another's is ignored, not an error)."""
    queue = QUEUES.get(key)
    return queue if queue is not None and queue.allowed(user) else None


def apply(
    queue: Queue | None,
    conversations: QuerySet[Conversation],
    user: User,
    *,
    founder_only: bool = False,
) -> QuerySet[Conversation]:
    """``conversations`` (what ``user`` may see) narrowed and ordered for ``queue``;
    ``founder_only``: in the noise queue, only the founder-scored mail."""
    latest = ("-last_message_at", "-pk")
    if queue is None:
        return conversations.order_by(*latest)
    # Open and awake: a snoozed conversation comes back by itself when its time is up.
    open_ = conversations.filter(clock__is_open=True).exclude(
        clock__snoozed_until__gt=timezone.now()
    )
    earliest = F("clock__earliest_due").asc(nulls_last=True)
    if queue.key == "mine":
        return open_.filter(clock__assignee=user).order_by(earliest, *latest)
    if queue.key == "unassigned":
        return open_.filter(clock__assignee=None, clock__routed=True).order_by(earliest, *latest)
    if queue.key == "due":
        soon = timezone.now() + DUE_SOON
        due = F("clock__respond_by").asc()
        return open_.filter(clock__respond_by__lte=soon).order_by(due, *latest)
    if queue.key == "snoozed":
        waking = F("clock__snoozed_until").asc()
        return conversations.filter(clock__snoozed_until__gt=timezone.now()).order_by(waking)
    if queue.key == "founder":
        return conversations.filter(founder_lane()).order_by(*latest)
    if queue.key == "noise":
        now = timezone.now()
        recent = now - NOISE_AUDIT
        noise = conversations.filter(lane__lane=NOISE, last_message_at__gte=recent)
        # What the classifier thought might be the founder's comes first, the likeliest
        # first: the few such conversations read once, from an index of the noise
        # decisions' founder scores (a score per conversation in the queue was 0.45 s on
        # PostgreSQL with a month of a million messages' noise).
        found = founder_scored_between(recent, now + timedelta(minutes=1))[:MOST_SCORED]
        scores = [When(pk=pk, then=Value(score)) for pk, _subject, score in found]
        noise = noise.annotate(
            founder_score=Case(*scores, default=Value(None), output_field=FloatField())
        )
        if founder_only:
            noise = noise.filter(pk__in=[pk for pk, _subject, _score in found])
        scored = F("founder_score").desc(nulls_last=True)
        return noise.select_related("lane").order_by(scored, *latest)
    # From the few unsure decisions (a partial index) to their conversations: not a test
    # of every conversation's messages (0.4 s on 100,000 conversations).
    unsure = Decision.objects.filter(needs_triage=True).values("message__conversation_id")
    # What is still open first: its category still decides who answers and by when; a
    # solved one's only teaches the desk.
    still_open = F("clock__is_open").desc(nulls_last=True)
    return conversations.filter(pk__in=unsure).order_by(still_open, *latest)
