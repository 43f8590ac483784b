"""The benchmark's mail as bytes: people, the parts (a log, a PDF, a PNG, HTML as Outlook
writes it), one planned message rendered with the standard library (``mailgen.py``)."""

from __future__ import annotations

import functools
import html
import random
import struct
import textwrap
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage

from mail_people import (
    COMPANIES,
    DESK,
    FIRST,
    FREEMAIL,
    LAST,
    PLANS,
    QUOTED_LINES,
    REPORTS,
    SENDERS,
)
from mail_texts import DAYS, DISCLAIMER, MONTH_NAMES, MONTHS, OUTLOOK_STYLE


@dataclass(slots=True)
class Person:
    name: str
    address: str
    lang: str
    company: str
    title: str
    phone: str


@dataclass(slots=True)
class Sent:
    """What a reply needs to know about an earlier message."""

    message_id: str
    subject: str
    text: str
    date: datetime
    sender: Person
    customer: Person
    agent: Person | None
    lang: str
    topic: str
    thread: int
    references: list[str] = field(default_factory=list)


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


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöûüùçÉÈÊÀÂÎÔÛÇœŒæ", "eeeeaaaiioouuucEEEAAIOUCoOa")
    return text.translate(table).lower()


def as_latin1(text: str) -> str:
    return (
        text.replace("€", "EUR").replace("œ", "oe").encode("latin-1", "replace").decode("latin-1")
    )


def make_people(rng: random.Random) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < SENDERS:
        lang = "fr" if rng.random() < 0.45 else "en"
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        company = rng.choice(COMPANIES[lang])
        if rng.random() < 0.15:
            domain = rng.choice(FREEMAIL[lang])
        else:
            domain = "".join(
                c for c in _ascii(company).replace(" ", "-") if c.isalnum() or c == "-"
            )
            domain = f"{domain}.example"
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}"))
        address = f"{_ascii(local).replace(' ', '')}@{domain}"
        if address in seen:
            continue
        seen.add(address)
        title = rng.choice(
            ("Office manager", "Finance director", "Accountant", "Operations lead", "CEO")
            if lang == "en"
            else (
                "Responsable administratif",
                "Directrice financière",
                "Comptable",
                "Gérant",
                "Assistante de direction",
            )
        )
        phone = (
            f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            if lang == "en"
            else f"+33 5 {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
            f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        )
        people.append(Person(f"{first} {last}", address, lang, company, title, phone))
    return people


def variables_of(rng: random.Random, person: Person) -> dict[str, object]:
    n = rng.randrange(3, 60)
    lang = person.lang
    sep = "," if lang == "fr" else "."
    cents = rng.randrange(0, 100)
    whole = rng.randrange(90, 9000)
    amount = f"{whole}{sep}{cents:02d} €" if lang == "fr" else f"${whole}{sep}{cents:02d}"
    amount2 = (
        f"{whole + rng.randrange(5, 900)}{sep}{cents:02d} €"
        if lang == "fr"
        else f"${whole + rng.randrange(5, 900)}{sep}{cents:02d}"
    )
    k = rng.choice((1000, 5000, 10000, 65535, 32767))
    return {
        "n": n,
        "m": n + rng.randrange(5, 80),
        "k": k,
        "k2": k + rng.randrange(10, 40000),
        "plan": rng.choice(PLANS),
        "report": rng.choice(REPORTS),
        "job": rng.randrange(100000, 999999),
        "inv": f"LR-2024-{rng.randrange(1000, 99999):05d}",
        "amount": amount,
        "amount2": amount2,
        "month": rng.choice(MONTH_NAMES[lang]),
        "company": person.company,
    }


def wrapped(paragraphs: list[str]) -> str:
    out: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            out.append("")
        elif len(paragraph) <= 72 or "\n" in paragraph:
            out.append(paragraph)
        else:
            out.append("\n".join(textwrap.wrap(paragraph, 72, break_on_hyphens=False)))
    return "\n\n".join(out)


def signature_of(rng: random.Random, person: Person, agent: bool) -> str:
    if agent:
        role = "Support Lumen Reports" if person.lang == "fr" else "Lumen Reports Support"
        return f"-- \n{person.name}\n{role}\nhttps://help.{DESK}"
    lines = [person.name]
    if rng.random() < 0.7:
        lines += [f"{person.title}, {person.company}", person.phone]
    if rng.random() < 0.25:
        lines += ["", "\n".join(textwrap.wrap(DISCLAIMER[person.lang], 72))]
    return "\n".join(lines)


