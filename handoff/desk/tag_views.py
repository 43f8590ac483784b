"""Tags and priority: the head's list of tags (name and colour), and a person's choice of
a conversation's tags and priority (kept from then on, whatever rules say)."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.desk import actions
from handoff.desk.access import HEADS, access_conversation, person
from handoff.desk.timeline import PRIORITY_NAMES
from handoff.desk.views import bad_request
from handoff.triage.models import ConversationLane, Tag, tag_name

MOST_TAGS = 200  # on the list; a conversation carries at most 20
MOST_ON_ONE = 20


@login_required
def tags(request: HttpRequest) -> HttpResponse:
    """The list: everyone sees it; the head and the admin add, recolour and remove."""
    user = person(request)
    may_change = user.role in HEADS
    if request.method == "POST":
        if not may_change:
            raise Http404
        if request.POST.get("delete"):
            gone = Tag.objects.filter(pk=_number(request.POST["delete"])).first()
            if gone is None:
                raise Http404
            gone.delete()
            notices.success(
                request,
                _("“%(tag)s” is off the list; conversations that carry it keep it.")
                % {"tag": gone.name},
            )
            return redirect("desk:tags")
        colour = request.POST.get("colour", Tag.Colour.GREY)
        if colour not in Tag.Colour.values:
            return bad_request(request, _("Not a colour: %(colour)s") % {"colour": colour})
        try:
            name = tag_name(request.POST.get("name", ""))
        except ValidationError as error:
            return bad_request(request, " ".join(error.messages))
        existing = Tag.objects.filter(name=name).first()
        if existing is None and Tag.objects.count() >= MOST_TAGS:
            return bad_request(request, _("At most %(n)d tags.") % {"n": MOST_TAGS})
        Tag.objects.update_or_create(name=name, defaults={"colour": colour})
        notices.success(request, _("Tag “%(tag)s” kept.") % {"tag": name})
        return redirect("desk:tags")
    return render(
        request,
        "desk/tags.html",
        {"tags": Tag.objects.all(), "colours": Tag.Colour.choices, "may_change": may_change},
    )


@login_required
@require_POST
def conversation_tags(request: HttpRequest, pk: int) -> HttpResponse:
    """The tags ticked, from the list (and those the conversation carried already, from a
    rule, which may stay)."""
    found = access_conversation(request.user, pk)
    carried = ConversationLane.objects.filter(pk=found.pk).values_list("tags", flat=True).first()
    allowed = set(Tag.objects.values_list("name", flat=True)) | set(carried or [])
    wanted = request.POST.getlist("tag")
    unknown = [t for t in wanted if t not in allowed]
    if unknown:
        return bad_request(
            request, _("Not a tag of the list: %(tags)s") % {"tags": ", ".join(unknown[:5])}
        )
    if len(set(wanted)) > MOST_ON_ONE:
        return bad_request(request, _("At most %(n)d tags on a conversation.") % {"n": MOST_ON_ONE})
    if actions.set_tags(found, wanted, person(request)):
        notices.success(
            request,
            _("Tags: %(tags)s.") % {"tags": ", ".join(sorted(set(wanted))) or _("none")},
        )
    return redirect("desk:conversation", pk=found.pk)


@login_required
@require_POST
def priority(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_conversation(request.user, pk)
    chosen = request.POST.get("priority", "")
    if chosen not in PRIORITY_NAMES:
        return bad_request(request, _("Not a priority: %(priority)s") % {"priority": chosen})
    if actions.set_priority(found, chosen, person(request)):
        notices.success(
            request, _("Priority: %(priority)s.") % {"priority": PRIORITY_NAMES[chosen]}
        )
    return redirect("desk:conversation", pk=found.pk)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0
