"""The conversation's timeline as the desk shows it: one sentence per row, in the reader's
language (the dates in their time zone are the template's)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from handoff.desk.models import Rating
from handoff.tickets import timeline
from handoff.tickets.models import Conversation, Event

Kind = Event.Kind
SCORES = dict(Rating.Score.choices)


@dataclass(frozen=True, slots=True)
class Row:
    at: datetime
    kind: str
    text: str
    data: dict[str, Any]


def rows(conversation: Conversation) -> list[Row]:
    return [Row(e.at, e.kind, describe(e), _data(e)) for e in timeline.of(conversation.pk)]


def separable(rows: list[Row]) -> list[int]:
    """The conversations a person merged into this one that may be separated again: a
    merge that recorded what moved, not undone since (read from the timeline, no query)."""
    found: dict[int, bool] = {}
    for row in rows:
        source = row.data.get("from")
        if row.kind == Kind.MERGED and "messages" in row.data and isinstance(source, int):
            found[source] = True
        elif row.kind == Kind.SEPARATED and isinstance(source, int):
            found.pop(source, None)
    return list(found)


def _data(event: Event) -> dict[str, Any]:
    return event.data if event.kind in (Kind.MERGED, Kind.SEPARATED) else {}


def _who(user: Any) -> str:
    return str(user) if user is not None else _("the desk")


# The reasons routing writes, as the reader says them.
REASONS = {
    "snoozed": gettext_lazy("snoozed"),
    "pending": gettext_lazy("waiting on the customer"),
    "solved": gettext_lazy("solved"),
    "merged": gettext_lazy("merged"),
    "founder lane": gettext_lazy("founder's lane"),
    "handed to the team": gettext_lazy("handed to the team"),
    "shift ended": gettext_lazy("shift ended"),
    "away": gettext_lazy("away"),
    "customer wrote": gettext_lazy("the customer wrote"),
    "left the team": gettext_lazy("left the team"),
}


def _reason(data: dict[str, Any]) -> str:
    reason = str(data.get("reason") or "")
    return f" ({REASONS.get(reason, reason)})" if reason else ""


def language_name(code: str) -> str:
    """The language's name in the reader's language; one Django has no name for keeps its
    code."""
    with suppress(KeyError):
        return str(get_language_info(code)["name_translated"]) if code else ""
    return code


def _unread(data: dict[str, Any]) -> str:
    """Given to someone who does not read the conversation's language, and why."""
    code = str(data.get("unread") or "")
    if not code:
        return ""
    language = language_name(code)
    return " · " + _(
        "does not read %(language)s: the answer is due before anyone who does is on shift"
    ) % {"language": language}


