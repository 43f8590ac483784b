"""The page a rating link opens: public (a customer is not signed in), in the customer's
language (the link's), and careful about what counts as a rating.

Opening a link records nothing. The page it opens has the clicked score chosen, an optional
comment and one button, and the button's POST (CSRF-checked) is the rating. Mail scanners
(Safe Links, Mimecast, Proofpoint...) open every link of a mail, the three of a footer
included, and some run the page's scripts; neither recording on GET nor a script that posts
by itself would tell a customer's answer from a scanner's visit, and a rating nobody gave
is worse for the trend than one not given.

Limits, counted in Django's default cache: every request per client address (forged links
included), and the requests on one reply's links (its three together). The embedded default
has no cache server, so each process counts in its own memory; a shared cache would make one
count of several processes. Behind a reverse proxy the address is the proxy's unless it
passes the client's as REMOTE_ADDR.
"""

from __future__ import annotations

import time
from http import HTTPStatus
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from handoff.desk import ratings
from handoff.desk.models import Rating

# (requests, seconds): a person rates in two or three requests, a scanner opens three links.
ADDRESS_LIMIT = (30, 600)
REPLY_LIMIT = (15, 600)


class _Comment(forms.CharField):
    def to_python(self, value: Any) -> str:
        # Browsers send a textarea's line breaks as CRLF but count them as one character.
        return str(super().to_python(value)).replace("\r\n", "\n")


class RatingForm(forms.Form):
    score = forms.ChoiceField(
        label=_("Your rating"), choices=Rating.Score.choices, widget=forms.RadioSelect
    )
    comment = _Comment(
        label=_("Anything to add? (optional)"),
        help_text=_("At most 2,000 characters. Only the team reads it."),
        required=False,
        max_length=ratings.COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    address = request.META.get("REMOTE_ADDR", "")
    if wait := _over(f"address:{address}", ADDRESS_LIMIT):
        return _problem(request, "busy", translation.get_language(), wait=wait)
    try:
        link = ratings.read(token)
    except ratings.ExpiredLink as expired:
        return _problem(request, "expired", expired.language)
    except ratings.BadLink:
        return _problem(request, "bad", translation.get_language())
    if wait := _over(f"reply:{link.conversation_id}-{link.key}", REPLY_LIMIT):
        return _problem(request, "busy", link.language, wait=wait)
    reply = ratings.reply_of(link)
    if reply is None:
        return _problem(request, "gone", link.language)
    existing = ratings.current(reply)
    form = RatingForm(
        request.POST if request.method == "POST" else None,
        initial={"score": link.score, "comment": existing.comment if existing else ""},
    )
    with translation.override(link.language):
        if form.is_valid():
            rating = ratings.rate(reply, form.cleaned_data["score"], form.cleaned_data["comment"])
            response = render(request, "desk/rating_thanks.html", {"rating": rating})
        else:
            context = {"form": form, "existing": existing, "subject": reply.subject}
            status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
            response = render(request, "desk/rating.html", context, status=status)
    response.headers["Content-Language"] = link.language
    return response


def _over(key: str, limit: tuple[int, int]) -> int:
    """Counts one request against ``key``; the seconds to wait when over the limit, else 0."""
    count, seconds = limit
    now = int(time.time())
    window = f"rating-limit:{key}:{now // seconds}"  # a fixed window, whatever the backend
    cache.add(window, 0, timeout=seconds)
    try:
        hits = cache.incr(window)
    except ValueError:  # the window ended between the two calls
        cache.set(window, 1, timeout=seconds)
        hits = 1
    return seconds - now % seconds if hits > count else 0


STATUS = {
    "bad": HTTPStatus.BAD_REQUEST,
    "expired": HTTPStatus.GONE,
    "gone": HTTPStatus.GONE,
    "busy": HTTPStatus.TOO_MANY_REQUESTS,
}


def _problem(
    request: HttpRequest, problem: str, language: str | None, wait: int = 0
) -> HttpResponse:
    language = language or ratings.DEFAULT_LANGUAGE
    with translation.override(language):
        response = render(
            request,
            "desk/rating_error.html",
            {"problem": problem, "minutes": max(1, -(-wait // 60))},
            status=STATUS[problem],
        )
    response.headers["Content-Language"] = language
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response
