"""The digest's sections on the team's week: hours with new mail and nobody on shift, the
languages whose conversations went to someone who does not read them, and the ledger's
check-ins (answered, the worrying first, and missed)."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import ngettext

from handoff.cockpit import coverage
from handoff.cockpit.digest_parts import LISTED, Line, Section, section
from handoff.cockpit.figures import Period
from handoff.desk.timeline import language_name
from handoff.ledger.models import CheckIn, Task


def gaps(period: Period) -> list[Section]:
    gaps = coverage.volume(period).gaps
    if not gaps:
        return []
    lines = [
        Line(
            ngettext(
                "%(day)s %(start)s–%(end)s: %(count)s conversation",
                "%(day)s %(start)s–%(end)s: %(count)s conversations",
                hour.uncovered,
            )
            % {
                "day": WEEKDAYS[day],
                "start": f"{h:02d}:00",
                "end": f"{(h + 1) % 24:02d}:00",
                "count": hour.uncovered,
            }
        )
        for day, h, hour in gaps[:LISTED]
    ]
    title = ngettext(
        "%(count)s hour with new mail and nobody on shift",
        "%(count)s hours with new mail and nobody on shift",
        len(gaps),
    )
    return [section(title % {"count": len(gaps)}, lines, len(gaps))]


def languages(period: Period) -> list[Section]:
    short = coverage.short_of(period)
    if not short:
        return []
    lines = [
        Line(
            ngettext(
                "%(language)s: %(count)s conversation",
                "%(language)s: %(count)s conversations",
                count,
            )
            % {"language": language_name(code), "count": count},
            settings.PUBLIC_URL + reverse("desk:search") + f"?language={quote(code)}",
        )
        for code, count in short[:LISTED]
    ]
    total = sum(count for _, count in short)
    title = ngettext(
        "%(count)s conversation went to someone who does not read its language: nobody "
        "who does was on shift before the answer was due",
        "%(count)s conversations went to someone who does not read their language: nobody "
        "who does was on shift before the answer was due",
        total,
    )
    return [Section(title % {"count": total}, "", tuple(lines))]


def ledger(period: Period, monday: date) -> list[Section]:
    answered = CheckIn.objects.filter(
        answered_at__gte=period.start, answered_at__lt=period.end
    ).select_related("task", "answered_by")
    worry: dict[str, int] = {CheckIn.Status.BLOCKED: 0, CheckIn.Status.NEEDS_HELP: 1}
    found = sorted(answered, key=lambda c: (worry.get(c.status, 2), c.pk))
    sections = []
    if found:
        lines = [
            task_line(c.task, f"{c.answered_by or ''}: {c.get_status_display()}", c.text)
            for c in found[:LISTED]
        ]
        title = ngettext(
            "%(count)s check-in on the ledger", "%(count)s check-ins on the ledger", len(found)
        )
        sections.append(section(title % {"count": len(found)}, lines, len(found)))
    missed = CheckIn.objects.filter(
        on__gte=monday, on__lte=monday + timedelta(days=6), missed_at__isnull=False
    ).select_related("task__owner")
    if missed:
        lines = [
            task_line(c.task, str(c.task.owner or ""), date_format(c.on, "j F"))
            for c in missed[:LISTED]
        ]
        title = ngettext("%(count)s check-in missed", "%(count)s check-ins missed", len(missed))
        sections.append(section(title % {"count": len(missed)}, lines, len(missed)))
    return sections


def task_line(task: Task, *details: str) -> Line:
    parts = [f"T-{task.pk} {task.title}", *(d for d in details if d)]
    return Line(" — ".join(parts), settings.PUBLIC_URL + reverse("desk:task", args=[task.pk]))
