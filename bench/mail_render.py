"""The benchmark's mail as bytes: one planned message rendered with the standard library
(``mailgen.py`` plans it; its parts come from ``mail_parts.py``), and the tally of what
was written."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage

from mail_parts import html_body, log_file, pdf, png


@dataclass(slots=True)
class Stats:
    messages: int = 0
    replies: int = 0
    threads: int = 0
    html: int = 0
    attachments: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    largest: int = 0
    sizes: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        sizes = sorted(self.sizes)
        median = sizes[len(sizes) // 2] if sizes else 0
        p95 = sizes[int(len(sizes) * 0.95)] if sizes else 0
        return {
            "messages": self.messages,
            "replies": self.replies,
            "threads": self.threads,
            "html": self.html,
            "attachments": dict(sorted(self.attachments.items())),
            "french_encodings": dict(sorted(self.encodings.items())),
            "bytes": self.bytes,
            "size_median": median,
            "size_p95": p95,
            "size_largest": self.largest,
            "size_smallest": sizes[0] if sizes else 0,
        }


class _Registry(HeaderRegistry):
    # The stock registry builds a new header class on every lookup: a third of the time.
    @functools.cache  # noqa: B019 - one registry for the life of the process
    def __getitem__(self, name: str) -> type[BaseHeader]:
        return super().__getitem__(name)

    __hash__ = object.__hash__


POLICY = policy.default.clone(header_factory=_Registry())
POLICY_CRLF = POLICY.clone(linesep="\r\n")


@dataclass(frozen=True, slots=True)
class Attach:
    kind: str  # log, pdf or png
    size: int
    filename: str
    seed: int


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything about one message but its bytes: the bytes are made in parallel."""

    path: str
    trace: str  # header lines the servers added, already folded
    headers: list[tuple[str, str]]
    text: str
    charset: str
    cte: str | None
    html: tuple[list[str], tuple[str, str] | None, bool] | None  # paragraphs, quote, outlook
    attachment: Attach | None
    language: str
    crlf: bool
    seed: int


def render(plan: Plan) -> bytes:
    rng = random.Random(plan.seed)
    msg = EmailMessage(policy=POLICY)
    for name, value in plan.headers:
        msg[name] = value
    if plan.cte:
        msg.set_content(plan.text, charset=plan.charset, cte=plan.cte)
    else:
        msg.set_content(plan.text)
    if plan.html:
        msg.add_alternative(
            html_body(*plan.html), subtype="html", charset=plan.charset, cte="quoted-printable"
        )
    attachment = plan.attachment
    if attachment:
        data = random.Random(attachment.seed)
        if attachment.kind == "log":
            msg.add_attachment(
                log_file(data, attachment.size, attachment.seed % 900000 + 1000),
                filename=attachment.filename,
            )
        elif attachment.kind == "png":
            msg.add_attachment(
                png(data, attachment.size),
                maintype="image",
                subtype="png",
                filename=attachment.filename,
            )
        else:
            msg.add_attachment(
                pdf(data, attachment.size),
                maintype="application",
                subtype="pdf",
                filename=attachment.filename,
            )
    # Set last: set_content() and add_alternative() move or drop Content-* headers.
    msg["Content-Language"] = plan.language
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]  # the library adds one to every part, clients do not
        if part.is_multipart():
            # The library would take boundaries from the global random module.
            part.set_boundary(f"----=_Part_{rng.getrandbits(64):016x}")
    trace = plan.trace.replace("\n", "\r\n") if plan.crlf else plan.trace
    return trace.encode("ascii") + msg.as_bytes(policy=POLICY_CRLF if plan.crlf else POLICY)


def write(plan: Plan) -> int:
    data = render(plan)
    with open(plan.path, "wb") as handle:
        handle.write(data)
    return len(data)
