"""A person's own page ("Me"): their name, language, time zone, signature, whether
being given a conversation also comes by email, and two-factor sign-in (its own page,
``two_factor_views``); and "For you": what the desk told them
(conversations given to them, reminders, breaches, handovers), the unread first."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from handoff.accounts import two_factor
from handoff.accounts.views import in_own_language
from handoff.desk.access import person
from handoff.desk.views import bad_request
from handoff.routing.models import Notification

LISTED = 50


@login_required
def me(request: HttpRequest) -> HttpResponse:
    user = person(request)
    languages = dict(settings.LANGUAGES)
    if request.method == "POST":
        post = request.POST
        language = post.get("language", "")
        zone = post.get("time_zone", "").strip()
        if language and language not in languages:
            return bad_request(
                request, _("Not a language of the desk: %(value)s") % {"value": language}
            )
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                return bad_request(
                    request, _("Not a time zone: %(value)s (e.g. Europe/Paris)") % {"value": zone}
                )
        signature = post.get("signature", "").strip()
        if len(signature) > 2000:
            return bad_request(request, _("A signature is at most 2,000 characters."))
        user.name = " ".join(post.get("name", "").split())[:150]
        user.language, user.time_zone, user.signature = language, zone, signature
        user.mail_when_assigned = post.get("mail_when_assigned") == "1"
        user.save(
            update_fields=["name", "language", "time_zone", "signature", "mail_when_assigned"]
        )
        notices.success(request, _("Saved."))
        return in_own_language(redirect("desk:me"), user)
    return render(
        request,
        "desk/me.html",
        {
            "languages": languages.items(),
            "zones": sorted(available_timezones()),
            "two_factor_on": two_factor.has_device(user),
        },
    )


@login_required
def for_you(request: HttpRequest) -> HttpResponse:
    user = person(request)
    told = list(Notification.objects.filter(user=user).order_by("-created_at", "-pk")[:LISTED])
    unread = [n.pk for n in told if n.read_at is None]
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "desk/for_you.html", {"told": told, "unread": set(unread)})
