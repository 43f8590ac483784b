from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from handoff.lib import mime, noise, rawmail
from tests.conftest import CORPORA, need

FOUNDER = CORPORA.parent / "bench" / "founder-mailbox" / "public"
OWN = {
    "own_domains": frozenset({"desk.acme.example"}),
    "own_addresses": frozenset({"support@acme.example"}),
}


def verdict(raw: bytes, **own: frozenset[str]) -> noise.Verdict:
    return noise.recognise(raw, mime.parse(raw, rawmail.envelope(raw).message_id), **own)


def mail(
    subject: str = "Question about my invoice",
    headers: str = "",
    body: str = "Hello,\n\nMy invoice is wrong.\n\nAnna\n",
    sender: str = "Anna Meyer <anna@customer.example>",
) -> bytes:
    head = (
        f"From: {sender}\n"
        "To: support@acme.example\n"
        f"Subject: {subject}\n"
        "Date: Mon, 06 Jan 2025 10:00:00 +0100\n"
        "Message-ID: <CAF=abc123@mail.gmail.com>\n"
        f"{headers}"
        "MIME-Version: 1.0\n"
    )
    if "Content-Type:" not in headers:
        head += "Content-Type: text/plain; charset=utf-8\n"
    return (head + "\n" + body).encode()


# ---------------------------------------------------------------- people


@pytest.mark.parametrize(
    "subject",
    [
        "Question about my invoice",
        "Automatic renewal: how do I turn it off?",
        "Auto-reply not working on my account",
        "Autoresponder feature request",
        "Out of office hours support?",
        "Delivery failed for order 1234",
        "Undelivered email from your system",
        "Returned mail question",
        "Re: Automatic reply: Your order",  # a person answering an auto-reply
        "Réponse automatique non désactivée",
        "Nicht zustellbar, Paket 123",
        "Re: [ILUG] Dermot Beirne is out of the office.",
        "",
    ],
)
def test_a_person_writing_to_the_team_is_a_person(subject: str) -> None:
    assert verdict(mail(subject)) == noise.Verdict("", "")


def test_a_gmail_message_with_words_of_robots_in_the_body_is_a_person() -> None:
    raw = mail(
        "Refund",
        headers=(
            "Return-Path: <anna@customer.example>\n"
            "DKIM-Signature: v=1; a=rsa-sha256; d=gmail.com; s=20230601; b=abc\n"
            "X-Gm-Message-State: AOJu0YwXyz\n"
            "X-Google-Smtp-Source: AGHT+IFabc\n"
        ),
        body="I got an automatic reply and a delivery failure notice, out of office too.\n"
        "Message-ID: <fake@example.com>\n",
    )
    assert verdict(raw).kind == ""


def test_a_customer_forwarding_a_bounce_is_a_person() -> None:
    body = "See below.\n\n> From: Mail Delivery System <MAILER-DAEMON@mx.example>\n"
    assert verdict(mail("Fwd: Mail delivery failed", body=body)).kind == ""


# ---------------------------------------------------------------- auto-replies


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Your order",
        "Auto reply: Nyaan",
        "Autoreply: hello",
        "[Auto-Reply] Your ticket",
        "Out of Office: Your order",
        "Out of Office AutoReply: Your order",
        "AUTO: Jane Doe is out of the office (returning 05/01/2025)",
        "Jane Doe/Sales/Acme is out of the office.",
        "Réponse automatique : Votre commande",
        "Absence du bureau : Votre commande",
        "Abwesenheitsnotiz: Ihre Bestellung",
        "Automatische Antwort: Ihre Bestellung",
        "Respuesta automática: Su pedido",
        "Risposta automatica: Il suo ordine",
        "Automatisch antwoord: Uw bestelling",
        "Resposta automática: Seu pedido",
        "【自動返信】ご注文",
    ],
)
def test_auto_reply_subjects(subject: str) -> None:
    result = verdict(mail(subject, sender="Jane Doe <jane@partner.example>"))
    assert result.kind == "autoreply", subject
    assert "subject" in result.reason


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-replied\n", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; owner-email=x@y.example\n", "auto-generated"),
        ("X-Autoreply: yes\n", "x-autoreply"),
        ("X-Autorespond: Your message\n", "x-autorespond"),
        ("X-Auto-Response-Suppress: All\n", "x-auto-response-suppress"),
        ("Precedence: auto_reply\n", "auto_reply"),
        ("X-Apple-Action: VACATION\n", "VACATION"),
    ],
)
def test_auto_reply_headers(header: str, reason: str) -> None:
    result = verdict(mail("Re: Your order", headers=header))
    assert result.kind == "autoreply"
    assert reason in result.reason


