"""Mail HTML made safe to show: an allow-list sanitiser (nh3), the message's own
images kept, remote ones left out.

What survives is formatting a person reads — text, links, tables, lists, a
few inline styles — and nothing that runs or reaches out: no script, form,
frame, object or style sheet, no event attribute, no ``javascript:`` link, no
CSS property outside an allow-list (no ``url()``, no positioning over the desk).
An image shows only when it is part of the message (``cid:``, given as a
``data:`` URL by the caller) or already a ``data:`` raster image; a remote image
is dropped and counted, since loading it tells the sender the mail was read
(and from where). When the reader asks for them, ``remote`` rewrites each http(s)
image address to one of the desk's own image proxy instead, so the reader's browser
still never contacts the sender. The desk shows the result in a sandboxed frame under a
Content-Security-Policy of its own (``desk.html_views.message_html``): the sanitiser
is one wall, not the only one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import nh3

TAGS = nh3.ALLOWED_TAGS | {"font"}  # newsletters still write <font color=...>
_TABLE_LAYOUT = {"width", "height", "align", "valign", "bgcolor", "border"}
ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"style", "title", "dir", "lang"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "font": {"color", "face", "size"},
    "table": _TABLE_LAYOUT | {"cellpadding", "cellspacing"},
    "td": _TABLE_LAYOUT | {"colspan", "rowspan", "nowrap"},
    "th": _TABLE_LAYOUT | {"colspan", "rowspan", "nowrap"},
    "tr": _TABLE_LAYOUT,
    "p": {"align"},
    "div": {"align"},
}
STYLE_PROPERTIES = {
    "color",
    "background-color",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "line-height",
    "text-align",
    "text-decoration",
    "vertical-align",
    "white-space",
    "width",
    "max-width",
    "height",
    "margin",
    "margin-top",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "padding",
    "padding-top",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "border",
    "border-collapse",
    "border-color",
    "border-style",
    "border-width",
    "display",
}
SCHEMES = {"http", "https", "mailto", "tel", "cid", "data"}
DROPPED_WITH_CONTENT = {"script", "style", "title", "head", "template", "noscript", "textarea"}
_RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SafeHtml:
    html: str
    blocked_images: int  # images left out: not part of the message (fetched from elsewhere)
    proxied_images: int = 0  # remote images given to ``remote`` (shown through the proxy)


def sanitise(
    html: str,
    images: Mapping[str, str] | None = None,
    remote: Callable[[str], str] | None = None,
) -> SafeHtml:
    """``html`` with everything but formatting taken out. ``images`` maps a Content-ID
    (without angle brackets) to the ``data:`` URL of that part of the message; ``remote``,
    when given, turns a remote (http, https) image's address into the one to show."""
    known = {key.strip("<>").lower(): url for key, url in (images or {}).items()}
    blocked = proxied = 0

    def keep(tag: str, attribute: str, value: str) -> str | None:
        nonlocal blocked, proxied
        if tag == "img" and attribute == "src":
            if value[:4].lower() == "cid:":
                return known.get(value[4:].strip("<>").lower())
            if _RASTER.match(value):
                return value
            if remote is not None and is_remote(value):
                proxied += 1
                return remote(value.strip())
            blocked += 1
            return None
        if attribute == "href" and value[:5].lower() in ("data:", "cid:"):
            return None  # a link to a data: document is a page of the sender's making
        return value

    cleaned = nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=keep,
        url_schemes=SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        set_tag_attribute_values={"a": {"target": "_blank"}},
        link_rel="noopener noreferrer nofollow",
    )
    return SafeHtml(cleaned, blocked, proxied)


def is_remote(src: str) -> bool:
    """Whether an image address is one a browser would fetch from the sender (http, https)."""
    return src.strip()[:8].lower().startswith(("http://", "https://"))
