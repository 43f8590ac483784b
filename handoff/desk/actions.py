"""What a person does to a conversation: one function per operation, called by every door
(the web views, the command line, bulk actions). Each calls the lower layers in one order
and leaves the conversation's timeline, lane and clocks consistent.

Permissions are the caller's: a view fetches the conversation with ``access_conversation``
(404 when denied) before calling here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from handoff.accounts.models import Role, User
from handoff.desk import ratings
from handoff.mailout.models import Outgoing
from handoff.mailout.outbox import Upload, queue_reply, undo_reply
from handoff.pipeline.process import record_copy
from handoff.pipeline.tasks import deliver_reply
from handoff.routing import actions as routing
from handoff.routing import notify
from handoff.routing.models import Clock, Notification
from handoff.tickets import changes, timeline
from handoff.tickets.models import Conversation, Event, Message
from handoff.triage import lanes, learning
from handoff.triage.models import ConversationLane, Decision


def reply(
    conversation: Conversation,
    author: User,
    text: str,
    uploads: Sequence[Upload] = (),
    *,
    then: str | None = None,
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    undo: int = 0,
) -> Outgoing:
    """Answer the customer: into the outbox, then through the pipeline like any mail (on the
    conversation, triaged as sent, the first-response clock stopped). The rating links go at
    its foot (see ``ratings``: the outbox knows nothing of them). ``then``: the status it
    leaves (waiting on the customer, open, solved; unchanged if None). A team member who
    answers a conversation nobody holds takes it (the founder answering does not: the team
    keeps it). Raises CannotSend."""
    if then is not None and then not in Conversation.Status.values:
        raise ValueError(f"not a status: {then!r}")
    with transaction.atomic():
        typed = text
        if author.signature.strip() and text.strip():
            text = f"{text.rstrip()}\n\n-- \n{author.signature.strip()}"
        body = ratings.with_footer(conversation, text)
        queued = queue_reply(
            conversation, author, body, uploads, cc=cc, bcc=bcc, typed=typed, undo=undo
        )
        if queued.waiting:
            pk, due = queued.outgoing.pk, queued.outgoing.next_attempt_at
            transaction.on_commit(lambda: _deliver_later(pk, due))
        else:
            record_copy(queued)
    if (
        author.role != Role.FOUNDER
        and Clock.objects.filter(
            pk=conversation.pk, routed=True, assignee=None, lane="team"
        ).exists()
    ):
        routing.assign(conversation.pk, author.pk, actor_id=author.pk)
    if then is not None:
        set_status(conversation, then, author)
    return queued.outgoing


def note(conversation: Conversation, text: str, actor: User) -> Event:
    """A note for the team; the customer never sees it. Raises ValueError when empty or long."""
    return changes.add_note(conversation, text, actor_id=actor.pk)


def assign(conversation: Conversation, assignee: User | None, actor: User) -> None:
    """Give the conversation to a person (who may read it: the caller checks), or back to
    the queue with ``None``. Someone given it by another is told: in the desk ("For you"),
    and by email when they asked for it."""
    routing.assign(conversation.pk, assignee.pk if assignee else None, actor_id=actor.pk)
    if assignee is None or assignee.pk == actor.pk:
        return
    now = timezone.now()
    with translation.override(assignee.language or settings.LANGUAGE_CODE):
        text = _("%(actor)s gave you #%(number)s “%(subject)s”.") % {
            "actor": actor,
            "number": conversation.pk,
            "subject": conversation.subject or _("(no subject)"),
        }
    (told,) = notify.notify(Notification.Kind.ASSIGNED, [assignee.pk], text, now, conversation.pk)
    if not assignee.mail_when_assigned:
        Notification.objects.filter(pk=told.pk).update(sent_at=now)  # the desk only


def set_status(conversation: Conversation, status: str, actor: User) -> bool:
    """Solve, wait on the customer, or reopen: the clocks stop or run again at once."""
    changed = changes.set_status(conversation, status, actor_id=actor.pk)
    if changed:
        routing.route([conversation.pk])
    return changed


def set_tags(conversation: Conversation, tags: Sequence[str], actor: User) -> bool:
    """The conversation's tags, the whole list (kept from then on whatever rules say, and
    routing's rules see them at once); False when nothing changed."""
    wanted = sorted(dict.fromkeys(tags))
    with transaction.atomic():
        before = lanes.choose(conversation.pk, tags=wanted)
        if before is not None:
            timeline.append(
                conversation.pk,
                Event.Kind.TAGGED,
                actor_id=actor.pk,
                added=[t for t in wanted if t not in before[0]],
                removed=[t for t in before[0] if t not in wanted],
            )
    if before is not None:
        routing.route([conversation.pk])
    return before is not None


