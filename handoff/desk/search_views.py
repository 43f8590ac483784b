"""The desk's search: words found in who wrote, the subject, the text and the notes
(``handoff.tickets.search``), narrowed by filters that combine in the URL — lane, category,
language, status, assignee, tag, priority, mailbox, dates — over what the person may read;
best match first, the matching words marked in a snippet (escaped first, then marked)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from handoff.accounts.models import User
from handoff.desk.access import person, visible_conversations
from handoff.desk.timeline import PRIORITY_NAMES
from handoff.desk.views import PAGE_SIZE, bad_request
from handoff.lib.visible import escaped
from handoff.mailin.models import Mailbox
from handoff.routing.roster import zone_of
from handoff.tickets import search
from handoff.tickets.models import Conversation, Participant
from handoff.triage.engine.labels import CATEGORIES, LANES
from handoff.triage.models import Tag

MOST_QUERY = 200
FILTERS = (
    "lane", "category", "language", "status", "assignee", "tag", "priority", "mailbox", "from", "to"
)  # fmt: skip


class BadFilter(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Result:
    conversation: Conversation
    snippet: SafeString


def highlighted(snippet: str) -> SafeString:
    """The snippet escaped (markup, and hidden characters written out), then its matching
    words marked: nothing a customer wrote is ever markup here."""
    parts = []
    for piece in snippet.split(search.START):
        word, marked, rest = piece.partition(search.END)
        if marked:
            parts.append(f"<mark>{escape(escaped(word))}</mark>{escape(escaped(rest))}")
        else:
            parts.append(escape(escaped(piece)))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def filtered(
    conversations: QuerySet[Conversation], get: QueryDict, user: User
) -> QuerySet[Conversation]:
    lane = get.get("lane", "")
    if lane:
        if lane not in LANES:
            raise BadFilter(_("Not a lane: %(value)s") % {"value": lane})
        conversations = conversations.filter(lane__lane=lane)
    category = get.get("category", "")
    if category:
        if category not in CATEGORIES:
            raise BadFilter(_("Not a category: %(value)s") % {"value": category})
        conversations = conversations.filter(lane__category=category)
    language = get.get("language", "").strip().lower()
    if language:
        if not (language.isalpha() and len(language) <= 8):
            raise BadFilter(_("Not a language: %(value)s") % {"value": language})
        conversations = conversations.filter(lane__language=language)
    status = get.get("status", "")
    if status:
        if status not in Conversation.Status.values:
            raise BadFilter(_("Not a status: %(status)s") % {"status": status})
        conversations = conversations.filter(status=status)
    assignee = get.get("assignee", "")
    if assignee == "me":
        conversations = conversations.filter(clock__assignee=user)
    elif assignee == "none":
        conversations = conversations.filter(clock__assignee=None)
    elif assignee:
        if not assignee.isdigit():
            raise BadFilter(_("Not a person: %(value)s") % {"value": assignee})
        conversations = conversations.filter(clock__assignee_id=int(assignee))
    tag = get.get("tag", "").strip().lower()
    if tag:
        if len(tag) > 40:
            raise BadFilter(_("Not a tag: %(value)s") % {"value": tag[:40]})
        conversations = conversations.filter(_json_holds("lane__tags", tag))
    priority = get.get("priority", "")
    if priority:
        if priority not in PRIORITY_NAMES:
            raise BadFilter(_("Not a priority: %(priority)s") % {"priority": priority})
        conversations = conversations.filter(lane__priority=priority)
    mailbox = get.get("mailbox", "").strip().lower()
    if mailbox:
        if "@" not in mailbox or len(mailbox) > 320:
            raise BadFilter(_("Not a mailbox: %(value)s") % {"value": mailbox[:320]})
        # The conversations it takes part in (written to, copied, or answered from): the
        # people of each conversation are kept apart, by address, for this.
        involved = Participant.objects.filter(address=mailbox)
        conversations = conversations.filter(pk__in=involved.values("conversation_id"))
    zone = zone_of(user)
    for key, lookup, shift in (("from", "gte", 0), ("to", "lt", 1)):
        text = str(get.get(key, ""))
        if text:
            try:
                day = date.fromisoformat(text) + timedelta(days=shift)
            except ValueError:
                raise BadFilter(
                    _("“%(text)s” is not a date (YYYY-MM-DD).") % {"text": text}
                ) from None
            moment = datetime.combine(day, time(), zone)
            conversations = conversations.filter(**{f"last_message_at__{lookup}": moment})
    return conversations


def _json_holds(field: str, text: str) -> Q:
    """A JSON list (of names, or of [name, address] pairs) holding the string ``text``:
    its quoted form in the stored JSON, as SQLite keeps it (non-ASCII escaped) and as
    PostgreSQL writes it out; the same lookup on both."""
    quoted = {json.dumps(text), json.dumps(text, ensure_ascii=False)}
    found = Q()
    for form in quoted:
        found |= Q(**{f"{field}__icontains": form})
    return found


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    user = person(request)
    query = request.GET.get("q", "").strip()[:MOST_QUERY]
    try:
        conversations = filtered(visible_conversations(user), request.GET, user)
    except BadFilter as error:
        return bad_request(request, str(error))
    conversations = conversations.select_related("clock__assignee", "lane")
    filters = any(request.GET.get(k) for k in FILTERS)
    page: Page[Any]
    if query:
        hits = search.find(query)
        found = conversations.in_bulk([h.conversation for h in hits])
        results = [(found[h.conversation], h.key) for h in hits if h.conversation in found]
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
        snippets = search.snippets(query, [key for _c, key in page.object_list])
        rows = [Result(c, highlighted(snippets.get(key, ""))) for c, key in page.object_list]
    else:
        # Filters alone: the page's rows read by the database (the count, then one page),
        # not the first RECENT conversations with their lanes and clocks.
        newest = conversations.order_by("-last_message_at", "-pk")
        listed = newest[: search.RECENT] if filters else newest.none()  # nothing asked
        page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [Result(c, SafeString("")) for c in page.object_list]
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "desk/search.html",
        {
            "query": query,
            "rows": rows,
            "page": page,
            "searched": bool(query or filters),
            "chosen": request.GET,
            "kept": kept.urlencode(),
            "lanes": LANES
            if user.sees_founder_lane
            else [lane for lane in LANES if lane != "founder"],
            "categories": CATEGORIES,
            "statuses": Conversation.Status.choices,
            "people": assignable_people(),
            "tag_list": list(Tag.objects.all()),
            "priorities": [(k, v) for k, v in PRIORITY_NAMES.items() if k],
            "mailboxes": Mailbox.objects.order_by("address").values_list("address", flat=True),
            "now": timezone.now(),
        },
    )


def assignable_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("name", "email")