def describe(event: Event) -> str:
    data, kind = event.data, event.kind
    actor, person = _who(event.actor), _who(event.person)
    if kind == Kind.CREATED:
        return _("Conversation started")
    if kind == Kind.MESSAGE:
        if data.get("direction") == "out":
            return _("Sent by %(sender)s") % {"sender": data.get("sender", "")}
        return _("Message from %(sender)s") % {"sender": data.get("sender", "")}
    if kind == Kind.TRIAGED:
        return _("Triaged: %(lane)s · %(category)s (%(layer)s, %(confidence)d %%)") % {
            "lane": data.get("lane"),
            "category": data.get("category"),
            "layer": data.get("layer"),
            "confidence": round(float(data.get("confidence") or 0) * 100),
        }
    if kind == Kind.CORRECTED:
        return _("%(actor)s corrected the triage: %(lane)s · %(category)s") % {
            "actor": actor,
            "lane": data.get("lane"),
            "category": data.get("category"),
        }
    if kind == Kind.MOVED:
        if data.get("to") == "founder":
            return _("%(actor)s handed it to the founder") % {"actor": actor}
        return _("%(actor)s handed it back to the team") % {"actor": actor}
    if kind == Kind.CLOCK:
        return _("Answer expected by %(due)s (%(policy)s)") % {
            "due": _short(data.get("due")),
            "policy": data.get("policy", ""),
        }
    if kind == Kind.ASSIGNED:
        if event.actor_id and event.actor_id == event.person_id:  # "Assign to me", a reply
            return _("%(actor)s took it") % {"actor": actor}
        if event.actor_id:
            return _("%(actor)s assigned it to %(person)s") % {"actor": actor, "person": person}
        return _("Assigned to %(person)s") % {"person": person} + _reason(data) + _unread(data)
    if kind == Kind.QUEUED:
        return _("Back in the team's queue") + _reason(data)
    if kind == Kind.HANDOVER:
        return _("Handed over to %(person)s") % {"person": person} + _reason(data) + _unread(data)
    if kind == Kind.REMINDED:
        return _("Reminder to %(person)s: answer due by %(due)s") % {
            "person": person,
            "due": _short(data.get("due")),
        }
    if kind == Kind.BREACHED:
        return _("Answer-by time passed (%(due)s)") % {"due": _short(data.get("due"))}
    if kind == Kind.REASSIGNED:
        return _("Escalated: reassigned to %(person)s") % {"person": person} + _unread(data)
    if kind == Kind.PAUSED:
        if data.get("until"):
            return _("Clocks paused until %(until)s") % {"until": _short(data["until"])} + (
                _reason(data)
            )
        return _("Clocks paused") + _reason(data)
    if kind == Kind.RESUMED:
        return _("Clocks running again") + _reason(data)
    if kind == Kind.STATUS and data.get("reason") == timeline.HISTORY:
        return _("Imported as history and solved: its last message is from before %(date)s") % {
            "date": _short(data.get("before"))[:10]
        }
    if kind == Kind.STATUS:
        status = Conversation.Status(data["to"]).label if data.get("to") else ""
        return _("%(actor)s set the status to “%(status)s”") % {"actor": actor, "status": status}
    if kind == Kind.MERGED:
        if data.get("into"):
            return _("%(actor)s merged this conversation into #%(number)s") % {
                "actor": actor,
                "number": data["into"],
            }
        return _("Conversation #%(number)s merged into this one") % {"number": data.get("from")}
    if kind == Kind.SEPARATED:
        if data.get("from") == event.conversation_id:
            return _("%(actor)s undid the merge into #%(number)s") % {
                "actor": actor,
                "number": data.get("into"),
            }
        return _("%(actor)s undid the merge of #%(number)s: it is on its own again") % {
            "actor": actor,
            "number": data.get("from"),
        }
    if kind == Kind.NOTE:
        return _("%(actor)s left an internal note") % {"actor": actor}
    if kind == Kind.HELD:
        return _("Automatic message to %(to)s held back: %(reason)s") % {
            "to": data.get("to", ""),
            "reason": data.get("reason", ""),
        }
    if kind == Kind.DELIVERY_FAILED:
        return _("Delivery to %(to)s failed: %(reason)s") % {
            "to": data.get("to", ""),
            "reason": data.get("reason", ""),
        }
    if kind == Kind.RATED:
        score = SCORES.get(str(data.get("score")), data.get("score"))
        return _("The customer rated the answer: %(score)s") % {"score": score}
    if kind == Kind.TASK:
        return _("%(actor)s made it a ledger task: T-%(task)s %(title)s") % {
            "actor": actor,
            "task": data.get("task"),
            "title": data.get("title", ""),
        }
    if kind == Kind.TAGGED:
        added, removed = data.get("added") or [], data.get("removed") or []
        parts = []
        if added:
            parts.append(_("added %(tags)s") % {"tags": ", ".join(added)})
        if removed:
            parts.append(_("removed %(tags)s") % {"tags": ", ".join(removed)})
        return _("%(actor)s changed the tags: %(what)s") % {
            "actor": actor,
            "what": "; ".join(parts),
        }
    if kind == Kind.PRIORITY:
        return _("%(actor)s set the priority to “%(priority)s”") % {
            "actor": actor,
            "priority": PRIORITY_NAMES.get(data.get("to") or "", data.get("to") or ""),
        }
    return str(event.get_kind_display())


PRIORITY_NAMES = {
    "": gettext_lazy("none"),
    "low": gettext_lazy("low"),
    "normal": gettext_lazy("normal"),
    "high": gettext_lazy("high"),
    "urgent": gettext_lazy("urgent"),
}


def _short(value: object) -> str:
    """An ISO time of the payload as minutes, UTC (the row's own time is shown localised)."""
    if not isinstance(value, str):
        return ""
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return value
