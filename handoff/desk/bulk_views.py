"""Actions on a selection of a queue: assign, solve, snooze, tag, not noise, noise — each through
the same one-action functions as on a conversation's page (``handoff.desk.actions``), each
conversation checked (a selection holding one the person may not read is refused whole)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from handoff.accounts.models import User
from handoff.desk import actions
from handoff.desk.access import assignable, person, visible_conversations
from handoff.desk.views import SNOOZE_HOURS, bad_request
from handoff.tickets.models import Conversation
from handoff.triage.models import Tag

MOST = 200  # conversations in one selection


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    user = person(request)
    ids = request.POST.getlist("ids")
    if not ids:
        return bad_request(request, _("Select at least one conversation."))
    if len(ids) > MOST or not all(i.isdigit() for i in ids):
        return bad_request(request, _("A selection is at most %(n)d conversations.") % {"n": MOST})
    chosen = list(visible_conversations(user).filter(pk__in={int(i) for i in ids}).order_by("pk"))
    if len(chosen) != len(set(ids)):
        raise Http404  # one of them is not this person's to read (or not there)
    action = request.POST.get("action", "")
    try:
        if action == "tag":
            done = _tag(chosen, user, request.POST.get("tag", ""))
        else:
            assignee, hours = request.POST.get("assignee", ""), request.POST.get("hours", "")
            done = _do(action, chosen, user, assignee, hours)
    except ValueError as error:
        return bad_request(request, str(error))
    notices.success(request, done)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "desk:inbox")


def _do(action: str, chosen: list[Conversation], user: User, assignee: str, hours: str) -> str:
    n = len(chosen)
    if action == "solve":
        for conversation in chosen:
            actions.set_status(conversation, Conversation.Status.SOLVED, user)
        return ngettext("%(n)d conversation solved.", "%(n)d conversations solved.", n) % {"n": n}
    if action == "snooze":
        if not hours.isdigit() or int(hours) not in SNOOZE_HOURS:
            raise ValueError(_("Not a snooze: %(hours)s") % {"hours": hours})
        until = timezone.now() + timedelta(hours=int(hours))
        for conversation in chosen:
            actions.snooze(conversation, until, user)
        return ngettext("%(n)d conversation snoozed.", "%(n)d conversations snoozed.", n) % {"n": n}
    if action == "assign":
        return _assign(chosen, user, assignee)
    if action in ("not_noise", "noise"):
        if not user.sees_founder_lane:
            raise ValueError(_("Only the head says what is noise."))
        for conversation in chosen:
            if action == "noise":
                actions.mark_noise(conversation, user)
            else:
                actions.not_noise(conversation, user)
        if action == "noise":
            return ngettext(
                "%(n)d conversation marked as noise.", "%(n)d conversations marked as noise.", n
            ) % {"n": n}
        return ngettext(
            "%(n)d conversation back in the team's queues.",
            "%(n)d conversations back in the team's queues.",
            n,
        ) % {"n": n}
    raise ValueError(_("Not an action: %(action)s") % {"action": action})


def _tag(chosen: list[Conversation], user: User, tag: str) -> str:
    if not Tag.objects.filter(name=tag).exists():
        raise ValueError(_("Not a tag of the list: %(tags)s") % {"tags": tag})
    for conversation in chosen:
        actions.add_tag(conversation, tag, user)
    n = len(chosen)
    return ngettext(
        "%(n)d conversation tagged “%(tag)s”.", "%(n)d conversations tagged “%(tag)s”.", n
    ) % {"n": n, "tag": tag}


def _assign(chosen: list[Conversation], user: User, assignee: str) -> str:
    given: User | None = None  # the person the selection goes to; None: back to the queue
    if assignee == "me":
        given = user
    elif assignee:
        given = User.objects.filter(pk=int(assignee) if assignee.isdigit() else 0).first()
        if given is None:
            raise ValueError(_("Nobody of that name can take these conversations."))
    for conversation in chosen:
        if given is not None and given not in assignable(conversation):
            raise ValueError(
                _("%(person)s cannot take #%(n)d.") % {"person": given, "n": conversation.pk}
            )
    for conversation in chosen:
        actions.assign(conversation, given, user)
    n = len(chosen)
    if given is None:
        return ngettext(
            "%(n)d conversation back in the queue.", "%(n)d conversations back in the queue.", n
        ) % {"n": n}
    return ngettext(
        "%(n)d conversation assigned to %(person)s.",
        "%(n)d conversations assigned to %(person)s.",
        n,
    ) % {"n": n, "person": given}


@login_required
@require_POST
def not_noise(request: HttpRequest, pk: int) -> HttpResponse:
    """One click in the noise queue: a customer's mail after all."""
    user = person(request)
    if not user.sees_founder_lane:
        raise Http404
    conversation = visible_conversations(user).filter(pk=pk).first()
    if conversation is None:
        raise Http404
    actions.not_noise(conversation, user)
    notices.success(request, _("#%(n)d is in the team's queues now.") % {"n": pk})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "desk:inbox")
