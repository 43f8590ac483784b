"""Answering the customer from the desk: the reply (with its limits, Cc and Bcc, files) and
taking it back in the seconds before it goes."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.desk import actions
from handoff.desk.access import access_conversation, person
from handoff.desk.views import REPLY_THEN, bad_request
from handoff.mailout.outbox import CannotSend, Upload
from handoff.tickets.models import Conversation


def _over_limits(text: str, sizes: list[int]) -> str:
    """Why a reply cannot go as it is ("" when it can): the limits are the operator's."""
    if len(text) > settings.REPLY_MAX_CHARS:
        return _("The reply is %(n)s characters long; at most %(most)s. Attach a long text.") % {
            "n": f"{len(text):,}",
            "most": f"{settings.REPLY_MAX_CHARS:,}",
        }
    if len(sizes) > settings.REPLY_MAX_FILES:
        return _("%(n)d files attached; a reply carries at most %(most)d.") % {
            "n": len(sizes),
            "most": settings.REPLY_MAX_FILES,
        }
    if sum(sizes) > settings.REPLY_MAX_BYTES:
        return _("The files attached weigh %(size)s; a reply carries at most %(most)s.") % {
            "size": filesizeformat(sum(sizes)),
            "most": filesizeformat(settings.REPLY_MAX_BYTES),
        }
    return ""


def _listed(text: str) -> list[str]:
    """Addresses as typed in a Cc or Bcc field: separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", text) if part]


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the customer by email; the reply goes on the conversation at once, and the
    conversation then waits on the customer (or stays open, or is solved: ``then``)."""
    found = access_conversation(request.user, pk)
    then = request.POST.get("then", Conversation.Status.PENDING)
    if then not in REPLY_THEN:
        return bad_request(request, _("Not a status after a reply: %(then)s") % {"then": then})
    files = request.FILES.getlist("attachments")
    text = request.POST.get("text", "")
    if problem := _over_limits(text, [f.size or 0 for f in files]):
        return bad_request(request, problem)
    uploads = [
        Upload(f.name or "attachment", f.content_type or "application/octet-stream", f.read())
        for f in files
    ]
    try:
        actions.reply(
            found,
            person(request),
            text,
            uploads,
            then=then,
            cc=_listed(request.POST.get("cc", "")),
            bcc=_listed(request.POST.get("bcc", "")),
            undo=settings.REPLY_UNDO_SECONDS,
        )
    except CannotSend as error:
        notices.error(request, _("Not sent: %(reason)s") % {"reason": error})
        return redirect("desk:conversation", pk=found.pk)  # the draft stays in the browser
    if settings.REPLY_UNDO_SECONDS:
        notices.success(
            request,
            _("Your reply goes in %(n)d seconds: Undo below takes it back.")
            % {"n": settings.REPLY_UNDO_SECONDS},
        )
    else:
        notices.success(request, _("Reply queued for sending."))
    return redirect(f"{reverse('desk:conversation', args=[found.pk])}?sent=1")


@login_required
@require_POST
def undo(request: HttpRequest, pk: int, outgoing_pk: int) -> HttpResponse:
    """Take back one's own reply within its window: never sent, back in the reply box."""
    found = access_conversation(request.user, pk)
    typed = actions.undo(outgoing_pk, found, person(request))
    if typed is None:
        notices.error(request, _("Too late: the reply has gone."))
        return redirect("desk:conversation", pk=found.pk)
    notices.success(request, _("Not sent. Your reply is back in the box."))
    request.session[f"undone-{found.pk}"] = typed
    return redirect(f"{reverse('desk:conversation', args=[found.pk])}#reply-text")
