from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from handoff.accounts.models import User
from handoff.desk import actions, peeks, queues, saved, timeline
from handoff.desk.access import (
    HEADS,
    access_attachment,
    access_conversation,
    assignable,
    can_see_quarantine,
    person,
    visible_conversations,
)
from handoff.desk.customer import customer
from handoff.desk.display import TRIAGE_CHOICES, downloadable, message_view, page_messages
from handoff.desk.setup_views import needs_mailbox
from handoff.desk.timeline import PRIORITY_NAMES, language_name
from handoff.ledger.actions import can_manage, visible_tasks
from handoff.lib.mime import extract_part
from handoff.lib.visible import escaped
from handoff.mailin.models import RawMessage
from handoff.mailout.models import Outgoing
from handoff.routing.roster import Roster, zone_of
from handoff.tickets.changes import NOTE_CHARS
from handoff.tickets.models import Conversation, Event, Message
from handoff.triage.engine.decide import FOUNDER_AUDIT
from handoff.triage.models import Tag

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # logged in
    queue = queues.chosen(request.GET.get("queue", ""), user)
    founder_only = request.GET.get("founder") == "1"
    visible = visible_conversations(user)
    conversations = queues.apply(queue, visible, user, founder_only=founder_only)
    conversations = conversations.select_related("clock__assignee", "lane")
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.GET.get("page", "1") == "1":  # opened, not paged through
        peeks.queue(user, queue.key if queue else "")
    return render(
        request,
        "desk/inbox.html",
        {
            "page": page,
            "queue": queue,
            "founder_only": founder_only,
            "founder_audit": FOUNDER_AUDIT,
            "now": timezone.now(),
            "people": User.objects.filter(is_active=True).order_by("name", "email"),
            "snooze_hours": SNOOZE_HOURS.items(),
            "tag_list": list(Tag.objects.all()),
            "needs_mailbox": user.role in HEADS and needs_mailbox(),
        },
    )


@login_required
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    found = access_conversation(request.user, pk)
    if found.pk != pk:
        return redirect("desk:conversation", pk=found.pk)
    # ?all=ID: that message whole; ?images=ID: that message's remote images (never on open).
    whole, images = _message_number(request, "all"), _message_number(request, "images")
    if whole is None and images is None:  # more of a page already open is not another peek
        peeks.conversation(request.user, found)
    messages = page_messages(found, whole)
    tag_list = list(Tag.objects.all())
    rows = timeline.rows(found)
    return render(
        request,
        "desk/conversation.html",
        {
            "conversation": found,
            "entries": [message_view(m, whole, images) for m in messages],
            "triage_choices": TRIAGE_CHOICES,
            "assignable": assignable(found),
            "notes": found.events.filter(kind=Event.Kind.NOTE).select_related("actor"),
            "timeline": rows,
            "separable": timeline.separable(rows),
            "time_zone": _time_zone(request),
            "snooze_hours": SNOOZE_HOURS.items(),
            "reply_then": REPLY_THEN.items(),
            "now": timezone.now(),
            "tasks": visible_tasks(request.user).filter(conversation=found).select_related("owner"),
            "customer": customer(found, request.user),
            "saved_replies": saved.offered(person(request), _language(found)),
            "draft": request.session.pop(f"undone-{found.pk}", "") or _saved_draft(request, found),
            "waiting": Outgoing.objects.filter(
                conversation=found,
                author=person(request),
                state=Outgoing.State.WAITING,
            ),
            "can_make_task": can_manage(request.user),
            "tag_list": tag_list,
            "tag_names": sorted({t.name for t in tag_list} | set(_tags(found))),
            "priorities": PRIORITY_NAMES.items(),
            "statuses": [
                (value, label)
                for value, label in Conversation.Status.choices
                if value != Conversation.Status.NEW
            ],
            "queued": _queued(found),
        },
    )


def _queued(conversation: Conversation) -> dict[str, object] | None:
    """Why a team conversation nobody holds waits in the queue: nobody on shift reads its
    language, or has room for it; and who can take it first, from when."""
    clock = getattr(conversation, "clock", None)
    now = timezone.now()
    if (
        clock is None
        or not (clock.routed and clock.is_open and clock.lane == "team")
        or clock.assignee_id is not None
        or (clock.snoozed_until is not None and clock.snoozed_until > now)
    ):
        return None
    waiting = Roster.load(now).waiting(
        clock.team_id, clock.language, clock.category, clock.earliest_due
    )
    if waiting is None:
        return None
    language = language_name(waiting.language or "")
    names = User.objects.filter(pk__in=waiting.user_ids).order_by("name")
    return {
        "language": language,
        "back": waiting.back,
        "names": ", ".join(u.name or u.email for u in names),
    }


