"""Permission-checked fetches: every view gets its objects through here (404 when denied)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from handoff.accounts.models import Role, User
from handoff.tickets.models import Attachment, Conversation
from handoff.triage.lanes import founder_lane, is_founder

DESK_ROLES = {Role.FOUNDER, Role.HEAD, Role.AGENT, Role.ADMIN}
HEADS = {Role.HEAD, Role.ADMIN}  # who runs the desk: its queues of mail to look at
Viewer = User | AnonymousUser


def visible_conversations(user: Viewer) -> QuerySet[Conversation]:
    if not isinstance(user, User) or user.role not in DESK_ROLES:
        return Conversation.objects.none()
    conversations = Conversation.objects.filter(merged_into=None)
    if not user.sees_founder_lane:
        # The founder's business (investors, board, lawyers) is not the agents' to read.
        conversations = conversations.exclude(founder_lane())
    return conversations


def access_conversation(user: Viewer, pk: int) -> Conversation:
    conversation = Conversation.objects.filter(pk=pk).first()
    if conversation is not None and conversation.merged_into_id is not None:
        conversation = conversation.merged_into
    if conversation is None or not visible_conversations(user).filter(pk=conversation.pk).exists():
        raise Http404
    return conversation


def access_attachment(user: Viewer, pk: int) -> Attachment:
    attachment = Attachment.objects.select_related("message__raw").filter(pk=pk).first()
    if attachment is None:
        raise Http404
    access_conversation(user, attachment.message.conversation_id)
    return attachment


def assignable(conversation: Conversation) -> list[User]:
    """Who may take ``conversation``: the desk's active people who may read it."""
    people = User.objects.filter(is_active=True, role__in=DESK_ROLES).order_by("name", "email")
    if is_founder(conversation.pk):
        return [p for p in people if p.sees_founder_lane]
    return list(people)


def can_see_quarantine(user: Viewer) -> bool:
    return isinstance(user, User) and user.role in HEADS


def person(request: HttpRequest) -> User:
    """The person a desk view serves (``login_required`` let only people through)."""
    user = request.user
    assert isinstance(user, User)
    return user
