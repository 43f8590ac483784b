"""Where a person lands after logging in: the founder in the cockpit (steering, not the
team's queues), everyone else in the desk."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from handoff.accounts.models import Role, User
from handoff.accounts.views import in_own_language


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    response = redirect(
        "cockpit:home" if isinstance(user, User) and user.role == Role.FOUNDER else "desk:inbox"
    )
    return in_own_language(response, user)
