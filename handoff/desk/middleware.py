"""Each person's own time zone for every date the desk shows them (the one they set on
their page; the desk's otherwise). No query of its own: the user is the session's."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from handoff.accounts.models import User


class PersonalTimeZone:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = _zone(request)
        if zone is None:
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _zone(request: HttpRequest) -> ZoneInfo | None:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.time_zone:
        return None
    try:
        return ZoneInfo(user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None  # a name the machine does not know: the desk's zone
