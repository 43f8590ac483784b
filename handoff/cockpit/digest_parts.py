"""What a digest is made of: sections of lines, each line with its link into the desk or
the cockpit (``digest`` and ``digest_team`` write them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

LISTED = 10  # items shown per section; the rest is one "and N more" line to the cockpit


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    url: str = ""
    lines: tuple[Line, ...] = ()


def section(title: str, lines: Sequence[Line], total: int) -> Section:
    more = total - len(lines)
    if more > 0:
        lines = [*lines, Line(_("…and %(count)s more") % {"count": more}, cockpit_url())]
    return Section(title, cockpit_url(), tuple(lines))


def conversation_url(pk: int) -> str:
    return settings.PUBLIC_URL + reverse("desk:conversation", args=[pk])


def cockpit_url() -> str:
    return settings.PUBLIC_URL + reverse("cockpit:home")
