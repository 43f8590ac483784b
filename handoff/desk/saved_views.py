"""The saved replies page: the shared ones (kept by the head) and each person's own."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.desk import saved
from handoff.desk.access import HEADS, person
from handoff.desk.models import SavedReply
from handoff.desk.views import bad_request


@login_required
def replies(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = person(request)
    editing = saved.editable(user).filter(pk=pk).first() if pk else None
    if pk and editing is None:
        raise Http404
    if request.method == "POST":
        title = " ".join(request.POST.get("title", "").split())[:120]
        body = request.POST.get("body", "").strip()
        if not title or not body:
            return bad_request(request, _("A saved reply needs a title and a text."))
        if len(body) > 20_000:
            return bad_request(request, _("A saved reply is at most 20,000 characters."))
        try:
            saved.check(body)
        except saved.BadReply as error:
            return bad_request(request, str(error))
        language = request.POST.get("language", "").strip().lower()[:8]
        shared = request.POST.get("shared") == "1" and user.role in HEADS
        reply = editing or SavedReply()
        reply.title, reply.body, reply.language = title, body, language
        reply.owner = None if shared else user
        reply.updated_at = timezone.now()
        reply.save()
        notices.success(request, _("Saved reply “%(title)s” kept.") % {"title": title})
        return redirect("desk:replies")
    return render(
        request,
        "desk/replies.html",
        {
            "replies": saved.usable(user),
            "mine": set(saved.editable(user).values_list("pk", flat=True)),
            "editing": editing,
            "may_share": user.role in HEADS,
            "names": saved.NAMES,
        },
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    reply = saved.editable(person(request)).filter(pk=pk).first()
    if reply is None:
        raise Http404
    reply.delete()
    notices.success(request, _("Saved reply deleted."))
    return redirect("desk:replies")
