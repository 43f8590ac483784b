"""``{{ value|visible }}``: what mail says (names, addresses, subjects, file names) shown with
its hidden characters written out (``⟨U+202E⟩``), never applied. The result is escaped by
the template like any other text."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString

from handoff.lib.visible import escaped

register = template.Library()


@register.filter(name="visible")
def visible(value: Any) -> str:
    return "" if value is None else escaped(str(value))


# "#3002" in a notification's text: the conversation (an escaped text holds "&#x27;" and
# the like, whose "#" follows "&").
NUMBER = re.compile(r"(?<![&\w])#(\d{1,18})\b")


@register.filter(name="linked_numbers")
def linked_numbers(value: Any) -> SafeString:
    """``visible``, escaped, with each "#number" a link to that conversation (a notification naming
    several: late ones, ones at risk)."""
    text = escape(visible(value))

    def link(found: re.Match[str]) -> str:
        url = reverse("desk:conversation", args=[int(found[1])])
        return f'<a href="{url}">#{found[1]}</a>'

    return SafeString(NUMBER.sub(link, text))
