from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from handoff.lib import mime, rawmail


def parse(raw: bytes) -> mime.ParsedMessage:
    return mime.parse(raw, rawmail.envelope(raw).message_id)


def test_every_corpus_message_parses_with_text_or_a_warning(corpora: Path) -> None:
    parsed = 0
    for folder in ("spamassassin", "sisimai_set_of_emails", "mikel_mail"):
        for path in sorted((corpora / folder).rglob("*")):
            raw = path.read_bytes() if path.is_file() else b""
            if not path.is_file() or rawmail.is_probably_not_mail(raw):
                continue
            result = parse(raw)  # must not raise
            assert (
                result.text
                or result.html
                or result.attachments
                or result.warnings
                or not rawmail.split_head(raw)[1].strip()
            ), path
            parsed += 1
    assert parsed > 6400


def test_unknown_charsets_fall_back_with_a_warning() -> None:
    for charset in ("unknown-8bit", "DEFAULT_CHARSET", "x-unknown", "CHINESEBIG5"):
        raw = (
            b"From: a@b.example\nSubject: x\nContent-Type: text/plain; charset="
            + charset.encode()
            + b"\n\nCaf\xe9 cr\xe8me\n"
        )
        result = parse(raw)
        assert result.text == "Café crème"
        assert any("charset" in w for w in result.warnings)


def test_latin1_bytes_in_a_message_claiming_utf8_are_recovered() -> None:
    raw = b"From: a@b.example\nContent-Type: text/plain; charset=utf-8\n\nd\xe9j\xe0 pay\xe9\n"
    result = parse(raw)
    assert result.text == "déjà payé"
    assert result.warnings == ["text is not valid utf-8"]


def test_raw_8bit_headers_are_decoded() -> None:
    raw = "From: Hélène Dubois <helene@client.example>\nSubject: Problème de facture\n\nBonjour\n"
    result = parse(raw.encode("utf-8"))
    assert result.subject == "Problème de facture"
    assert result.sender == mime.Address("Hélène Dubois", "helene@client.example")


def test_encoded_words_in_headers_are_decoded() -> None:
    raw = (
        b"From: =?iso-8859-1?q?H=E9l=E8ne?= <h@c.example>\nSubject: =?utf-8?b?UHJvYmzDqG1l?=\n\nx\n"
    )
    result = parse(raw)
    assert result.subject == "Problème"
    assert result.sender is not None
    assert result.sender.name == "Hélène"


def test_cr_only_line_endings_parse() -> None:
    raw = b"From: a@b.example\rSubject: Mac mail\rMessage-ID: <m@b.example>\r\rLine one\rLine two\r"
    result = parse(raw)
    assert result.subject == "Mac mail"
    assert result.message_id == "m@b.example"
    assert result.text == "Line one\nLine two"


def test_a_message_without_body_is_kept() -> None:
    result = parse(b"From: a@b.example\nSubject: empty\n")
    assert result.subject == "empty"
    assert result.text == ""


def test_multipart_without_boundary_keeps_its_text() -> None:
    raw = b"From: a@b.example\nContent-Type: multipart/mixed\n\nthe whole body\n"
    result = parse(raw)
    assert "the whole body" in result.text
    assert result.warnings


def test_backslashes_and_text_attachments_survive() -> None:
    message = EmailMessage()
    message["From"] = "julie@client.example"
    message["Subject"] = "Export"
    message.set_content("Le fichier est dans C:\\Users\\julie\\Downloads\\rapport.pdf\n")
    message.add_attachment(
        b"ERROR at C:\\temp\\x\n", maintype="text", subtype="plain", filename="export.log"
    )
    message.add_attachment(b"notes\n", maintype="text", subtype="plain", filename="notes.txt")
    message.add_attachment(
        b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="facture.pdf"
    )
    raw = message.as_bytes()
    result = parse(raw)
    assert "C:\\Users\\julie\\Downloads\\rapport.pdf" in result.text
    assert [a.filename for a in result.attachments] == ["export.log", "notes.txt", "facture.pdf"]
    log = result.attachments[0]
    assert mime.extract_part(raw, log.part) == b"ERROR at C:\\temp\\x\n"
    assert log.size == len(b"ERROR at C:\\temp\\x\n")


