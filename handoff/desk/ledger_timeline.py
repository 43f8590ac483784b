"""A task's timeline in words: who did what to it, in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from handoff.ledger.actions import shown
from handoff.ledger.models import CheckIn, Task, TaskEvent


def describe(event: TaskEvent) -> str:
    data, kind, actor = event.data, event.kind, str(event.actor or _("the desk"))
    Kind = TaskEvent.Kind
    if kind == Kind.CREATED:
        return _("%(actor)s created the task (from %(source)s)") % {
            "actor": actor,
            "source": Task.Source(data.get("source", "desk")).label,
        }
    if kind == Kind.OWNER:
        if not data.get("to"):
            return _("%(actor)s left it without an owner") % {"actor": actor}
        if event.actor_id and data.get("to") == event.actor_id:
            return _("%(actor)s: “I'll take care of it”") % {"actor": actor}
        return _("%(actor)s gave it to %(owner)s") % {"actor": actor, "owner": data.get("name", "")}
    if kind == Kind.CHANGED:
        return _("%(actor)s changed %(fields)s") % {
            "actor": actor,
            "fields": ", ".join(data.get("fields", [])),
        }
    if kind == Kind.CHECKIN_SET:
        return _("%(actor)s agreed a check-in on %(day)s") % {"actor": actor, "day": data.get("on")}
    if kind == Kind.REMINDED:
        return _("Reminder sent for the check-in of %(day)s") % {"day": data.get("on")}
    if kind == Kind.CHECKED_IN:
        status = CheckIn.Status(data["status"]).label if data.get("status") else ""
        return _("%(actor)s checked in: %(status)s — %(text)s") % {
            "actor": actor,
            "status": status,
            "text": data.get("text", ""),
        }
    if kind == Kind.MISSED:
        return _("Check-in of %(day)s missed") % {"day": data.get("on")}
    if kind == Kind.ESTIMATE:
        return _("%(actor)s estimated it at %(time)s") % {
            "actor": actor,
            "time": shown(data.get("minutes")),
        }
    if kind == Kind.TIME:
        return _("%(actor)s recorded %(time)s on %(day)s") % {
            "actor": actor,
            "time": shown(data.get("minutes")),
            "day": data.get("on"),
        }
    if kind == Kind.TIMER:
        if data.get("running"):
            return _("%(actor)s started the timer") % {"actor": actor}
        return _("%(actor)s stopped the timer") % {"actor": actor}
    if kind == Kind.STATUS:
        return _("%(actor)s set the status to “%(status)s”") % {
            "actor": actor,
            "status": Task.Status(data.get("to", "open")).label,
        }
    return str(event.get_kind_display())
