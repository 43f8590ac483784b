"""A message's HTML as sent, sanitised, as the document of a sandboxed frame."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from handoff.desk.access import access_conversation, person
from handoff.desk.images import proxied
from handoff.lib.htmlsafe import sanitise
from handoff.lib.mime import extract_parts
from handoff.tickets.models import Message

INLINE_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")  # never SVG: it runs
INLINE_IMAGE_BYTES = 2 * 1024 * 1024
# The frame's own walls, whatever the sanitiser let through: no script, no plugin, no
# request anywhere (the message's images come inline as data: URLs), links open outside.
HTML_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)
# With the reader's "Load remote images": images from the desk itself too (its image proxy,
# the only address the sanitiser then writes into an image), still nowhere else.
HTML_POLICY_IMAGES = HTML_POLICY.replace("img-src data:;", "img-src data: 'self';")
_NOTE = '<p style="color:#666;font:13px sans-serif">{}</p>'


@login_required
@xframe_options_sameorigin  # shown in a frame of the conversation page, and nowhere else
def message_html(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    """A message's HTML as sent, sanitised, as a document for a sandboxed frame.
    ``?images=1``: its remote images through the desk's proxy; ``?all=1``: whole, however
    long (otherwise cut at ``HANDOFF_HTML_SHOW_CHARS``)."""
    found = access_conversation(request.user, pk)
    message = found.messages.select_related("raw").filter(pk=message_pk).first()
    if message is None or not message.html:
        raise Http404
    html = message.html
    limit = settings.HTML_SHOW_CHARS
    cut = request.GET.get("all") != "1" and len(html) > limit
    reader = person(request)
    images = request.GET.get("images") == "1"
    safe = sanitise(
        html[:limit] if cut else html,
        _inline_images(message),
        (lambda url: proxied(reader, message.pk, url)) if images else None,
    )
    notes = []
    if safe.blocked_images and not images:
        notes.append(
            format_html(
                _NOTE,
                ngettext(
                    "%(count)d remote image not loaded: loading it would tell the sender.",
                    "%(count)d remote images not loaded: loading them would tell the sender.",
                    safe.blocked_images,
                )
                % {"count": safe.blocked_images},
            )
        )
    if cut:
        notes.append(
            format_html(
                _NOTE,
                _("Cut at %(shown)s of %(length)s characters: “Show all” above shows it whole.")
                % {"shown": f"{limit:,}", "length": f"{len(html):,}"},
            )
        )
    head = "".join(notes)
    document = f'<!doctype html><meta charset="utf-8"><base target="_blank">{head}{safe.html}'
    response = HttpResponse(document, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_POLICY_IMAGES if images else HTML_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _inline_images(message: Message) -> dict[str, str]:
    """The message's own images, by Content-ID, as data: URLs."""
    if message.raw is None:
        return {}
    images = list(
        message.attachments.exclude(content_id="").filter(
            content_type__in=INLINE_IMAGE_TYPES, size__lte=INLINE_IMAGE_BYTES
        )
    )
    data = extract_parts(bytes(message.raw.data), [i.part for i in images]) if images else {}
    return {
        i.content_id: f"data:{i.content_type};base64,{base64.b64encode(data[i.part]).decode()}"
        for i in images
        if i.part in data
    }
