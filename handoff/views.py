"""Where a person lands after logging in: the founder in the cockpit (steering, not the
team's queues), everyone else in the desk."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from handoff.accounts.models import Role, User


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User) and user.role == Role.FOUNDER:
        return redirect("cockpit:home")
    return redirect("desk:inbox")
