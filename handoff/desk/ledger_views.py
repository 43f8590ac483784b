"""The ledger's pages: the list (with the filters the cockpit's figures link to), a task
with its frame, check-ins, time and timeline, the form that creates one (from scratch or
from a conversation), and the value bands. The founder and the head manage the ledger; an
agent sees, and updates, only the tasks they own (anything else is a 404)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from handoff.accounts.models import Role, User
from handoff.desk.access import access_conversation, person
from handoff.desk.ledger_timeline import describe
from handoff.desk.views import bad_request
from handoff.ledger import actions, addresses, checkins
from handoff.ledger.actions import Draft, Refused, can_manage, shown, today_for, visible_tasks
from handoff.ledger.models import Band, CheckIn, Task
from handoff.ledger.months import month_of
from handoff.routing.roster import zone_of

# ------------------------------------------------------------------ the list


def filtered(
    tasks: QuerySet[Task], query: dict[str, str], founder_ids: list[int], today: date
) -> QuerySet[Task]:
    """The list's filters, each a URL parameter the cockpit's figures link to."""
    status = query.get("status", "open")
    if status in Task.Status.values:
        tasks = tasks.filter(status=status)
    if query.get("owner", "").isdigit():
        tasks = tasks.filter(owner_id=int(query["owner"]))
    if query.get("band", "").isdigit():
        tasks = tasks.filter(band__hourly=int(query["band"]))
    if query.get("kept") == "1":
        tasks = tasks.filter(owner_id__in=founder_ids)
    if query.get("delegated") == "1":
        tasks = tasks.exclude(owner_id__in=founder_ids).exclude(owner=None)
    if query.get("no_owner") == "1":
        tasks = tasks.filter(owner=None)
    if query.get("no_checkin") == "1":
        tasks = tasks.annotate(n_checkins=Count("checkins")).filter(n_checkins=0)
    month = month_of(query.get("month", ""))
    if month is not None:
        first, last = month
        founder_time = Q(time__user_id__in=founder_ids, time__on__gte=first, time__on__lte=last)
        if query.get("checkins") not in {"kept", "missed"}:
            tasks = tasks.filter(founder_time).distinct()
    if query.get("estimated") == "1":
        tasks = tasks.filter(estimate_minutes__isnull=False)
    done = month_of(query.get("done", ""))
    if done is not None:
        tasks = tasks.filter(done_at__date__gte=done[0], done_at__date__lte=done[1])
    which = query.get("checkins", "")
    if which in {"kept", "missed"} and month is not None:
        first, last = month
        on = Q(checkins__on__gte=first, checkins__on__lte=min(last, today))
        if which == "missed":
            tasks = tasks.filter(on, checkins__missed_at__isnull=False).distinct()
        elif which == "kept":
            tasks = tasks.filter(on, checkins__missed_at=None, checkins__answered_at__isnull=False)
            tasks = tasks.distinct()
    return tasks


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    user = person(request)
    founders = list(User.objects.filter(role=Role.FOUNDER).values_list("pk", flat=True))
    query = {k: str(v) for k, v in request.GET.items()}
    for key in ("month", "done"):
        if query.get(key) and month_of(query[key]) is None:
            return bad_request(
                request, _("Not a month: %(month)s (YYYY-MM)") % {"month": query[key]}
            )
    timezone.activate(zone_of(user))  # months and days are the reader's, as in the cockpit
    today = today_for(user)
    tasks = filtered(visible_tasks(user), query, founders, today)
    # What is due first (and what is late), then the newest; tasks with no date last.
    tasks = tasks.order_by(F("due").asc(nulls_last=True), "-created_at", "-pk")
    tasks = tasks.select_related("owner", "band").annotate(
        spent=Sum("time__minutes"),
        next_checkin=Min(
            "checkins__on", filter=Q(checkins__answered_at=None, checkins__missed_at=None)
        ),
        last_answer=Max("checkins__answered_at"),
    )[:500]
    rows = list(tasks)
    last = _last_statuses([t.pk for t in rows])
    missed = CheckIn.objects.filter(missed_at__isnull=False, answered_at=None, task__status="open")
    if user.role != Role.HEAD:  # the owner sees theirs; the founder reads them in the digest
        missed = missed.filter(task__owner=user)
    return render(
        request,
        "desk/ledger/list.html",
        {
            "rows": [(t, last.get(t.pk), shown(t.spent), shown(t.estimate_minutes)) for t in rows],
            "query": query,
            "status": query.get("status", "open"),
            "manager": can_manage(user),
            "mail_to": addresses.personal(user),
            "founders": founders,
            "missed": missed.select_related("task", "task__owner").order_by("on")[:50],
            "due": checkins.open_checkins(user).order_by("on")[:20],
            "today": today,
        },
    )


def _last_statuses(ids: list[int]) -> dict[int, CheckIn]:
    found: dict[int, CheckIn] = {}
    answered = CheckIn.objects.filter(task_id__in=ids, answered_at__isnull=False)
    for checkin in answered.order_by("answered_at"):
        found[checkin.task_id] = checkin
    return found


# ------------------------------------------------------------------ one task


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    user = person(request)
    found = actions.access_task(user, pk)
    entries = found.time.select_related("user").order_by("-on", "-pk")
    spent = entries.aggregate(total=Sum("minutes"))["total"]
    return render(
        request,
        "desk/ledger/task.html",
        {
            "task": found,
            "manager": can_manage(user),
            "owns": found.owner_id == user.pk,
            "checkins": found.checkins.select_related("answered_by"),
            "entries": entries,
            "spent": shown(spent),
            "estimate": shown(found.estimate_minutes),
            "over": bool(spent and found.estimate_minutes and spent > found.estimate_minutes),
            "events": [(e, describe(e)) for e in found.events.select_related("actor")],
            "owners": User.objects.filter(is_active=True, role__in=actions.OWNERS).order_by(
                "name", "email"
            ),
            "bands": Band.objects.all(),
            "statuses": CheckIn.Status.choices,
            "today": today_for(user),
            "time_zone": zone_of(user).key,
            "conversation_visible": _sees_conversation(user, found),
        },
    )


def _sees_conversation(user: User, task: Task) -> bool:
    if task.conversation_id is None:
        return False
    try:
        access_conversation(user, task.conversation_id)
    except Http404:
        return False
    return True


# ------------------------------------------------------------------ changing a task

Change = Callable[[Task, User, dict[str, str]], str]


def _owner(task: Task, user: User, post: dict[str, str]) -> str:
    chosen = (
        User.objects.filter(pk=post["owner"]).first() if post.get("owner", "").isdigit() else None
    )
    if post.get("owner") and chosen is None:
        raise Refused(_("No one on the desk is that person."))
    if post.get("mine") == "1":
        chosen = user
    actions.set_owner(task, chosen, actor=user)
    if chosen == user:
        return _("You take care of it.")
    return _("Owner: %(owner)s.") % {"owner": chosen or _("nobody yet")}


def _edit(task: Task, user: User, post: dict[str, str]) -> str:
    fields = {k: post[k] for k in actions.EDITABLE if k in post}
    changed = actions.edit(task, fields, actor=user)
    return _("Saved.") if changed else _("Nothing changed.")


def _checkin_add(task: Task, user: User, post: dict[str, str]) -> str:
    day = actions.day_of(post.get("on", ""))
    if day is None:
        raise Refused(_("Give the check-in a date."))
    checkins.add_checkin(task, day, actor=user)
    return _("Check-in agreed for %(day)s.") % {"day": day.isoformat()}


def _checkin(task: Task, user: User, post: dict[str, str]) -> str:
    checkins.answer(task, post.get("status", ""), post.get("text", ""), actor=user)
    return _("Check-in recorded.")


def _estimate(task: Task, user: User, post: dict[str, str]) -> str:
    value = actions.set_estimate(task, post.get("estimate", ""), actor=user)
    return _("Estimate: %(time)s.") % {"time": shown(value)}


def _time(task: Task, user: User, post: dict[str, str]) -> str:
    day = actions.day_of(post.get("on", ""))
    entry = actions.record_time(task, post.get("spent", ""), actor=user, on=day)
    return _("%(time)s recorded.") % {"time": shown(entry.minutes)}


def _timer(task: Task, user: User, post: dict[str, str]) -> str:
    if post.get("run") == "1":
        actions.start_timer(task, actor=user)
        return _("Timer started.")
    entry = actions.stop_timer(task, actor=user)
    return _("%(time)s recorded.") % {"time": shown(entry.minutes if entry else None)}


def _status(task: Task, user: User, post: dict[str, str]) -> str:
    status = post.get("status", "")
    if status == Task.Status.DROPPED and not can_manage(user):
        raise Http404
    if post.get("spent"):
        _time(task, user, post)
    actions.set_status(task, status, actor=user)
    return _("Status: %(status)s.") % {"status": Task.Status(status).label}


# Who may do what: the managers everything; the owner what keeps the task moving.
CHANGES: dict[str, tuple[Change, bool]] = {
    "owner": (_owner, True),
    "edit": (_edit, True),
    "estimate": (_estimate, True),
    "checkin-add": (_checkin_add, False),
    "checkin": (_checkin, False),
    "time": (_time, False),
    "timer": (_timer, False),
    "status": (_status, False),
}


@login_required
@require_POST
def change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    user = person(request)
    found = actions.access_task(user, pk)
    if what not in CHANGES:
        raise Http404
    do, managers_only = CHANGES[what]
    if managers_only and not can_manage(user):
        raise Http404
    try:
        notices.success(request, do(found, user, request.POST.dict()))
    except Refused as error:
        return bad_request(request, str(error))
    return redirect("desk:task", pk=found.pk)


# ------------------------------------------------------------------ creating


@login_required
def new(request: HttpRequest) -> HttpResponse:
    user = person(request)
    if not can_manage(user):
        raise Http404
    source = request.GET.get("conversation") or request.POST.get("conversation", "")
    conversation = access_conversation(user, int(source)) if source.isdigit() else None
    if request.method == "POST":
        post = request.POST
        draft = Draft(
            title=post.get("title", ""),
            description=post.get("description", ""),
            outcome=post.get("outcome", ""),
            band=post.get("band", ""),
            owner=post.get("owner", ""),
            due=post.get("due", ""),
            checkins=tuple(post.getlist("checkin")),
            estimate=post.get("estimate", ""),
        )
        try:
            created = actions.create(
                draft,
                actor=user,
                conversation=conversation,
                source=Task.Source.CONVERSATION if conversation else Task.Source.DESK,
            )
        except Refused as error:
            return bad_request(request, str(error))
        notices.success(request, _("Task T-%(task)s created.") % {"task": created.pk})
        return redirect("desk:task", pk=created.pk)
    return render(
        request,
        "desk/ledger/new.html",
        {
            "conversation": conversation,
            "title": conversation.subject if conversation else "",
            "owners": User.objects.filter(is_active=True, role__in=actions.OWNERS).order_by(
                "name", "email"
            ),
            "bands": Band.objects.all(),
            "today": today_for(user),
        },
    )


# ------------------------------------------------------------------ value bands

USUAL = (10, 100, 1_000, 10_000)


@login_required
def bands(request: HttpRequest) -> HttpResponse:
    user = person(request)
    if not can_manage(user):
        raise Http404
    if request.method == "POST":
        currency = request.POST.get("currency", "EUR").strip().upper() or "EUR"
        if len(currency) != 3 or not currency.isalpha():
            return bad_request(request, _("A currency is a three-letter code, like EUR or USD."))
        if request.POST.get("usual") == "1":
            for value in USUAL:
                Band.objects.get_or_create(hourly=value, defaults={"currency": currency})
            notices.success(request, _("The usual four bands are there."))
            return redirect("desk:bands")
        hourly = request.POST.get("hourly", "").strip().replace(",", "").replace(" ", "")
        if not hourly.isdigit() or not 0 < int(hourly) <= 10_000_000:
            return bad_request(request, _("The value of an hour is a whole number above zero."))
        try:
            Band.objects.create(
                hourly=int(hourly),
                currency=currency,
                name=request.POST.get("name", "").strip()[:80],
            )
        except IntegrityError:
            return bad_request(request, _("There is already a band of that value."))
        notices.success(request, _("Band added."))
        return redirect("desk:bands")
    used = Band.objects.annotate(n=Count("task"))
    return render(request, "desk/ledger/bands.html", {"bands": used, "usual": USUAL})
