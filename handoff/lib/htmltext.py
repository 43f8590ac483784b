"""Plain text from mail HTML, for search and for messages that have no text part."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
_SKIP = {"script", "style", "head", "title"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    collector = _Collector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):
        pass  # the text gathered so far is still the best we have
    text = "".join(collector.chunks).replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()
