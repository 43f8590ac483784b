"""The benchmark's mail's parts as bytes: a log, a PDF, a PNG, and HTML as Outlook writes
it (or Gmail, with its quote); ``mail_render.py`` puts them in a message."""

from __future__ import annotations

import html
import random
import struct
import zlib
from datetime import UTC, datetime, timedelta

from mail_texts import OUTLOOK_STYLE


def log_file(rng: random.Random, size: int, job: int) -> str:
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


def pdf(rng: random.Random, size: int) -> bytes:
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


def png(rng: random.Random, size: int) -> bytes:
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


def html_body(paragraphs: list[str], quote: tuple[str, str] | None, outlook: bool) -> str:
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
