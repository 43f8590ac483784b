"""Mail that must never get an automatic answer: bounces, auto-replies, reports, lists.

A pure function over the raw bytes and the parsed message. Only signals a real
desk relies on are used: RFC headers (RFC 3834 Auto-Submitted, RFC 3464/6522
reports, RFC 2369/2919 list fields), the de-facto headers of the big mail
systems (Exchange, Exim, iCloud, ESPs) and the fixed subjects their robots
write. Subjects are matched at the start only, so a person who writes about an
"automatic reply" is still a person.

Order matters: feedback and bounce reports first (they also carry auto-reply
headers), then our own mail coming back, auto-replies, the weak bounce signal
(a null sender and nothing else), lists, bulk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from handoff.lib.mime import ParsedMessage, split_head

KINDS = ("", "autoreply", "bounce", "feedback", "list", "bulk", "own")


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # "" (a person wrote it), "autoreply", "bounce", "feedback", "list", "bulk", "own"
    reason: str  # which header or pattern fired
    bounced_ids: tuple[str, ...] = ()  # bounces: Message-IDs of the original mail

    @property
    def is_noise(self) -> bool:
        return bool(self.kind)


# ---------------------------------------------------------------- patterns

_START = r"^\W{0,3}"  # "[Auto-Reply]", "(Automatic reply)": a bracket at most
_AUTOREPLY_SUBJECT = re.compile(
    _START + r"(?:auto(?:matic|matische?)?[ _-]?(?:reply|replied|respon[sd]\w*|antwort|answer)"
    r"|auto:|autosvar|autoresposta"
    r"|out of (?:the )?office\s*(?:[:\-–(\[]|auto|reply|$)"
    r"|(?:vacation|holiday|absence) (?:reply|response|notice|message)\s*:"
    r"|r[ée]ponse automatique|absence du bureau|absent(?:e)? du bureau|message d'absence"
    r"|abwesenheitsnotiz|abwesenheit\s*:|automatische antwort"
    r"|respuesta autom[áa]tica|fuera de la oficina"
    r"|risposta automatica|fuori (?:sede|ufficio)"
    r"|automatisch antwoord|afwezigheidsbericht|afwezig\s*:"
    r"|resposta autom[áa]tica|ausente do escrit[óo]rio|fora do escrit[óo]rio"
    r"|automaattinen vastaus|automatyczna odpowied[źz]|automatick[áa] odpov[ěe]d"
    r"|自動応答|自動返信|自动回复|自動回覆|자동 ?응답)",
    re.IGNORECASE,
)
# Lotus Notes: "Jane Doe is out of the office." / "... is out of the office (returning 05/01)".
_NOTES_SUBJECT = re.compile(
    r"\bis out of (?:the )?office(?: until\b.*| \(return.*\))?\.?\s*$", re.IGNORECASE
)
_BOUNCE_SUBJECT = re.compile(
    _START + r"(?:undeliver(?:ed|able)(?: mail| message)?\b"
    r"|delivery status notification|delivery (?:status )?notification\s*:"
    r"|(?:mail|message|email|e-mail)? ?delivery (?:has )?fail(?:ed|ure)"
    r"|returned mail\b|failure notice|mail system error|non[- ]delivery report"
    r"|delayed mail|warning: could not send message|could not send message"
    r"|message (?:not delivered|could not be delivered)"
    r"|non remis\s*:|non distribuable|[ée]chec de (?:la )?(?:remise|distribution)"
    r"|unzustellbar|nicht zustellbar|r[üu]ckl?äufer|zustellung fehlgeschlagen"
    r"|no se puede entregar|no entregado|non recapitabile|onbestelbaar"
    r"|n[ãa]o (?:[ée] poss[íi]vel )?entreg(?:ue|ar))",
    re.IGNORECASE,
)
_MAILER_DAEMON = re.compile(r"^(?:mailer[-_]?daemon|mail[-_]daemon|postmaster)$", re.IGNORECASE)
_DAEMON_NAME = re.compile(r"^mail delivery (?:sub)?system$", re.IGNORECASE)
_REPORT_TYPE = re.compile(r"report-type\s*=\s*\"?([\w.-]+)", re.IGNORECASE)
_BOUNCE_PARTS = ("message/delivery-status", "message/global-delivery-status")
_FEEDBACK_PARTS = ("message/feedback-report",)
_RECEIPT_PARTS = ("message/disposition-notification", "message/global-disposition-notification")
# Fields of the embedded original (message/rfc822, text/rfc822-headers, inline copies),
# and Exchange's X-Original-Message-ID in the delivery-status part.
_EMBEDDED_ID = re.compile(
    rb"(?:^|[\r\n])(?:x-original-|original-)?message-id:[ \t]*(?:\r\n|\r|\n)?[ \t]*"
    rb"<([^<>\s]+@[^<>\s]+)>",
    re.IGNORECASE,
)
# ESP and bulk-sender fields (Mailchimp, SendGrid, Mailjet, Brevo, SES, Google's Feedback-ID).
_ESP_FIELDS = (
    "feedback-id",
    "x-campaign",
    "x-campaignid",
    "x-campaign-id",
    "x-mailchimp-campaign",
    "x-mc-user",
    "x-sg-eid",
    "x-mailjet-campaign",
    "x-mailin-campaign",
    "x-ses-outgoing",
    "x-msfbl",
    "x-rpcampaign",
)
_ESP_MAILERS = re.compile(
    r"mailchimp|sendgrid|mailjet|sendinblue|brevo|hubspot|marketo|"
    r"constant ?contact|campaign ?monitor|klaviyo|phplist|mailerlite",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- raw header block


def raw_headers(raw: bytes) -> tuple[dict[str, str], str | None]:
    """Top header fields (first occurrence, unfolded, lower-case names) and the mbox sender.

    The mbox sender is the address of a leading ``From `` line, if any.
    """
    head, _ = split_head(raw)
    lines = re.split(rb"\r\n|\n|\r", head)
    mbox_sender: str | None = None
    if lines and lines[0].startswith(b"From "):
        parts = lines[0].split()
        mbox_sender = parts[1].decode("ascii", "replace") if len(parts) > 1 else ""
        lines = lines[1:]
    fields: dict[str, str] = {}
    name = ""
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if name:
                fields[name] += " " + line.strip().decode("utf-8", "replace")
            continue
        key, colon, value = line.partition(b":")
        if not colon or not key.strip() or b" " in key.strip():
            name = ""
            continue
        name = key.strip().lower().decode("ascii", "replace")
        if name in fields:
            name = ""  # keep the first occurrence (the last hop's Return-Path)
            continue
        fields[name] = value.strip().decode("utf-8", "replace")
    return fields, mbox_sender


# ---------------------------------------------------------------- the verdict


@dataclass(frozen=True, slots=True)
class _Mail:
    raw: bytes
    parsed: ParsedMessage
    fields: dict[str, str]
    mbox_sender: str | None
    parts: frozenset[str]
    own_domains: frozenset[str]
    own_addresses: frozenset[str]

    def field(self, name: str) -> str:
        return (self.parsed.headers.get(name) or self.fields.get(name) or "").strip()

    @property
    def content_type(self) -> str:
        return self.field("content-type").split(";", 1)[0].strip().lower()

    @property
    def report_type(self) -> str:
        if self.content_type != "multipart/report":
            return ""
        match = _REPORT_TYPE.search(self.field("content-type"))
        return match.group(1).lower() if match else "?"

    @property
    def sender(self) -> tuple[str, str]:
        sender = self.parsed.sender
        return (sender.email.strip().lower(), sender.name.strip()) if sender else ("", "")


def _feedback(mail: _Mail) -> str:
    if mail.report_type == "feedback-report":
        return "multipart/report; report-type=feedback-report (ARF)"
    if mail.parts.intersection(_FEEDBACK_PARTS):
        return "message/feedback-report part (ARF)"
    return ""


def _bounce(mail: _Mail) -> str:
    if mail.report_type in ("delivery-status", "global-delivery-status"):
        return f"multipart/report; report-type={mail.report_type} (DSN)"
    if found := mail.parts.intersection(_BOUNCE_PARTS):
        return f"{min(found)} part (DSN)"
    if mail.field("x-failed-recipients"):
        return "X-Failed-Recipients header"
    address, name = mail.sender
    local = address.rpartition("@")[0]
    if _MAILER_DAEMON.match(local):
        return f"From {address} (mail system)"
    if _DAEMON_NAME.match(name):
        return f"From name {name!r} (mail system)"
    if _BOUNCE_SUBJECT.match(mail.parsed.subject):
        return f"bounce subject {mail.parsed.subject[:60]!r}"
    return ""


def _null_sender(mail: _Mail) -> str:
    if mail.field("return-path").replace(" ", "") == "<>":
        return "null Return-Path <> (sent by a mail system)"
    if mail.mbox_sender is not None and _MAILER_DAEMON.match(mail.mbox_sender):
        return f"mbox sender {mail.mbox_sender} (null envelope sender)"
    return ""


def _own(mail: _Mail) -> str:
    message_id = mail.parsed.message_id.strip("<>").lower()
    domain = message_id.rpartition("@")[2]
    if not domain or domain not in mail.own_domains:
        return ""
    address = mail.sender[0]
    if address in mail.own_addresses:
        return f"From {address} and Message-ID on our domain {domain}"
    return f"Message-ID on our domain {domain}"


def _autoreply(mail: _Mail) -> str:
    submitted = mail.field("auto-submitted").split(";", 1)[0].strip().lower()
    if submitted and submitted != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        if name in mail.parsed.headers or name in mail.fields:
            return f"{name} header"
    if mail.field("precedence").lower() == "auto_reply":
        return "Precedence: auto_reply"
    if mail.field("x-apple-action").upper() == "VACATION":
        return "X-Apple-Action: VACATION (iCloud vacation reply)"
    if mail.report_type in ("disposition-notification", "global-disposition-notification"):
        return "read receipt (multipart/report; report-type=disposition-notification)"
    if mail.parts.intersection(_RECEIPT_PARTS):
        return "read receipt (message/disposition-notification part)"
    subject = mail.parsed.subject
    if _AUTOREPLY_SUBJECT.match(subject) or _NOTES_SUBJECT.search(subject):
        return f"auto-reply subject {subject[:60]!r}"
    return ""


def _ours(value: str, mail: _Mail) -> bool:
    """A list field naming one of our own addresses: our mailbox is itself a group."""
    value = value.lower()
    return any(
        f"mailto:{address}" in value or address.replace("@", ".") in value
        for address in mail.own_addresses
    )


def _list(mail: _Mail) -> str:
    for name in ("list-id", "list-post"):
        value = mail.field(name)
        if value and not _ours(value, mail):
            return f"{name.title()}: {value[:60]}"
    if mail.field("precedence").lower() == "list":
        return "Precedence: list"
    return ""


def _bulk(mail: _Mail) -> str:
    precedence = mail.field("precedence").lower()
    if precedence in ("bulk", "junk"):
        return f"Precedence: {precedence}"
    unsubscribe = mail.field("list-unsubscribe")
    if not unsubscribe or _ours(unsubscribe, mail):
        return ""
    for name in _ESP_FIELDS:
        if name in mail.fields:
            return f"List-Unsubscribe with {name} (bulk sender)"
    mailer = mail.fields.get("x-mailer", "")
    if _ESP_MAILERS.search(mailer):
        return f"List-Unsubscribe with X-Mailer {mailer[:40]!r} (bulk sender)"
    return ""


def _unsubscribe_only(mail: _Mail) -> str:
    value = mail.field("list-unsubscribe")
    return "List-Unsubscribe header" if value and not _ours(value, mail) else ""


_RULES: tuple[tuple[str, Callable[[_Mail], str]], ...] = (
    ("feedback", _feedback),
    ("bounce", _bounce),
    ("own", _own),
    ("autoreply", _autoreply),
    ("bounce", _null_sender),
    ("list", _list),
    ("bulk", _bulk),
    ("list", _unsubscribe_only),
)


def bounced_ids(raw: bytes, parsed: ParsedMessage) -> tuple[str, ...]:
    """Message-IDs of the original mail a bounce names, oldest reference last."""
    _, body = split_head(raw)
    found = [m.decode("ascii", "replace") for m in _EMBEDDED_ID.findall(body)]
    found += parsed.in_reply_to + parsed.references
    own = parsed.message_id.strip("<>")
    return tuple(i for i in dict.fromkeys(found) if i != own)


def recognise(
    raw: bytes,
    parsed: ParsedMessage,
    *,
    own_domains: frozenset[str] = frozenset(),
    own_addresses: frozenset[str] = frozenset(),
) -> Verdict:
    """What kind of machine sent this mail, or ``kind=""`` when a person did."""
    fields, mbox_sender = raw_headers(raw)
    mail = _Mail(
        raw=raw,
        parsed=parsed,
        fields=fields,
        mbox_sender=mbox_sender,
        parts=frozenset(a.content_type.lower() for a in parsed.attachments),
        own_domains=frozenset(d.lower().strip() for d in own_domains),
        own_addresses=frozenset(a.lower().strip() for a in own_addresses),
    )
    for kind, rule in _RULES:
        reason = rule(mail)
        if reason:
            ids = bounced_ids(raw, parsed) if kind == "bounce" else ()
            return Verdict(kind, reason, ids)
    return Verdict("", "")