def test_auto_submitted_no_is_a_person() -> None:
    assert verdict(mail(headers="Auto-Submitted: no\n")).kind == ""


def test_french_outlook_auto_reply_with_an_encoded_subject() -> None:
    raw = mail(
        "=?utf-8?q?R=C3=A9ponse_automatique=C2=A0:_Votre_demande?=",
        headers="X-MS-Exchange-Inbox-Rules-Loop: chef@client.example\n",
        body="Je suis absent jusqu'au 6 janvier.\n",
    )
    result = verdict(raw)
    assert result.kind == "autoreply"
    assert "Réponse automatique" in result.reason


def test_a_null_sender_auto_reply_is_an_auto_reply_not_a_bounce() -> None:
    raw = mail("Automatic reply: Nyaan", headers="Return-Path: <>\nX-Auto-Response-Suppress: All\n")
    assert verdict(raw).kind == "autoreply"


def test_read_receipt() -> None:
    raw = mail(
        "Read: Your order",
        headers='Content-Type: multipart/report; report-type=disposition-notification; boundary="b"\n',
        body="--b\nContent-Type: text/plain\n\nRead.\n--b\nContent-Type: message/disposition-notification\n\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n--b--\n",
    )
    assert verdict(raw).kind == "autoreply"


# ---------------------------------------------------------------- bounces and reports

DSN = (
    "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>\r\n"
    "To: support@acme.example\r\n"
    "Subject: Undelivered Mail Returned to Sender\r\n"
    "Auto-Submitted: auto-replied\r\n"
    "Message-ID: <20250106.ABC@mx.customer.example>\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
    "\r\n--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you...\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
    "Final-Recipient: rfc822; bob@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
    "--B\r\nContent-Type: {original}\r\n\r\nFrom: support@acme.example\r\n"
    "Subject: Re: Your order [#42]\r\nMessage-ID:\r\n <a1b2c3@desk.acme.example>\r\n\r\nHello\r\n--B--\r\n"
)


@pytest.mark.parametrize("original", ["message/rfc822", "text/rfc822-headers"])
def test_a_dsn_is_a_bounce_naming_our_original(original: str) -> None:
    result = verdict(DSN.replace("{original}", original).encode(), **OWN)
    assert result.kind == "bounce"
    assert "delivery-status" in result.reason
    assert result.bounced_ids == ("a1b2c3@desk.acme.example",)


def test_a_dsn_with_cr_only_line_endings_and_an_mbox_line() -> None:
    raw = "From MAILER-DAEMON Mon Jan  6 10:00:00 2025\r" + DSN.replace("\r\n", "\r")
    result = verdict(raw.replace("{original}", "message/rfc822").encode())
    assert result.kind == "bounce"
    assert result.bounced_ids == ("a1b2c3@desk.acme.example",)


