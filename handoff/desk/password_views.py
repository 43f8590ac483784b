"""A forgotten password: Django's reset by email, throttled like a login (per account and
per address, the same answer whether or not the account exists), sent from the desk's own
address, the link on the desk's public URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

from handoff.accounts import throttle
from handoff.mailin.models import Mailbox


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "desk/password/form.html"
    email_template_name = "desk/password/email.txt"
    subject_template_name = "desk/password/subject.txt"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        outcome = throttle.begin(request.POST.get("email", ""), request.META.get("REMOTE_ADDR", ""))
        if isinstance(outcome, throttle.Refused):
            response = self.render_to_response(self.get_context_data(refused=outcome.message))
            response.status_code = 429
            response["Retry-After"] = str(outcome.seconds)
            return response
        desk = Mailbox.objects.filter(active=True, purpose=Mailbox.Purpose.DESK).order_by("address")
        mailbox = desk.first()
        self.from_email = mailbox.address if mailbox else None
        self.extra_email_context = {"public_url": settings.PUBLIC_URL}
        return super().post(request, *args, **kwargs)
