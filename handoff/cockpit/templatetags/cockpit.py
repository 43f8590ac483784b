"""The cockpit's numbers as its charts show them, for the lists beside the charts."""

from django import template
from django.utils.formats import number_format

from handoff.cockpit import charts
from handoff.ledger import actions
from handoff.tickets.models import Conversation

register = template.Library()
STATUSES = dict(Conversation.Status.choices)


@register.filter
def duration(seconds: float | None) -> str:
    return charts.shown(seconds, charts.DURATION)


@register.filter
def status(value: str) -> str:
    return str(STATUSES.get(value, value))


@register.filter
def score(value: str) -> str:
    return charts.label(charts.SCORES, value)


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours to a tenth: the ledger's hours by value band."""
    return f"{number_format(round((minutes or 0) / 60, 1), decimal_pos=1)} h"


@register.filter
def span(minutes: int | None) -> str:
    """Minutes as people say a task's length: "45 min", "2 h 30", "3 d" (working days)."""
    return actions.shown(minutes)


@register.filter
def percent(share: float | None) -> str:
    return charts.percent(share) if share is not None else "—"


@register.filter
def count(value: int | None) -> str:
    """A count as the charts show it (thousands separated in the reader's language)."""
    return charts.shown(value, charts.COUNT)