@pytest.mark.parametrize(
    ("sender", "subject", "headers"),
    [
        (
            "Mail Delivery System <Mailer-Daemon@mx.example>",
            "Mail delivery failed: returning message to sender",
            "",
        ),
        ("postmaster@mx.example", "Delivery Status Notification (Failure)", ""),
        ("Anna <anna@customer.example>", "Hello", "X-Failed-Recipients: bob@customer.example\n"),
        ("Microsoft Outlook <bounces@customer.example>", "Undeliverable: Your order", ""),
        ("Microsoft Outlook <bounces@customer.example>", "Non remis : Votre commande", ""),
        ("Microsoft Outlook <bounces@customer.example>", "Unzustellbar: Ihre Bestellung", ""),
        ("System <system@customer.example>", "Hello", "Return-Path: <>\n"),
    ],
)
def test_bounce_signals(sender: str, subject: str, headers: str) -> None:
    body = "Your message could not be delivered.\n\nMessage-ID: <a1@desk.acme.example>\n"
    result = verdict(mail(subject, headers=headers, body=body, sender=sender))
    assert result.kind == "bounce", result
    assert result.bounced_ids == ("a1@desk.acme.example",)


def test_a_postmaster_with_a_name_is_not_a_bounce_by_itself() -> None:
    assert verdict(mail(sender="Paul Thomas <postmaster@shop.example>")).kind == ""


def test_bounced_ids_include_in_reply_to_and_references() -> None:
    raw = mail(
        "failure notice",
        headers="In-Reply-To: <x1@desk.acme.example>\n",
        sender="MAILER-DAEMON@mx.example",
    )
    assert verdict(raw).bounced_ids == ("x1@desk.acme.example",)


ARF = (
    "From: Yahoo! Mail AntiSpam Feedback <feedback@arf.mail.yahoo.com>\n"
    "To: abuse@acme.example\n"
    "Subject: FW: Your order\n"
    "Message-ID: <arf1@yahoo.example>\n"
    "Return-Path: <>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\n\n'
    "--F\nContent-Type: text/plain\n\nThis is an email abuse report.\n"
    "--F\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nUser-Agent: Yahoo!-Mail-Feedback/1.0\n"
    "--F\nContent-Type: message/rfc822\n\nFrom: support@acme.example\nMessage-ID: <o1@desk.acme.example>\n\nHi\n--F--\n"
)


def test_an_arf_report_is_feedback_before_anything_else() -> None:
    result = verdict(ARF.encode())
    assert result.kind == "feedback"
    assert "feedback-report" in result.reason


# ---------------------------------------------------------------- lists, bulk, our own mail


def test_a_newsletter_is_bulk() -> None:
    raw = mail(
        "Our spring sale",
        headers=(
            "List-Unsubscribe: <https://esp.example/u/abc>, <mailto:u-abc@esp.example>\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"
            "Feedback-ID: 123:campaign-9:esp\n"
        ),
        sender="Shop <news@shop.example>",
    )
    assert verdict(raw) == noise.Verdict("bulk", "List-Unsubscribe with feedback-id (bulk sender)")


def test_precedence_bulk_is_bulk_and_a_mailing_list_is_a_list() -> None:
    assert verdict(mail(headers="Precedence: bulk\n")).kind == "bulk"
    listed = verdict(mail(headers="List-Id: Users <users.lists.example.org>\nPrecedence: bulk\n"))
    assert listed.kind == "list"
    assert verdict(mail(headers="List-Unsubscribe: <mailto:leave@lists.example>\n")).kind == "list"


def test_our_own_group_relaying_customers_is_not_a_list() -> None:
    headers = (
        "List-Id: <support.acme.example>\n"
        "List-Post: <https://groups.google.com/a/acme.example/group/support/post>, "
        "<mailto:support@acme.example>\n"
        "List-Help: <mailto:support+help@acme.example>\n"
        "List-Unsubscribe: <mailto:support+unsubscribe@acme.example>\n"
        "Precedence: list\n"
    )
    assert verdict(mail(headers=headers), **OWN).kind == ""
    assert verdict(mail(headers=headers)).kind == "list"


def test_our_own_mail_coming_back() -> None:
    raw = mail("Re: Your order [#42]", sender="Chris <support@acme.example>").replace(
        b"<CAF=abc123@mail.gmail.com>", b"<a1b2c3@desk.acme.example>"
    )
    result = verdict(raw, **OWN)
    assert result.kind == "own"
    assert "support@acme.example" in result.reason
    assert verdict(raw).kind == ""  # the desk did not say which domain is its own


