"""``{{ value|visible }}``: what mail says (names, addresses, subjects, file names) shown with
its hidden characters written out (``⟨U+202E⟩``), never applied. The result is escaped by
the template like any other text."""

from __future__ import annotations

from typing import Any

from django import template

from handoff.lib.visible import escaped

register = template.Library()


@register.filter(name="visible")
def visible(value: Any) -> str:
    return "" if value is None else escaped(str(value))
