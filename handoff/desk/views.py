from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from handoff.desk.access import (
    access_attachment,
    access_conversation,
    can_see_quarantine,
    visible_conversations,
)
from handoff.desk.display import downloadable, message_view
from handoff.lib.mime import extract_part
from handoff.mailin.models import RawMessage
from handoff.tickets.models import Attachment, Message

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    conversations = visible_conversations(request.user).order_by("-last_message_at", "-pk")
    query = request.GET.get("q", "").strip()
    if query:
        conversations = conversations.filter(subject__icontains=query)
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/inbox.html", {"page": page, "query": query})


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_conversation(request.user, pk)
    if found.pk != pk:
        return redirect("desk:conversation", pk=found.pk)
    messages = found.messages.defer("html", "headers").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("part"))
    )
    return render(
        request,
        "desk/conversation.html",
        {"conversation": found, "entries": [message_view(m) for m in messages]},
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_attachment(request.user, pk)
    raw = found.message.raw
    if raw is None or not downloadable(found):
        raise Http404
    data = extract_part(bytes(raw.data), found.part)
    response = HttpResponse(data, content_type="application/octet-stream")
    # Always a download, never rendered in the desk's origin: mail content is untrusted.
    response["Content-Disposition"] = _attachment_disposition(found.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def quarantine(request: HttpRequest) -> HttpResponse:
    if not can_see_quarantine(request.user):
        raise Http404
    failed = RawMessage.objects.exclude(state=RawMessage.State.DONE).defer("data").order_by("-pk")
    flagged = (
        Message.objects.exclude(warnings=[])
        .only("pk", "subject", "from_address", "warnings", "conversation_id", "received_at")
        .order_by("-pk")
    )
    return render(
        request,
        "desk/quarantine.html",
        {
            "failed": failed[:200],
            "flagged": Paginator(flagged, PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


def _attachment_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