def add_tag(conversation: Conversation, tag: str, actor: User) -> bool:
    """One tag more (a bulk action): the tags it has, and this one."""
    current = ConversationLane.objects.filter(pk=conversation.pk).values_list("tags", flat=True)
    return set_tags(conversation, [*(current.first() or []), tag], actor)


def set_priority(conversation: Conversation, priority: str, actor: User) -> bool:
    """Low, normal, high, urgent (or none): kept from then on; routing sees it at once.
    Raises ValueError for anything else; False when nothing changed."""
    with transaction.atomic():
        before = lanes.choose(conversation.pk, priority=priority)
        if before is not None:
            timeline.append(conversation.pk, Event.Kind.PRIORITY, actor_id=actor.pk, to=priority)
    if before is not None:
        routing.route([conversation.pk])
    return before is not None


def snooze(conversation: Conversation, until: datetime, actor: User) -> None:
    """Out of the queues, clocks paused, until ``until`` or until the customer writes."""
    routing.snooze(conversation.pk, until, actor_id=actor.pk)


def merge(source: Conversation, into: Conversation, actor: User) -> None:
    """Join ``source`` into ``into`` (raises ValueError if they are one, or one was merged
    meanwhile): its messages move, its lane joins the target's, its clocks stop."""
    with transaction.atomic():
        changes.merge(source, into, actor_id=actor.pk)
        lanes.refresh([into.pk])
    routing.route([source.pk, into.pk])


def separate(source_id: int, into: Conversation, actor: User) -> Conversation:
    """Undo a merge into ``into``: the source is a conversation of its own again, with its
    lane and clocks (raises ValueError when it cannot be undone)."""
    with transaction.atomic():
        source = changes.separate(source_id, into, actor_id=actor.pk)
        lanes.refresh([source.pk, into.pk])
    routing.route([source.pk, into.pk])
    return source


def correct_triage(message: Message, lane: str, category: str, actor: User | None) -> Decision:
    """Say what a message is: its decision now, a label for the next training; the
    conversation's lane and clocks follow (a buyer gets the pre-sales clock). Raises
    ValueError for a lane and category that do not go together."""
    decision = learning.correct(message, lane, category, actor)
    routing.route([message.conversation_id])
    return decision


def _deliver_later(outgoing_id: int, due: datetime) -> None:
    if default_task_backend.supports_defer:
        deliver_reply.using(run_after=due).enqueue(outgoing_id)
    else:
        deliver_reply.enqueue(outgoing_id)  # an inline backend: no window to wait out


def undo(outgoing_id: int, conversation: Conversation, actor: User) -> str | None:
    """Take back a reply still in its undo window: the text as the person wrote it (for the
    reply box), or None when it is too late. The conversation waits for an answer again."""
    outgoing = Outgoing.objects.filter(pk=outgoing_id, conversation=conversation).first()
    if outgoing is None or not undo_reply(outgoing_id, actor):
        return None
    if conversation.status in (Conversation.Status.PENDING, Conversation.Status.SOLVED):
        set_status(conversation, Conversation.Status.OPEN, actor)
    return outgoing.typed


def not_noise(conversation: Conversation, actor: User) -> Decision | None:
    """A person says a noise-lane conversation is a customer's after all: the latest message
    a customer wrote there becomes a team label (support, the general queue, until someone
    says more), so the conversation joins the team's queues and routing takes it at once."""
    return _relabel(conversation, "team", "support", actor)


def mark_noise(conversation: Conversation, actor: User, category: str = "spam") -> Decision | None:
    """The opposite: the latest customer message is noise (spam unless said), a label too."""
    return _relabel(conversation, "noise", category, actor)


def _relabel(conversation: Conversation, lane: str, category: str, actor: User) -> Decision | None:
    latest = (
        conversation.messages.filter(direction=Message.Direction.IN)
        .order_by("-received_at", "-pk")
        .first()
    )
    return correct_triage(latest, lane, category, actor) if latest is not None else None


def escalate(conversation: Conversation, actor: User) -> bool:
    """Hand the whole conversation to the founder (founder business after all)."""
    return _move(conversation, lanes.FOUNDER, actor)


def hand_to_team(conversation: Conversation, actor: User) -> bool:
    """The founder or the head gives a founder-lane conversation back to the team."""
    if not actor.sees_founder_lane:
        raise PermissionError("only the founder or the head moves founder mail to the team")
    return _move(conversation, lanes.TEAM, actor)


def _move(conversation: Conversation, to: str, actor: User) -> bool:
    with transaction.atomic():
        moved = lanes.move(conversation.pk, to, by_id=actor.pk)
        if moved:
            timeline.append(conversation.pk, Event.Kind.MOVED, actor_id=actor.pk, to=to)
    if moved:
        # The founder's lane goes to the founder; back in the team's, to someone on shift.
        routing.route([conversation.pk])
    return moved