@login_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Solve, reopen, or wait on the customer: the clocks stop or run again at once."""
    found = access_conversation(request.user, pk)
    status = request.POST.get("status", "")
    if status not in (
        Conversation.Status.OPEN,
        Conversation.Status.PENDING,
        Conversation.Status.SOLVED,
    ):
        return bad_request(request, _("Not a status: %(status)s") % {"status": status})
    actions.set_status(found, status, person(request))
    notices.success(
        request, _("Status: %(status)s.") % {"status": Conversation.Status(status).label}
    )
    return redirect("desk:conversation", pk=found.pk)


SNOOZE_HOURS = {
    1: gettext_lazy("1 hour"),
    4: gettext_lazy("4 hours"),
    24: gettext_lazy("1 day"),
    72: gettext_lazy("3 days"),
}


@login_required
@require_POST
def snooze(request: HttpRequest, pk: int) -> HttpResponse:
    """Out of the queues and the clocks stopped until then; back by itself when the time
    is up."""
    found = access_conversation(request.user, pk)
    hours = request.POST.get("hours", "")
    if not hours.isdigit() or int(hours) not in SNOOZE_HOURS:
        return bad_request(request, _("Not a snooze: %(hours)s") % {"hours": hours})
    until = timezone.now() + timedelta(hours=int(hours))
    actions.snooze(found, until, person(request))
    local = timezone.localtime(until, ZoneInfo(_time_zone(request)))
    notices.success(request, _("Snoozed until %(until)s.") % {"until": f"{local:%Y-%m-%d %H:%M}"})
    return redirect("desk:conversation", pk=found.pk)


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    """A note for the team, on the conversation; the customer never sees it."""
    found = access_conversation(request.user, pk)
    try:
        actions.note(found, request.POST.get("text", ""), person(request))
    except ValueError:
        return bad_request(
            request, _("A note needs some text, at most %(n)d characters.") % {"n": NOTE_CHARS}
        )
    return redirect(f"{reverse('desk:conversation', args=[found.pk])}#notes")


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the conversation to a person who may read it (or back to the queue)."""
    found = access_conversation(request.user, pk)
    chosen = request.POST.get("assignee", "")
    assignee = None
    if chosen:
        assignee = next((u for u in assignable(found) if str(u.pk) == chosen), None)
        if assignee is None:
            return bad_request(request, _("Nobody of that name can take this conversation."))
    actions.assign(found, assignee, person(request))
    if assignee is None:
        notices.success(request, _("Back in the team's queue."))
    else:
        notices.success(request, _("Assigned to %(person)s.") % {"person": assignee})
    return redirect("desk:conversation", pk=found.pk)


@login_required
@require_POST
def correct_triage(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    """A person says what a message is: its decision now, a label for the next training."""
    found = access_conversation(request.user, pk)
    message = found.messages.filter(pk=message_pk, direction=Message.Direction.IN).first()
    if message is None:
        raise Http404
    lane, _slash, category = request.POST.get("choice", "").partition("/")
    try:
        actions.correct_triage(message, lane, category, person(request))
    except ValueError as error:
        return bad_request(request, _("Not a lane and category: %(error)s") % {"error": error})
    notices.success(request, _("Thank you: the desk learns from this."))
    if not visible_conversations(request.user).filter(pk=found.pk).exists():
        return redirect("desk:inbox")  # handed to the founder: no longer this person's to read
    return redirect(f"{reverse('desk:conversation', args=[found.pk])}#m{message.pk}")


# What a reply leaves the conversation as; waiting on the customer unless the person says.
REPLY_THEN = {
    Conversation.Status.PENDING: gettext_lazy("waiting on the customer"),
    Conversation.Status.OPEN: gettext_lazy("keep open"),
    Conversation.Status.SOLVED: gettext_lazy("solved"),
}


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    """Founder business after all: the whole conversation goes to the founder's lane."""
    found = access_conversation(request.user, pk)
    actions.escalate(found, person(request))
    notices.success(request, _("Handed to the founder."))
    if not visible_conversations(request.user).filter(pk=found.pk).exists():
        return redirect("desk:inbox")
    return redirect("desk:conversation", pk=found.pk)


@login_required
@require_POST
def hand_to_team(request: HttpRequest, pk: int) -> HttpResponse:
    """The founder or the head gives a founder-lane conversation back to the team."""
    found = access_conversation(request.user, pk)
    try:
        actions.hand_to_team(found, person(request))
    except PermissionError:
        raise Http404 from None
    notices.success(request, _("Handed to the team."))
    return redirect("desk:conversation", pk=found.pk)


def bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    """A 400 as a desk page: the header, what was wrong, and the way back."""
    return render(request, "400.html", {"reason": reason}, status=400)


def _tags(conversation: Conversation) -> list[str]:
    lane = getattr(conversation, "lane", None)
    return list(lane.tags) if lane is not None else []


def _language(conversation: Conversation) -> str:
    lane = getattr(conversation, "lane", None)
    return lane.language if lane is not None else ""


def _saved_draft(request: HttpRequest, conversation: Conversation) -> str:
    """``?saved=ID``: that saved reply, filled in for this conversation, in the reply box."""
    chosen = request.GET.get("saved", "")
    if not chosen.isdigit():
        return ""
    reply = saved.usable(person(request)).filter(pk=int(chosen)).first()
    if reply is None:
        return ""
    try:
        return saved.filled(reply, conversation, person(request))
    except saved.BadReply as error:
        notices.error(request, str(error))
        return ""


def _message_number(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def _time_zone(request: HttpRequest) -> str:
    """The reader's own time zone (theirs, their shifts'), or the desk's."""
    return zone_of(person(request)).key


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
    # Saved as the desk shows it: a right-to-left override written out, never applied to
    # the name the browser saves (invoice\u202efdp.exe is not invoice…exe.pdf).
    shown = escaped(filename)
    ascii_name = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in shown)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(shown)}"
