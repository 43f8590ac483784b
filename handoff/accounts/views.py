from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext

from handoff.accounts import throttle


class LoginView(auth_views.LoginView):
    """Django's login, throttled (see ``throttle``). A refused attempt is answered 429 with
    the same words whether or not the account exists, and its password is never checked."""

    attempt: throttle.Attempt | None = None

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
        return super().form_valid(form)

    def _refused(self, email: str, refused: throttle.Refused) -> HttpResponse:
        # An unbound form: a bound one would check the password as soon as the page asks
        # for its errors.
        form = self.get_form_class()(self.request, initial={"username": email})
        minutes = refused.minutes
        message = ngettext(
            "Too many attempts. Try again in %(minutes)d minute.",
            "Too many attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = self.render_to_response(self.get_context_data(form=form, refused=message))
        response.status_code = 429
        response["Retry-After"] = str(refused.seconds)
        return response
