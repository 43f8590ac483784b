"""The peek meter: the founder opening what the team runs is recorded, never prevented.

What counts: a team-lane conversation's page, a queue of the team's work (the whole list,
unassigned, due soon, snoozed, needs triage) and the cockpit's per-person view. The
founder's own queues (mine, the founder lane) and their own lane's conversations do not.
A queue counts when it is opened, not when it is paged through. Nobody else is metered."""

from __future__ import annotations

from django.db import transaction

from handoff.accounts.models import Role, User
from handoff.desk.access import Viewer
from handoff.desk.models import Peek
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event
from handoff.triage.lanes import is_founder

TEAM_QUEUES = {"", "unassigned", "due", "snoozed", "triage"}  # "": every conversation


def metered(user: Viewer) -> bool:
    return isinstance(user, User) and user.role == Role.FOUNDER


def conversation(user: Viewer, found: Conversation) -> Peek | None:
    if not metered(user) or is_founder(found.pk):
        return None
    assert isinstance(user, User)
    with transaction.atomic():
        peek = Peek.objects.create(user=user, kind=Peek.Kind.CONVERSATION, conversation=found)
        timeline.append(
            found.pk, Event.Kind.PEEK, at=peek.at, actor_id=user.pk, what=Peek.Kind.CONVERSATION
        )
    return peek


def queue(user: Viewer, key: str) -> Peek | None:
    if not metered(user) or key not in TEAM_QUEUES:
        return None
    assert isinstance(user, User)
    return Peek.objects.create(user=user, kind=Peek.Kind.QUEUE, what=key or "all")


def people(user: Viewer) -> Peek | None:
    if not metered(user):
        return None
    assert isinstance(user, User)
    return Peek.objects.create(user=user, kind=Peek.Kind.PEOPLE)
