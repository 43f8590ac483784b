"""``{{ warning|damage }}``: what a parser's warning on a message means, in the reader's
language. The warning itself (``handoff.lib.mime``, ``decoding``, ``reading``) stays as
written, in English, with the technical detail a developer needs; the desk shows it beside
this."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _kinds() -> tuple[tuple[str, str], ...]:
    """(how the warning starts, what it means), the first that matches."""
    return (
        ("header date:", _("Unreadable date")),
        ("header block unreadable", _("Unreadable headers")),
        ("header ", _("Malformed header")),
        ("unknown charset", _("Unknown character set: text read as well as possible")),
        ("text is not valid", _("Wrong character set: text read as well as possible")),
        ("part payload", _("A part could not be decoded")),
        ("NUL characters", _("Null characters replaced")),
        ("noise recognition failed", _("Not checked for auto-replies and bounces")),
    )


@register.filter(name="damage")
def damage(warning: object) -> str:
    text = str(warning)
    for start, meaning in _kinds():
        if text.startswith(start):
            return meaning
    return _("Damaged message structure")


@register.filter(name="damages")
def damages(warnings: list[object]) -> str:
    """What a message's warnings mean, each once, in order."""
    return "; ".join(dict.fromkeys(damage(w) for w in warnings))
