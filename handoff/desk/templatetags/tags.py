"""``{% tag_chips names %}``: a conversation's tags in their colours (from the head's list,
read once per page and only when a tag is shown; a name not on the list is grey), and
``{% priority_badge value %}``: high and urgent, marked (low and normal need no mark)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from handoff.desk.timeline import PRIORITY_NAMES
from handoff.lib.visible import escaped
from handoff.triage.models import Tag

register = template.Library()


@register.simple_tag(takes_context=True)
def tag_chips(context: template.Context, names: Any, known: Any = None) -> SafeString:
    """``known``: the list of tags when the page has it already (no query then)."""
    if not names:
        return SafeString("")
    colours = context.render_context.get("tag_colours")
    if colours is None and known is not None:
        colours = {tag.name: tag.colour for tag in known}
    if colours is None:
        colours = dict(Tag.objects.values_list("name", "colour"))
        context.render_context["tag_colours"] = colours
    return format_html_join(
        " ",
        '<span class="tag tag-{}">{}</span>',
        ((colours.get(name, Tag.Colour.GREY), escaped(str(name))) for name in names),
    )


@register.simple_tag
def priority_badge(value: str) -> SafeString:
    if value not in ("high", "urgent"):
        return SafeString("")
    return format_html('<span class="priority priority-{}">{}</span>', value, PRIORITY_NAMES[value])