def attribution_line(parent: Sent, lang: str) -> str:
    d = parent.date
    who = f"{parent.sender.name} <{parent.sender.address}>"
    if lang == "fr":
        day = f"{DAYS['fr'][d.weekday()]} {d.day} {MONTHS['fr'][d.month - 1]} {d.year}"
        return f"Le {day} à {d:%H:%M}, {who} a écrit :"
    day = f"{DAYS['en'][d.weekday()]}, {MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    return f"On {day} at {d:%H:%M}, {who} wrote:"


def quoted(text: str) -> str:
    lines = text.split("\n")[:QUOTED_LINES]
    return "\n".join(
        ">" + (" " + line if line and not line.startswith(">") else line) for line in lines
    )


def _log_file(rng: random.Random, size: int, job: int) -> str:
    levels = ("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR")
    steps = (
        "query.start",
        "query.rows",
        "render.csv",
        "upload.chunk",
        "cache.miss",
        "auth.token.refresh",
        "export.flush",
        "worker.heartbeat",
    )
    lines: list[str] = []
    total = 0
    t = datetime(2024, 3, 1, 2, 0, tzinfo=UTC) + timedelta(days=rng.randrange(120))
    while total < size:
        t += timedelta(milliseconds=rng.randrange(1, 4000))
        level = rng.choice(levels)
        line = (
            f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z {level:<5} "
            f"export[{job}] {rng.choice(steps)} rows={rng.randrange(0, 70000)} "
            f"ms={rng.randrange(1, 9000)} worker=w{rng.randrange(1, 16)}"
        )
        if level == "ERROR":
            line += (
                '\n  Traceback (most recent call last):\n    File "export/csv.py", line '
                f"{rng.randrange(20, 400)}, in write_rows\n  RowLimitExceeded: row limit reached"
            )
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def _pdf(rng: random.Random, size: int) -> bytes:
    stream = rng.randbytes(max(size - 400, 64))
    head = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type "
        b"/Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
    )
    body = (
        b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream\nendobj\n"
    )
    xref = b"xref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\n"
    return head + body + xref + b"startxref\n%d\n%%%%EOF\n" % (len(head) + len(body))


def _png(rng: random.Random, size: int) -> bytes:
    # A screenshot-like image: flat rows (compress well) with noisy bands (do not).
    width = 320
    rows = max(size // (width * 3 // 2), 8)
    raw = bytearray()
    flat = bytes([0]) + bytes([0xF4, 0xF5, 0xF7]) * width
    for row in range(rows):
        raw += b"\0" + rng.randbytes(width * 3) if row % 2 else flat

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 1))
        + chunk(b"IEND", b"")
    )


def _html(paragraphs: list[str], quote: tuple[str, str] | None, outlook: bool) -> str:
    if outlook:
        body = "".join(
            f'<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri'
            f'&quot;,sans-serif;color:#1F3864">{html.escape(p).replace(chr(10), "<br>")}'
            f'<o:p></o:p></span></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
            for p in paragraphs
        )
        body = f'<div class="WordSection1">\n{body}</div>'
        head = f'<head><meta http-equiv="Content-Type" content="text/html">{OUTLOOK_STYLE}</head>'
    else:
        body = "".join(
            f'<div dir="ltr">{html.escape(p).replace(chr(10), "<br>")}</div><div><br></div>\n'
            for p in paragraphs
        )
        head = '<head><meta charset="utf-8"></head>'
    if quote:
        attribution, text = quote
        body += (
            f'<div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
            f'{html.escape(attribution)}<br></div><blockquote class="gmail_quote" '
            f'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
            f'padding-left:1ex">{html.escape(text).replace(chr(10), "<br>")}'
            f"</blockquote></div>\n"
        )
    return f"<html>{head}<body>\n{body}</body></html>\n"


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
            _html(*plan.html), subtype="html", charset=plan.charset, cte="quoted-printable"
        )
    attachment = plan.attachment
    if attachment:
        data = random.Random(attachment.seed)
        if attachment.kind == "log":
            msg.add_attachment(
                _log_file(data, attachment.size, attachment.seed % 900000 + 1000),
                filename=attachment.filename,
            )
        elif attachment.kind == "png":
            msg.add_attachment(
                _png(data, attachment.size),
                maintype="image",
                subtype="png",
                filename=attachment.filename,
            )
        else:
            msg.add_attachment(
                _pdf(data, attachment.size),
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
