"""The MIME pieces the demo's mail is assembled from, by hand (``content.py`` says why):
a text part in the charset and transfer encoding a scenario asks for, a file, a multipart,
an HTML body as Gmail writes a reply, a one-page PDF."""

from __future__ import annotations

import base64
import binascii
import unicodedata
from html import escape

from handoff.demo.cast import Encoding
from handoff.demo.mail_bits import LATIN1_FALLBACK

Entity = tuple[bytes, bytes]  # (content headers, encoded body), both CRLF-terminated
LATIN1 = str.maketrans(LATIN1_FALLBACK)


def text_entity(text: str, enc: Encoding, subtype: str = "plain") -> Entity:
    if enc in ("latin1", "latin1-8bit", "latin1-as-ascii"):
        data = text.translate(LATIN1).encode("iso-8859-1", "replace")
        charset = "us-ascii" if enc == "latin1-as-ascii" else "iso-8859-1"  # the lie, or not
        cte = "quoted-printable" if enc == "latin1" else "8bit"
    else:
        data = text.encode()
        charset = "utf-8"
        if enc != "auto":
            cte = {"qp": "quoted-printable", "b64": "base64", "8bit": "8bit"}[enc]
        elif data.isascii():
            charset, cte = "us-ascii", "7bit"
        else:
            cte = "quoted-printable"
    data = data.replace(b"\n", b"\r\n")
    if cte == "quoted-printable":
        body = binascii.b2a_qp(data, istext=True)
    elif cte == "base64":
        body = base64.encodebytes(data).replace(b"\n", b"\r\n")
    else:
        body = data
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    head = f'Content-Type: text/{subtype}; charset="{charset}"\r\n'
    return (head + f"Content-Transfer-Encoding: {cte}\r\n").encode(), body


def file_entity(ctype: str, filename: str, data: bytes) -> Entity:
    head = (
        f'Content-Type: {ctype}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        "Content-Transfer-Encoding: base64\r\n"
    )
    return head.encode(), base64.encodebytes(data).replace(b"\n", b"\r\n")


def multipart(subtype: str, boundary: str, parts: list[Entity], params: str = "") -> Entity:
    mark = b"--" + boundary.encode()
    chunks: list[bytes] = []
    for part_head, part_body in parts:
        chunks += (mark, b"\r\n", part_head, b"\r\n", part_body)
    chunks += (mark, b"--\r\n")
    head = f'Content-Type: multipart/{subtype};{params}\r\n boundary="{boundary}"\r\n'
    return head.encode(), b"".join(chunks)


def html_lines(text: str) -> str:
    return "<br>\n".join(escape(line, quote=False) for line in text.rstrip("\n").split("\n"))


def html_page(own: str, attribution: str, quoted: str) -> str:
    html = '<html><head><meta charset="utf-8"></head><body><div dir="ltr">\n'
    html += html_lines(own) + "\n</div>\n"
    if attribution:
        html += (
            f'<div class="gmail_quote"><div class="gmail_attr">{escape(attribution, False)}'
            '<br></div>\n<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;'
            f'border-left:1px solid #ccc;padding-left:1ex">\n{html_lines(quoted)}\n'
            "</blockquote></div>\n"
        )
    return html + "</body></html>\n"


def pdf(lines: tuple[str, ...]) -> bytes:
    """One A4 page of Helvetica text, with a correct cross-reference table."""
    shown = []
    for line in lines:
        folded = unicodedata.normalize("NFKD", line.translate(LATIN1))
        plain = folded.encode("ascii", "ignore").decode()
        plain = plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        shown.append(f"({plain}) Tj T*")
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td {' '.join(shown)} ET".encode()
    objects = (
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref, size = len(out), len(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)
