"""HANDOFF_REQUIRE_2FA: a founder or an administrator without a confirmed device may only
enrol one (or log out) until they have. Nothing is asked of the database unless the setting
is on and the person has one of those roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from handoff.accounts import two_factor
from handoff.accounts.models import User

# What a held person may still open (by URL name): static files never get this far.
ALLOWED = {"desk:two_factor", "logout", "login", "login_code", "set_language"}


class RequireTwoFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not settings.REQUIRE_2FA:
            return None
        user = request.user
        if not isinstance(user, User) or user.role not in two_factor.REQUIRED_ROLES:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED:
            return None
        is_verified = getattr(user, "is_verified", None)
        if callable(is_verified) and is_verified():
            return None
        if two_factor.has_device(user):
            # A session opened before the device was confirmed elsewhere: both steps again.
            logout(request)
            return redirect_to_login(request.get_full_path())
        return redirect("desk:two_factor")