def test_our_own_mail_is_recognised_before_its_auto_reply_headers() -> None:
    raw = mail("Re: Your order", headers="Auto-Submitted: auto-replied\n").replace(
        b"<CAF=abc123@mail.gmail.com>", b"<a9@DESK.acme.example>"
    )
    assert verdict(raw, **OWN).kind == "own"


# ---------------------------------------------------------------- real mail

# sisimai labels its files by the module that parses them (lhost-*, rhost-*: "bounce"),
# not by what each message is. Four of its "bounces" are not bounces, and the desk is right
# not to call them so:
#   lhost-amazonses-11  an Amazon SES *complaint* notification -> feedback
#   lhost-fml-02        a list server's "you are not a member" notice -> list
#   lhost-fml-03        a list server's "duplicated Message-ID" loop alert to its admin
#   lhost-sendmail-14   a person forwarding a bounce ("Fwd: Returned mail") -> a person
# and maildir/not/rb-issue-368-bug is labelled "not a bounce" although it is one
# (From postmaster, "email bounce notification", the bounced mail inline).
NOT_REALLY_BOUNCES = {
    "lhost-amazonses-11.eml",
    "lhost-fml-02.eml",
    "lhost-fml-03.eml",
    "lhost-sendmail-14.eml",
}


def test_sisimai_bounces_auto_replies_and_feedback_reports(corpora: Path) -> None:
    confusion: dict[str, Counter[str]] = {}
    missed = []
    for row in csv.DictReader((corpora / "derived" / "noise_labels.csv").open()):
        if not row["path"].startswith("sisimai"):
            continue
        kind = verdict((corpora / row["path"]).read_bytes()).kind
        confusion.setdefault(row["label"], Counter())[kind] += 1
        if row["label"] == "bounce" and kind != "bounce":
            missed.append(Path(row["path"]).name)
    bounces = confusion["bounce"]
    recall = bounces["bounce"] / sum(bounces.values())
    precision = bounces["bounce"] / sum(c["bounce"] for c in confusion.values())
    print(f"sisimai bounce recall {recall:.4f} precision {precision:.4f}; {confusion}")
    assert recall >= 0.99
    assert precision >= 0.99
    assert set(missed) <= NOT_REALLY_BOUNCES
    # Auto-replies must be told apart from bounces: a bounce marks the address undeliverable,
    # an auto-reply leaves the conversation waiting for the person. "Noise at all" is not enough.
    assert confusion["auto_reply"] == Counter({"autoreply": 4})
    assert confusion["feedback_report"] == Counter({"feedback": 17})


@pytest.mark.slow
def test_spamassassin_ham_is_rarely_taken_for_a_bounce(corpora: Path) -> None:
    """Precision beyond sisimai: the ham folders hold a few real bounces sent to mailing
    lists (DSNs, MAILER-DAEMON); spam holds two forged null senders. Nothing else."""
    flagged: Counter[str] = Counter()
    for row in csv.DictReader((corpora / "derived" / "noise_labels.csv").open()):
        if row["path"].startswith("spamassassin"):
            result = verdict((corpora / row["path"]).read_bytes())
            if result.kind in ("bounce", "feedback"):
                flagged[row["label"]] += 1
                assert "DSN" in result.reason or "mail system" in result.reason, row["path"]
    assert sum(flagged.values()) <= 10, flagged


def test_no_team_message_of_the_founder_mailbox_is_taken_for_a_robot() -> None:
    need(FOUNDER.is_dir(), f"founder mailbox not found at {FOUNDER}")
    by_lane: dict[str, Counter[str]] = {}
    for row in csv.DictReader((FOUNDER / "labels.csv").open()):
        result = verdict((FOUNDER / "msgs" / row["file"]).read_bytes())
        by_lane.setdefault(row["lane"], Counter())[result.kind] += 1
    team = by_lane["team"]
    assert team["autoreply"] + team["bounce"] == 0, team
    assert sum(team.values()) > 1000
