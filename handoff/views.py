"""Where a person lands after logging in: the founder in the cockpit (steering, not the
team's queues), everyone else in the desk."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from handoff.accounts.models import Role, User


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    response = redirect(
        "cockpit:home" if isinstance(user, User) and user.role == Role.FOUNDER else "desk:inbox"
    )
    if isinstance(user, User) and user.language:  # the desk in the person's own language
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response
