"""The weekly digest: what the founder (or the head) should know about a week, exceptions
only, in their language and time zone, each with a link into the desk.

A week is a local one, Monday to Sunday, in the reader's time zone; by default the last
full week before ``now``. What it reports, in this order, each only when there is
something to say: promises broken during the week, conversations at risk now, founder
mail still waiting (oldest first), mail of the week that went to noise though the classifier
gave it a founder score (``triage.engine.decide.FOUNDER_AUDIT``), founder mail of the week the
desk had put elsewhere until a person corrected it, the hands-off rate when below
the goal, a fall of satisfaction, bad ratings, hours with new mail and nobody on shift,
the languages whose conversations went to someone who does not read them, the ledger's
check-ins of the week (where each delegated task stands, the worrying first) and the missed
ones, which the founder learns of here only. Then always the hands-off rate
(when not already reported) and the count of peeks, without judgement.
A quiet week is three lines.

Every figure comes from ``handoff.cockpit.figures``, the numbers the cockpit shows (the
noise's, from ``handoff.triage.lanes``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from handoff.accounts.models import User
from handoff.cockpit import digest_team, figures, people
from handoff.cockpit.digest_parts import (
    LISTED,
    Line,
    Section,
    cockpit_url,
    conversation_url,
    section,
)
from handoff.cockpit.figures import Period
from handoff.cockpit.sorting import Sorting, sorting
from handoff.cockpit.weeks import last_week, parse_week, week_name
from handoff.desk.models import Rating
from handoff.routing.models import Clock
from handoff.routing.roster import zone_of
from handoff.tickets.models import Conversation
from handoff.triage import lanes

DROP = 10  # satisfaction: a fall of this many points of "good" ratings week on week
COMMENT_CHARS = 200
REASONS = {
    "lane": gettext_lazy("Founder lane"),
    "escalated": gettext_lazy("handed to the founder"),
    "jumped_in": gettext_lazy("the founder stepped in"),
}


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str
    week: str  # the ISO week covered, 2026-W49
    quiet: bool


def build(user: User, week: str | None, now: datetime) -> Content:
    """The digest of ``week`` (default: the last full week) for ``user``, in their language."""
    zone = zone_of(user)
    monday = parse_week(week) if week else last_week(now, zone)
    period = Period.dates(monday, monday + timedelta(days=6), zone)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        dates = _dates(monday, monday + timedelta(days=6))
        hands = figures.hands_off(period, listed=LISTED)
        below = hands.rate is not None and hands.rate < figures.GOAL
        sections = [
            *_breaches(period, now, zone),
            *_waiting(zone),
            *_founder_noise(period),
            *_founder_found(sorting(period)),
            *([_hands_off_section(hands)] if below else []),
            *_satisfaction(period, zone),
            *digest_team.gaps(period),
            *digest_team.languages(period),
            *digest_team.ledger(period, monday),
        ]
        closing = [
            *([] if below else [_hands_off_line(hands)]),
            Line(
                _("The founder’s peeks into the team’s work: %(count)s.")
                % {"count": people.peek_count(period)}
            ),
        ]
        subject, intro = _headline(dates, len(sections))
        context = {
            "language": translation.get_language(),
            "subject": subject,
            "intro": intro,
            "sections": sections,
            "closing": closing,
        }
        text = render_to_string("cockpit/digest.txt", context)
        html = render_to_string("cockpit/digest.html", context)
    return Content(f"[Handoff] {subject}", _plain(text), html, week_name(monday), not sections)


def _headline(dates: str, count: int) -> tuple[str, str]:
    """The subject and the first line: how many things to look at, or a quiet week."""
    if not count:
        return (
            _("Weekly digest, %(dates)s: a quiet week") % {"dates": dates},
            _("%(dates)s: a quiet week. Every promise kept, nothing waiting for the founder.")
            % {"dates": dates},
        )
    subject = ngettext(
        "Weekly digest, %(dates)s: %(count)s thing to look at",
        "Weekly digest, %(dates)s: %(count)s things to look at",
        count,
    )
    intro = ngettext(
        "%(dates)s: %(count)s thing to look at.",
        "%(dates)s: %(count)s things to look at.",
        count,
    )
    return subject % {"dates": dates, "count": count}, intro % {"dates": dates, "count": count}


def _plain(rendered: str) -> str:
    """The text template's output without the blank lines its tags leave."""
    lines = [line.rstrip() for line in rendered.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


# -- the sections ------------------------------------------------------------------------


def _breaches(period: Period, now: datetime, zone: ZoneInfo) -> list[Section]:
    backlog = figures.backlog(period, now, listed=LISTED)
    found = []
    count = figures.breach_count(period)
    if count:
        lines = [
            _item(pk, subject, _("broken on %(when)s") % {"when": _when(at, zone)}, _status(st))
            for pk, subject, at, st, _first in backlog.breaches
        ]
        title = ngettext("%(count)s promise broken", "%(count)s promises broken", count)
        found.append(section(title % {"count": count}, lines, count))
    at_risk = _at_risk_count()
    if at_risk:
        lines = [
            _item(pk, subject, _("answer by %(when)s") % {"when": _when(by, zone)})
            for pk, subject, by in backlog.at_risk
        ]
        title = ngettext(
            "%(count)s conversation at risk now", "%(count)s conversations at risk now", at_risk
        )
        found.append(section(title % {"count": at_risk}, lines, at_risk))
    return found


def _waiting(zone: ZoneInfo) -> list[Section]:
    waiting = people.waiting_for_founder()
    if not waiting:
        return []
    lines = [
        _item(pk, subject, _("since %(when)s") % {"when": _when(at, zone)})
        for pk, subject, at in waiting[:LISTED]
    ]
    title = ngettext(
        "%(count)s conversation waiting for the founder, oldest first",
        "%(count)s conversations waiting for the founder, oldest first",
        len(waiting),
    )
    return [section(title % {"count": len(waiting)}, lines, len(waiting))]


def _founder_noise(period: Period) -> list[Section]:
    found = lanes.founder_scored_between(period.start, period.end)
    if not found:
        return []
    score = _("founder score %(score)s")
    lines = [
        _item(pk, subject, score % {"score": number_format(value, 2)})
        for pk, subject, value in found[:LISTED]
    ]
    title = ngettext(
        "%(count)s conversation in the noise that may be the founder’s",
        "%(count)s conversations in the noise that may be the founder’s",
        len(found),
    )
    # The head's noise audit, this mail alone: where "Not noise" is one click.
    audit = settings.PUBLIC_URL + reverse("desk:inbox") + "?queue=noise&founder=1"
    if len(found) > LISTED:
        more = _("…and %(count)s more") % {"count": len(found) - LISTED}
        lines.append(Line(more, audit))
    return [Section(title % {"count": len(found)}, audit, tuple(lines))]


def _founder_found(found: Sorting) -> list[Section]:
    """The founder's mail of the week that the desk had put elsewhere and a person moved
    into her lane (the cockpit's sorting, where the rest of the corrections are)."""
    if not found.founder_found:
        return []
    title = ngettext(
        "%(n)s message of the week was the founder’s mail, put elsewhere by the desk, "
        "until a person corrected it",
        "%(n)s messages of the week were the founder’s mail, put elsewhere by the desk, "
        "until a person corrected them",
        found.founder_found,
    )
    return [Section(title % {"n": found.founder_found}, cockpit_url() + "#sorting")]


def _hands_off_section(hands: figures.HandsOff) -> Section:
    assert hands.rate is not None
    title = ngettext(
        "Hands-off rate: %(rate)s of %(count)s conversation, below the %(goal)s goal.",
        "Hands-off rate: %(rate)s of %(count)s conversations, below the %(goal)s goal.",
        hands.needed,
    ) % {"rate": _percent(hands.rate), "count": hands.needed, "goal": _percent(figures.GOAL)}
    lines = [
        _item(pk, subject, str(REASONS.get(reason, reason)))
        for pk, subject, reason, _at in hands.handled
    ]
    return section(title, lines, hands.needed - hands.by_team)


def _hands_off_line(hands: figures.HandsOff) -> Line:
    if hands.rate is None:
        return Line(_("Hands-off rate: no mail to answer."), cockpit_url())
    text = ngettext(
        "Hands-off rate: %(rate)s of %(count)s conversation (goal %(goal)s).",
        "Hands-off rate: %(rate)s of %(count)s conversations (goal %(goal)s).",
        hands.needed,
    ) % {"rate": _percent(hands.rate), "count": hands.needed, "goal": _percent(figures.GOAL)}
    return Line(text, cockpit_url())


def _satisfaction(period: Period, zone: ZoneInfo) -> list[Section]:
    found = []
    now, before = people.satisfaction(period), people.satisfaction(period.previous())
    good, was = now.good, before.good
    # In points, with room for the float: 0.8 - 0.7 is not quite 0.1.
    if good is not None and was is not None and (was - good) * 100 >= DROP - 1e-9:
        title = _("Satisfaction: %(now)s good, down from %(before)s the week before.") % {
            "now": _percent(good),
            "before": _percent(was),
        }
        found.append(Section(title, cockpit_url()))
    bad = bad_ratings(period)
    if bad:
        lines = [
            _item(pk, subject, _when(at, zone), _quoted(comment))
            for pk, subject, comment, at in bad[:LISTED]
        ]
        title = ngettext("%(count)s bad rating", "%(count)s bad ratings", len(bad))
        found.append(section(title % {"count": len(bad)}, lines, len(bad)))
    return found


def bad_ratings(period: Period) -> list[tuple[int, str, str, datetime]]:
    """The week's bad ratings, oldest first: (conversation, subject, comment, at)."""
    return list(
        Rating.objects.filter(at__gte=period.start, at__lt=period.end, score=Rating.Score.BAD)
        .order_by("at", "pk")
        .values_list("conversation_id", "conversation__subject", "comment", "at")
    )


def _at_risk_count() -> int:
    # What figures.backlog lists as at risk, counted rather than listed.
    return Clock.objects.filter(at_risk=True, is_open=True).count()


# -- words, dates and links --------------------------------------------------------------


def _item(pk: int, subject: str, *details: str) -> Line:
    parts = [f"#{pk} {subject or _('(no subject)')}", *(d for d in details if d)]
    return Line(" — ".join(parts), conversation_url(pk))


def _status(status: str) -> str:
    return str(Conversation.Status(status).label) if status in Conversation.Status else status


def _quoted(comment: str) -> str:
    comment = " ".join(comment.split())
    if not comment:
        return ""
    if len(comment) > COMMENT_CHARS:
        comment = comment[: COMMENT_CHARS - 1] + "…"
    return _("“%(comment)s”") % {"comment": comment}


def _when(at: datetime | None, zone: ZoneInfo) -> str:
    return date_format(at.astimezone(zone), "D j F H:i") if at else "?"


def _dates(first: date, last: date) -> str:
    start = date_format(first, "j F" if first.year == last.year else "j F Y")
    return f"{start} – {date_format(last, 'j F Y')}"


def _percent(value: float) -> str:
    # Cut, not rounded, to a tenth: 98.96 % is below a 99 % goal and must not read 99 %.
    tenths = math.floor(value * 1000 + 1e-9) / 10
    number = number_format(tenths, decimal_pos=0 if tenths == int(tenths) else 1)
    return _("%(number)s%%") % {"number": number}
