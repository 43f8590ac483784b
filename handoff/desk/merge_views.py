"""Merging a conversation into another (after a question naming both), and undoing it."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.desk import actions
from handoff.desk.access import access_conversation, person
from handoff.desk.views import bad_request
from handoff.tickets.models import Conversation


@login_required
@require_POST
def merge_into(request: HttpRequest, pk: int) -> HttpResponse:
    """Join this conversation into another the person can read (``into``: its number).
    The first post asks "merge this into that?", naming both; only ``confirm`` merges."""
    found = access_conversation(request.user, pk)
    number = request.POST.get("into", "").strip().lstrip("#").upper().removeprefix("HO-")
    if not number.isdigit():
        return bad_request(request, _("Not a conversation number: %(n)s") % {"n": number})
    target = access_conversation(request.user, int(number))
    if target.pk == found.pk:
        return bad_request(request, _("A conversation cannot be merged into itself."))
    if request.POST.get("confirm") != "yes":
        return render(request, "desk/merge.html", {"source": found, "target": target})
    try:
        actions.merge(found, target, person(request))
    except ValueError:  # one of the two was merged by someone else meanwhile
        return bad_request(request, _("One of the two conversations changed: try again."))
    notices.success(request, _("#%(source)s merged into this conversation.") % {"source": found.pk})
    return redirect("desk:conversation", pk=target.pk)


@login_required
@require_POST
def separate(request: HttpRequest, pk: int, source_pk: int) -> HttpResponse:
    """Undo a merge into this conversation: the source is its own again."""
    found = access_conversation(request.user, pk)
    try:
        actions.separate(source_pk, found, person(request))
    except (ValueError, Conversation.DoesNotExist):
        return bad_request(
            request, _("#%(n)s is not merged into this conversation any more.") % {"n": source_pk}
        )
    notices.success(
        request, _("Merge undone: #%(n)s is a conversation of its own again.") % {"n": source_pk}
    )
    return redirect("desk:conversation", pk=found.pk)
