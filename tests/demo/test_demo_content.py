"""The demo mailbox: raw messages that parse cleanly and thread correctly (no database)."""

from __future__ import annotations

import email
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage

import pytest

from handoff.demo.content import DEMO_PEOPLE, demo_messages
from handoff.demo.scenarios import SCENARIOS
from handoff.lib import decoding

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
MSGID = re.compile(r"^<demo-7-(\d+)-(\d+)@[a-z0-9.-]+\.example>$")


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def plain_text(message: EmailMessage) -> str:
    """As the desk reads it: one message's charset lies on purpose (``latin1-as-ascii``)."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return decoding.text(part, [])


def attachments(message: EmailMessage) -> list[EmailMessage]:
    return list(message.iter_attachments()) if message.is_multipart() else []


@pytest.fixture(scope="module")
def raw() -> list[bytes]:
    return list(demo_messages(now=NOW))


@pytest.fixture(scope="module")
def parsed(raw: list[bytes]) -> list[EmailMessage]:
    return [parse(message) for message in raw]


def test_every_scenario_appears_with_default_ticket_count(parsed):
    conversations = {MSGID.match(m["Message-ID"]).group(1) for m in parsed}
    assert len(conversations) == 40
    assert len(SCENARIOS) >= 25


def test_messages_parse_without_defects(parsed):
    for message in parsed:
        for part in message.walk():
            assert not part.defects, (message["Message-ID"], part.defects)
        for name in ("From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To"):
            header = message[name]
            if header is not None:
                assert not header.defects, (message["Message-ID"], name, header.defects)


def test_required_headers_and_dates_in_window(parsed):
    for message in parsed:
        for name in ("Message-ID", "Date", "From", "Subject"):
            assert message[name], (name, message["Message-ID"])
        assert MSGID.match(message["Message-ID"])
        when = message["Date"].datetime
        assert when.tzinfo is not None
        assert NOW - timedelta(days=14) <= when <= NOW
        assert message["From"].addresses[0].domain.endswith(".example")


def test_dates_cover_all_hours_of_the_day():
    hours = {
        parse(m)["Date"].datetime.astimezone(UTC).hour for m in demo_messages(tickets=300, now=NOW)
    }
    assert len(hours) == 24


def test_raw_bytes_use_crlf_and_short_lines(raw):
    for message in raw:
        assert b"\n" not in message.replace(b"\r\n", b"")
        assert max(len(line) for line in message.split(b"\r\n")) <= 998
        head = message.split(b"\r\n\r\n", 1)[0]
        assert head.isascii()


def test_deterministic_for_seed_and_now(raw):
    assert list(demo_messages(now=NOW)) == raw
    assert list(demo_messages(now=NOW, seed=8)) != raw
    # A longer run starts with the same conversations.
    assert list(demo_messages(tickets=41, now=NOW))[: len(raw)] == raw


def test_default_now_is_the_current_time():
    first = parse(next(demo_messages(tickets=1)))
    assert datetime.now(UTC) - first["Date"].datetime < timedelta(days=14, minutes=1)


def test_both_languages_present(parsed):
    texts = [plain_text(m) for m in parsed]
    french = [t for t in texts if "Bonjour" in t]
    english = [t for t in texts if re.search(r"\b(Hi|Hello|Thanks)\b", t)]
    assert len(french) >= 10
    assert len(english) >= 10
    joined = "\n".join(french)
    for word in ("réactivité", "à", "déjà", "reçu", "données", "Réponse automatique"):
        assert word in joined or any(word in m["Subject"] for m in parsed), word


def test_log_attachment_and_windows_path_survive(parsed):
    with_log = [m for m in parsed if any(a.get_filename() == "export.log" for a in attachments(m))]
    assert with_log
    message = with_log[0]
    log = next(a for a in attachments(message) if a.get_filename() == "export.log")
    assert log.get_content_type() == "text/plain"
    assert "invalid_grant" in log.get_content()
    assert "C:\\Users\\julie\\Downloads\\rapport.pdf" in plain_text(message)
    # Quoted in the replies too, backslashes intact.
    quoting = [
        line
        for m in parsed
        for line in plain_text(m).splitlines()
        if line.startswith(">") and "C:\\Users\\julie\\Downloads" in line
    ]
    assert quoting


def test_pdf_attachment_is_a_pdf(parsed):
    pdfs = [a for m in parsed for a in attachments(m) if a.get_content_type() == "application/pdf"]
    assert pdfs
    for pdf in pdfs:
        data = pdf.get_content()
        assert data.startswith(b"%PDF-1.4")
        assert data.rstrip().endswith(b"%%EOF")
        assert pdf.get_filename().endswith(".pdf")
        startxref = int(data.rsplit(b"startxref", 1)[1].split()[0])
        assert data[startxref:].startswith(b"xref")


def test_latin1_base64_and_html_bodies(parsed):
    charsets = defaultdict(list)
    encodings = set()
    for message in parsed:
        for part in message.walk():
            if part.get_content_maintype() == "text":
                charsets[part.get_content_charset()].append(part)
                encodings.add(part["Content-Transfer-Encoding"])
    latin1 = charsets["iso-8859-1"]
    assert latin1
    assert any("é" in part.get_content() for part in latin1)
    assert {"base64", "quoted-printable", "8bit", "7bit"} <= encodings
    alternatives = [m for m in parsed if m.get_content_type() == "multipart/alternative"]
    assert any(m.get_body(preferencelist=("html",)) is not None for m in alternatives)


def test_encoded_display_names(raw, parsed):
    assert any(b"=?utf-8?" in m.split(b"\r\n\r\n", 1)[0] for m in raw)
    names = {m["From"].addresses[0].display_name for m in parsed}
    assert "Hélène Dubois" in names
    team = [m for m in parsed if m["From"].addresses[0].addr_spec == "support@acme-reports.example"]
    assert team
    assert any(m["From"].addresses[0].display_name == "Chris — Acme Reports" for m in team)


def test_replies_thread_to_earlier_messages_of_the_same_conversation(parsed):
    seen: dict[str, set[str]] = defaultdict(set)
    replies = 0
    for message in parsed:
        conversation = MSGID.match(message["Message-ID"]).group(1)
        parent = message["In-Reply-To"]
        if parent is not None:
            replies += 1
            assert parent in seen[conversation]
            references = str(message["References"]).split()
            assert references[-1] == parent
            assert set(references) <= seen[conversation]
            assert message["Subject"] != ""
        seen[conversation].add(message["Message-ID"])
    assert replies >= 20
    sizes = [len(ids) for ids in seen.values()]
    assert min(sizes) == 1
    assert max(sizes) == 5


def test_replies_quote_the_previous_message(parsed):
    by_id = {m["Message-ID"]: m for m in parsed}
    quoted = 0
    for message in parsed:
        parent = by_id.get(message["In-Reply-To"] or "")
        if parent is None or message["Auto-Submitted"]:
            continue
        text = plain_text(message)
        assert re.search(r"^(Le .+ a écrit :|On .+ wrote:)$", text, re.MULTILINE), text
        first_line = plain_text(parent).strip().splitlines()[0]
        assert f"> {first_line}" in text
        quoted += 1
    assert quoted >= 20


def test_noise_messages(parsed):
    newsletters = [m for m in parsed if m["List-Unsubscribe"]]
    assert newsletters
    assert all(m["Precedence"] == "bulk" for m in newsletters)
    auto = [m for m in parsed if m["Subject"] == "Réponse automatique : absent du bureau"]
    assert auto
    assert all(m["Auto-Submitted"] == "auto-replied" for m in auto)
    bounces = [m for m in parsed if m.get_content_type() == "multipart/report"]
    assert bounces
    bounce = bounces[0]
    assert bounce["From"].addresses[0].username == "MAILER-DAEMON"
    assert bounce.get_param("report-type") == "delivery-status"
    kinds = [part.get_content_type() for part in bounce.iter_parts()]
    assert kinds == ["text/plain", "message/delivery-status", "text/rfc822-headers"]


def test_founder_lane_mail(parsed):
    to_founder = [m for m in parsed if "camille@acme-reports.example" in str(m["To"])]
    subjects = " ".join(m["Subject"] for m in to_founder)
    for word in ("Board deck", "Contrat", "interview", "Partnership"):
        assert word in subjects


def test_many_tickets_stay_distinct():
    ids: list[str] = []
    senders: set[str] = set()
    for message in demo_messages(tickets=1000, now=NOW):
        head = parse(message)
        ids.append(head["Message-ID"])
        if head["In-Reply-To"] is None:
            senders.add(head["From"].addresses[0].addr_spec)
    assert len(set(ids)) == len(ids) >= 1000
    assert len(senders) >= 900


def test_demo_people():
    roles = {person.role for person in DEMO_PEOPLE}
    assert roles == {"founder", "head", "agent"}
    founder = next(p for p in DEMO_PEOPLE if p.role == "founder")
    assert (founder.email, founder.name) == ("camille@acme-reports.example", "Camille Martin")
    assert sum(p.role == "agent" for p in DEMO_PEOPLE) == 4  # and the head: a team of five
    assert all(p.email.endswith("@acme-reports.example") for p in DEMO_PEOPLE)
    # The logins that the README and the browser tests name.
    assert {"sophie", "chris", "ines"} <= {p.email.split("@")[0] for p in DEMO_PEOPLE}
    assert (founder.time_zone, founder.language) == ("Europe/Paris", "fr")
