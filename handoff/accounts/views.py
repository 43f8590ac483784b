from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from handoff.accounts import throttle, two_factor
from handoff.accounts.models import User

# Between a right password and the code: who, how they signed in, where to go, since when.
PENDING = "handoff_login_pending"
PENDING_SECONDS = 5 * 60


class LoginView(auth_views.LoginView):
    """Django's login, throttled (see ``throttle``). A refused attempt is answered 429 with
    the same words whether or not the account exists, and its password is never checked.
    A person with two-factor sign-in is not logged in by the password alone: the session
    remembers them for a few minutes, and ``login_code`` asks for the code."""

    attempt: throttle.Attempt | None = None

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """Where the login form was asked to go; the desk's root (a visitor who opened the
        address ``./run serve`` prints) is no place in particular: the person lands where
        their role starts (``start``: the founder in the cockpit), not in the team's list."""
        wanted = super().get_redirect_url(request)
        return "" if wanted == "/" else wanted

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "")
        # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a
        # trusted proxy sets it, and no setting says so yet.
        outcome = throttle.begin(email, request.META.get("REMOTE_ADDR", ""))
        if isinstance(outcome, throttle.Refused):
            return self._refused(email, outcome)
        self.attempt = outcome
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        if self.attempt is not None:
            throttle.succeeded(self.attempt)
        user = form.get_user()
        if isinstance(user, User) and two_factor.has_device(user):
            session = self.request.session
            session.cycle_key()
            session[PENDING] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "next": self.get_success_url(),  # already checked to stay on this site
                "at": timezone.now().timestamp(),
            }
            return redirect("login_code")
        return in_own_language(super().form_valid(form), user)

    def _refused(self, email: str, refused: throttle.Refused) -> HttpResponse:
        # An unbound form: a bound one would check the password as soon as the page asks
        # for its errors.
        form = self.get_form_class()(self.request, initial={"username": email})
        response = self.render_to_response(
            self.get_context_data(form=form, refused=refused.message)
        )
        return _too_many(response, refused)


def _too_many(response: HttpResponse, refused: throttle.Refused) -> HttpResponse:
    response.status_code = 429
    response["Retry-After"] = str(refused.seconds)
    return response


@never_cache
@sensitive_post_parameters("code")
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the person's app, throttled like a password (its own
    count, per account and per address). The right one logs them in, verified."""
    pending = request.session.get(PENDING)
    user = _pending_user(pending)
    if user is None or not isinstance(pending, dict):
        request.session.pop(PENDING, None)
        return render(
            request,
            "registration/login_code.html",
            {"gone": _("This sign-in has expired. Log in again with your password.")},
            status=400 if request.method == "POST" else 200,
        )
    if request.method != "POST":
        return render(request, "registration/login_code.html", {})
    code = two_factor.clean_code(request.POST.get("code", ""))
    if code is None:
        error = _("Type the 6 digits your authentication app shows.")
        return render(request, "registration/login_code.html", {"error": error}, status=400)
    outcome = throttle.begin(user.email, request.META.get("REMOTE_ADDR", ""), step="code")
    if isinstance(outcome, throttle.Refused):
        response = render(request, "registration/login_code.html", {"error": outcome.message})
        return _too_many(response, outcome)
    device = two_factor.check(user, code)
    if device is None:
        error = _("Wrong code. Type the one your app shows now.")
        return render(request, "registration/login_code.html", {"error": error})
    throttle.succeeded(outcome)
    del request.session[PENDING]
    auth_login(request, user, backend=pending.get("backend") or None)
    otp_login(request, device)
    return in_own_language(redirect(pending.get("next") or "start"), user)


def in_own_language(response: HttpResponse, user: object) -> HttpResponse:
    """The desk in the person's own language from the page they land on, whichever it is
    (blank: the browser's or the desk's)."""
    if isinstance(user, User) and user.language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


def _pending_user(pending: object) -> User | None:
    """The person whose password was right, while it is recent and they still have a device."""
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), float | int):
        return None
    if timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    pk = pending.get("user")
    user = User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None
    if user is None or not two_factor.has_device(user):
        return None
    return user
