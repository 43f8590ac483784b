"""The cockpit's numbers as its charts show them, for the lists beside the charts."""

from django import template

from handoff.cockpit import charts
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
