"""Who else is on a conversation: each open page says so every few seconds (``POLL``), and
hears back who else did within ``FRESH`` — no extra server, a small upsert and a read."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from handoff.accounts.models import User
from handoff.desk.access import access_conversation, person
from handoff.desk.models import Presence

POLL = timedelta(seconds=5)
FRESH = timedelta(seconds=20)  # a page that said nothing for this long is closed
FORGOTTEN = timedelta(days=1)


def here(
    user: User, conversation_id: int, *, typing: bool, now: datetime
) -> list[dict[str, object]]:
    stale = Presence.objects.filter(conversation_id=conversation_id, seen_at__lt=now - FORGOTTEN)
    stale.delete()  # pages closed long ago: kept small without a job of its own
    Presence.objects.update_or_create(
        user=user,
        conversation_id=conversation_id,
        defaults={"seen_at": now, "typing": typing},
    )
    others = (
        Presence.objects.filter(conversation_id=conversation_id, seen_at__gte=now - FRESH)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    return [{"name": str(p.user), "typing": p.typing} for p in others]


@login_required
@require_POST
def presence(request: HttpRequest, pk: int) -> JsonResponse:
    found = access_conversation(request.user, pk)
    user = person(request)
    others = here(user, found.pk, typing=request.POST.get("typing") == "1", now=timezone.now())
    return JsonResponse({"others": others, "poll": POLL.total_seconds()})
