"""A message's remote images, on demand, through the desk's own image proxy.

Remote images never load when a message opens: fetching one tells its sender that the mail
was read, when, and from where. When a reader asks ("Load remote images", one message at a
time), the message's frame shows each remote image through ``/image/``, an address of the
desk signed for that reader, that message and that image's address, valid for an hour. The
desk fetches the image (``handoff.lib.imagefetch``: no cookie, no referrer, pictures only,
never a private address) and the reader's browser never contacts the sender's server.

Why the proxy needs no login: the frame that shows the message is sandboxed without
``allow-same-origin``, so its document has an opaque origin and its image requests are
cross-site ones, which carry no ``SameSite=Lax`` session cookie. The signature is the
authorisation instead: it is made only for a person the message's page was shown to, names
that person, and is checked again at each fetch (still an active person of the desk who may
read the conversation). A browser that does send a session must send the same person's.
Without a valid signature the proxy fetches nothing, so it is no open relay.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from handoff.accounts.models import User
from handoff.desk.access import access_conversation
from handoff.lib.imagefetch import FetchError, fetch_image
from handoff.tickets.models import Message

LINK_SECONDS = 3600
MAX_URL_CHARS = 4096


def proxied(reader: User, message_pk: int, url: str) -> str:
    """The desk's address that shows the image at ``url`` of a message to ``reader``."""
    token = signing.dumps(reader.pk, salt=_salt(message_pk, url))
    return f"{reverse('desk:image')}?{urlencode({'u': url, 'm': message_pk, 's': token})}"


def _salt(message_pk: int, url: str) -> str:
    # A message number has no colon: "1:2:x" and "12:x" cannot be the same salt.
    return f"handoff.desk.images:{message_pk}:{url}"


@require_GET
def image(request: HttpRequest) -> HttpResponse:
    """A remote image of a message, fetched by the desk, for the reader it was signed for."""
    url = request.GET.get("u", "")
    message_pk = request.GET.get("m", "")
    if not message_pk.isdigit() or len(url) > MAX_URL_CHARS or _reader(request) is None:
        return _text(_("This image link is not valid, or has expired."), 403)
    try:
        image = fetch_image(
            url,
            max_bytes=settings.IMAGE_PROXY_MAX_BYTES,
            timeout=settings.IMAGE_PROXY_TIMEOUT,
            allow_private=settings.IMAGE_PROXY_PRIVATE,
        )
    except FetchError as error:
        return _text(_("Image not loaded: %(reason)s") % {"reason": error}, 502)
    response = HttpResponse(image.data, content_type=image.content_type)
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _reader(request: HttpRequest) -> User | None:
    """The person the link was signed for, if it is valid and they may still read the
    message; None otherwise."""
    message_pk = int(request.GET["m"])
    try:
        reader_pk = signing.loads(
            request.GET.get("s", ""),
            salt=_salt(message_pk, request.GET.get("u", "")),
            max_age=LINK_SECONDS,
        )
    except signing.BadSignature:  # tampered with, for another message or image, or expired
        return None
    if not isinstance(reader_pk, int):
        return None
    if request.user.is_authenticated and request.user.pk != reader_pk:
        return None  # someone else's link
    reader = User.objects.filter(pk=reader_pk, is_active=True).first()
    message = Message.objects.filter(pk=message_pk).only("conversation_id").first()
    if reader is None or message is None:
        return None
    try:
        access_conversation(reader, message.conversation_id)
    except Http404:
        return None
    return reader


def _text(text: str, status: int) -> HttpResponse:
    response = HttpResponse(text, content_type="text/plain; charset=utf-8", status=status)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