def test_inline_images_keep_their_content_id() -> None:
    message = EmailMessage()
    message["From"] = "a@b.example"
    message.set_content("text")
    message.add_alternative('<p>hi <img src="cid:logo@x"></p>', subtype="html")
    message.get_payload()[1].add_related(b"\x89PNG", "image", "png", cid="<logo@x>")
    result = parse(message.as_bytes())
    assert result.html.startswith("<p>hi")
    assert [(a.content_id, a.inline) for a in result.attachments] == [("logo@x", True)]


def test_html_only_mail_gets_a_text_version() -> None:
    raw = b"From: a@b.example\nContent-Type: text/html\n\n<p>Bonjour</p><script>x()</script><p>Merci</p>"
    assert parse(raw).text == "Bonjour\n\nMerci"


def test_threading_headers_and_kept_headers() -> None:
    raw = (
        b"From: a@b.example\nMessage-ID: <c@b.example>\nIn-Reply-To: <b@b.example> (sent by x)\n"
        b"References: <a@b.example>\n <b@b.example>\nAuto-Submitted: auto-replied\n"
        b"List-Id: <news.example>\n\nx"
    )
    result = parse(raw)
    assert result.in_reply_to == ["b@b.example"]
    assert result.references == ["a@b.example", "b@b.example"]
    assert result.headers["auto-submitted"] == "auto-replied"
    assert result.headers["list-id"] == "<news.example>"


class TestEnvelope:
    def test_missing_message_id_is_derived_from_content_and_stable_across_relays(self) -> None:
        body = b"From: a@b.example\nSubject: hi\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\nbody\n"
        first = rawmail.envelope(b"Received: from relay1\n" + body)
        second = rawmail.envelope(b"Received: from relay2\n" + body)
        assert first.derived_id
        assert first.message_id.endswith("@derived.handoff.invalid")
        assert first.message_id == second.message_id
        assert first.content_hash == second.content_hash

    def test_same_message_id_with_other_content_is_another_message(self) -> None:
        one = rawmail.envelope(b"Message-ID: <x@y>\n\nfirst\n")
        two = rawmail.envelope(b"Message-ID: <x@y>\n\nsecond\n")
        assert one.message_id == two.message_id == "x@y"
        assert one.content_hash != two.content_hash


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file, not mail"),
        (
            b"Copyright (c) 2009\n\nPermission is hereby granted",
            "does not start with a mail header",
        ),
    ],
)
def test_files_that_are_not_mail_are_named(data: bytes, reason: str) -> None:
    assert rawmail.is_probably_not_mail(data) == reason


def test_when_in_doubt_a_file_is_mail() -> None:
    assert rawmail.is_probably_not_mail(b"X-Odd: 1\n\nhello") is None


def test_dates_are_kept_in_utc_even_with_impossible_offsets() -> None:
    result = parse(b"From: a@b.example\nDate: Wed, 21 Aug 2002 20:31:57 -1600\n\nx")
    assert result.date is not None
    assert result.date.utcoffset().total_seconds() == 0
    assert result.date.isoformat() == "2002-08-22T12:31:57+00:00"
    assert any("offset" in w for w in result.warnings)


def test_nul_characters_never_reach_the_database() -> None:
    result = parse(b"From: a\x00b <a@b.example>\nSubject: x\x00y\n\nbin\x00ary\n")
    assert "\x00" not in repr(result)
    assert result.text == "bin\ufffdary"
    assert "NUL characters replaced by U+FFFD" in result.warnings


def test_a_display_name_hiding_a_line_break_and_an_address_stays_a_name() -> None:
    # The email package refuses the decoded name (CR LF in it); the fallback splits the field
    # as written, so the address inside the encoded words never becomes the sender's.
    hostile = b"=?utf-8?q?=3Csvg=3E=0D=0ABcc=3A_x=40evil.example?= <reply.28@customer.example>"
    result = parse(
        b"Message-ID: <h@customer.example>\r\nFrom: " + hostile + b"\r\n"
        b"Reply-To: " + hostile + b"\r\nSubject: x\r\n\r\nHello\r\n"
    )
    assert result.sender is not None
    assert result.sender.email == "reply.28@customer.example"
    assert "x@evil.example" in result.sender.name
    # Where answers go is kept as parsed, not as its display text.
    assert result.headers["reply-to"] == "reply.28@customer.example"
