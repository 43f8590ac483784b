from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.accounts.models import User
from handoff.desk.access import access_conversation
from handoff.mailout.actions import CannotSend, Upload, queue_reply

MAX_UPLOAD_FILES = 10


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access_conversation(request.user, pk)
    assert isinstance(request.user, User)  # login_required + access_conversation
    uploads = [
        Upload(f.name or "attachment", f.content_type or "application/octet-stream", f.read())
        for f in request.FILES.getlist("attachments")[:MAX_UPLOAD_FILES]
    ]
    try:
        queue_reply(conversation, request.user, request.POST.get("text", ""), uploads)
    except CannotSend as error:
        messages.error(request, _("Not sent: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("Reply queued for sending."))
    return redirect("desk:conversation", pk=conversation.pk)
