"""Two-factor sign-in on the person's own page: turn it on (a QR code and the key to type,
then one code from the app to confirm), or off (a current code, or the password)."""

from __future__ import annotations

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from handoff.accounts import throttle, two_factor
from handoff.accounts.models import User
from handoff.desk.access import person
from handoff.desk.views import bad_request


@never_cache
@sensitive_post_parameters("code", "password")
@login_required
def page(request: HttpRequest) -> HttpResponse:
    user = person(request)
    if request.method != "POST":
        return _page(request, user)
    action = request.POST.get("action", "")
    if action == "start":
        if two_factor.has_device(user):
            return bad_request(request, _("Two-factor sign-in is already on."))
        two_factor.start(user)
        return redirect("desk:two_factor")
    if action == "confirm":
        return _confirm(request, user)
    if action == "turn_off":
        return _turn_off(request, user)
    return bad_request(request, _("Unknown action: %(value)s") % {"value": action[:40]})


def _confirm(request: HttpRequest, user: User) -> HttpResponse:
    if two_factor.pending_device(user) is None:
        return bad_request(request, _("Nothing to confirm: turn two-factor sign-in on first."))
    code = two_factor.clean_code(request.POST.get("code", ""))
    if code is None:
        return _page(request, user, _("Type the 6 digits your authentication app shows."))
    if not two_factor.confirm(request, user, code):
        return _page(request, user, _("Wrong code. Type the one your app shows now."))
    notices.success(request, _("Two-factor sign-in is on: each login will ask for a code."))
    return redirect("desk:me")


def _turn_off(request: HttpRequest, user: User) -> HttpResponse:
    if not two_factor.has_device(user):
        return bad_request(request, _("Two-factor sign-in is already off."))
    if two_factor.required(user):
        return _page(request, user, _("Your role must keep two-factor sign-in on."))
    typed = request.POST.get("code", "").strip()
    password = request.POST.get("password", "")
    code = two_factor.clean_code(typed)
    if not password and code is None:
        return _page(request, user, _("Type a code from your app, or your password."))
    step = "code" if code is not None else ""
    outcome = throttle.begin(user.email, request.META.get("REMOTE_ADDR", ""), step=step)
    if isinstance(outcome, throttle.Refused):
        return _page(request, user, outcome.message, status=429)
    right = two_factor.check(user, code) if code is not None else user.check_password(password)
    if not right:
        return _page(request, user, _("Wrong code or password."))
    throttle.succeeded(outcome)
    two_factor.turn_off(user)
    notices.success(request, _("Two-factor sign-in is off: the password alone signs you in."))
    return redirect("desk:me")


def _page(request: HttpRequest, user: User, error: str = "", status: int = 0) -> HttpResponse:
    on = two_factor.has_device(user)
    device = None if on else two_factor.pending_device(user)
    context = {
        "on": on,
        "pending": device is not None,
        "required": two_factor.required(user),
        "error": error,
    }
    if device is not None:
        context["qr"] = two_factor.qr_svg(device)
        context["secret"] = two_factor.secret_for_typing(device)
    return render(
        request, "desk/two_factor.html", context, status=status or (400 if error else 200)
    )
