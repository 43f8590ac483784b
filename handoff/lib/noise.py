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

import email.utils
import re
from collections.abc import Callable
from dataclasses import dataclass

from handoff.lib.mime import ParsedMessage
from handoff.lib.rawmail import split_head

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

_START = r"^\W{0,3}"  # "[Auto-Reply]", "(Automatic reply)", "【自動返信】": a bracket at most
_END = r"\s*(?:[:：\]】)\-–]|$)"  # the robot's prefix ends: "Automatic reply: <subject>"
# Auto-reply prefixes of the common clients and servers (Outlook/Exchange in its languages,
# Apple, Gmail, Notes, Zimbra, Mimecast). A person's subject *about* an auto-reply
# ("Auto-reply not working") does not end the prefix there, so it does not match.
_AUTOREPLY_WORDS = (
    r"auto(?:matic)?[ _-]?(?:reply|replied|response|respons|answer)|out of (?:the )?office"
    r"(?: ?auto[ -]?reply| reply)?|(?:vacation|holiday) (?:reply|response)"
    r"|r[ée]ponse automatique|absent(?:e)? du bureau|absence du bureau|message d'absence"
    r"|abwesenheitsnotiz|abwesenheit|automatische antwort|respuesta autom[áa]tica"
    r"|fuera de la oficina|risposta automatica|fuori (?:sede|ufficio)|automatisch antwoord"
    r"|afwezigheidsbericht|afwezig|resposta autom[áa]tica|ausente do escrit[óo]rio"
    r"|fora do escrit[óo]rio|autosvar|automaattinen vastaus|automatyczna odpowied[źz]"
    r"|automatick[áa] odpov[ěe][ďd]|自動応答|自動返信|自动回复|自動回覆|자동 ?응답"
)
_AUTOREPLY_SUBJECT = re.compile(
    rf"{_START}(?:{_AUTOREPLY_WORDS}){_END}|{_START}(?:auto:|r[ée]ponse automatique d'absence)",
    re.IGNORECASE,
)
# Lotus Notes: "Jane Doe is out of the office." / "... is out of the office (returning 05/01)".
_NOTES_SUBJECT = re.compile(
    r"\bis out of (?:the )?office(?: until\b.*| \(return.*\))?\.?\s*$", re.IGNORECASE
)
# Bounce subjects of Postfix, Exim, Sendmail, qmail, Exchange (in its languages), Gmail, Notes
# and Japanese carriers. Words a customer uses about a parcel ("Delivery failed", "Nicht
# zustellbar") count only in the mail system's own form.
_BOUNCE_WORDS = (
    r"undelivered mail returned to sender|undeliverable(?: mail| message)?|returned mail"
    r"|message not delivered|non remis|non distribuable|unzustellbar|no se puede entregar"
    r"|non recapitabile|onbestelbaar|n[ãa]o [ée] poss[íi]vel entregar"
)
_BOUNCE_PHRASES = (
    r"delivery status notification\b|delivery notification: delivery has failed"
    r"|(?:mail|message|e-?mail) delivery fail(?:ed|ure)\b|failure notice\s*$"
    r"|mail system error\b|non[- ]delivery report\b|delayed mail \(still being retried\)"
    r"|warning: could not send message|there was an error sending your (?:mail|message)"
    r"|[ée]chec de (?:la )?remise\b|メールエラー通知|配信エラー"
)
_BOUNCE_SUBJECT = re.compile(
    rf"{_START}(?:{_BOUNCE_WORDS}){_END}|{_START}(?:{_BOUNCE_PHRASES})", re.IGNORECASE
)
_MAILER_DAEMON = re.compile(r"^(?:mailer[-_]?daemon|mail[-_]daemon)$", re.IGNORECASE)
_POSTMASTER = re.compile(r"^post[-_]?master$", re.IGNORECASE)
_SES_NOTICE = re.compile(r'\\?"(?:notificationType|eventType)\\?"\s*:\s*\\?"(\w+)')
_SES_ID = re.compile(
    rb'\\?"name\\?"\s*:\s*\\?"message-id\\?"\s*,\s*\\?"value\\?"\s*:\s*\\?"<([^<>"\\\s]+)>',
    re.IGNORECASE,
)
_JMRP_SUBJECT = re.compile(r"^complaint about message from\b", re.IGNORECASE)
_DAEMON_NAME = re.compile(r"^mail delivery (?:sub)?system$", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"^(?:\[[^\]]*\]\s*)*(?:re|fwd?|aw|wg|tr|sv|vs)\s*:", re.IGNORECASE)
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
# RFC 2919/2369 list fields and the older ones of ezmlm and smartlist.
_LIST_FIELD = re.compile(r"list-(?:id|post|help|subscribe|owner|archive)|(?:x-)?mailing-list")
# ESP and bulk-sender fields (Mailchimp, SendGrid, Mailjet, Brevo, SES, Google's Feedback-ID).
_ESP_FIELD = re.compile(
    r"feedback-id|x-campaign(?:-?id)?|x-mailchimp-campaign|x-mc-user|x-sg-eid|x-mailjet-campaign"
    r"|x-mailin-campaign|x-ses-outgoing|x-msfbl|x-rpcampaign"
)
_ESP_MAILERS = re.compile(
    r"mailchimp|sendgrid|mailjet|sendinblue|brevo|hubspot|marketo|"
    r"constant ?contact|campaign ?monitor|klaviyo|phplist|mailerlite",
    re.IGNORECASE,
)
_LINE_END = re.compile(rb"\r\n|\n|\r")
_HEAD_READ = 1_048_576  # bytes of a header block read (real ones are below 30 KB)
_LONGEST, _MOST_FOLDS = 16_384, 1_000  # bytes and folded lines read of a header field


# ---------------------------------------------------------------- raw header block


def raw_headers(raw: bytes) -> tuple[dict[str, str], str | None]:
    """Top header fields (first occurrence, unfolded, lower-case names) and the mbox sender.

    The mbox sender is the address of a leading ``From `` line, if any. Only the first
    ``_HEAD_READ`` bytes are read and values are cut at ``_LONGEST``: no rule reads
    further, and hostile mail has megabytes of fields.
    """
    head, _ = split_head(raw[:_HEAD_READ])
    lines = _LINE_END.split(head)
    mbox_sender: str | None = None
    if lines and lines[0].startswith(b"From "):
        parts = lines[0][:_LONGEST].split()
        mbox_sender = parts[1].decode("ascii", "replace") if len(parts) > 1 else ""
        lines = lines[1:]
    folded: dict[str, list[bytes]] = {}
    current: list[bytes] | None = None
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if current is not None and len(current) < _MOST_FOLDS:
                current.append(line[:_LONGEST].strip())
            continue
        key, colon, value = line.partition(b":")
        current = None
        if not colon or not key.strip() or b" " in key.strip():
            continue
        name = key.strip().lower().decode("ascii", "replace")
        if name not in folded:  # keep the first occurrence (the last hop's Return-Path)
            current = folded[name] = [value[:_LONGEST].strip()]
    fields = {
        name: b" ".join(parts)[:_LONGEST].decode("utf-8", "replace")
        for name, parts in folded.items()
    }
    return fields, mbox_sender


# ---------------------------------------------------------------- the verdict


@dataclass(frozen=True, slots=True)
class _Mail:
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
        """(address, display name); the raw From when it has no domain ("mailer-daemon")."""
        sender = self.parsed.sender
        if sender:
            return sender.email.strip().lower(), sender.name.strip()
        name, address = email.utils.parseaddr(self.fields.get("from", ""))
        return address.strip().lower(), name.strip()

    @property
    def ses_notice(self) -> str:
        """Amazon SES notifications delivered by SNS email: a JSON body."""
        text = self.parsed.text.lstrip()
        match = _SES_NOTICE.search(text[:2000]) if text.startswith("{") else None
        return match.group(1).capitalize() if match else ""


def _feedback(mail: _Mail) -> str:
    if mail.report_type == "feedback-report":
        return "multipart/report; report-type=feedback-report (ARF)"
    if mail.parts.intersection(_FEEDBACK_PARTS):
        return "message/feedback-report part (ARF)"
    if _JMRP_SUBJECT.match(mail.parsed.subject) and "message/rfc822" in mail.parts:
        return "complaint report (Microsoft JMRP)"
    if mail.ses_notice == "Complaint":
        return "Amazon SES complaint notification"
    if mail.field("x-apple-unsubscribe").lower() == "true":
        return "X-Apple-Unsubscribe: unsubscribe request sent by Apple Mail"
    return ""


def _bounce(mail: _Mail) -> str:
    if mail.report_type in ("delivery-status", "global-delivery-status"):
        return f"multipart/report; report-type={mail.report_type} (DSN)"
    if found := mail.parts.intersection(_BOUNCE_PARTS):
        return f"{min(found)} part (DSN)"
    if mail.field("x-failed-recipients"):
        return "X-Failed-Recipients header"
    if mail.ses_notice in ("Bounce", "Delivery", "Deliverydelay"):
        return f"Amazon SES {mail.ses_notice.lower()} notification"
    address, name = mail.sender
    local = address.partition("@")[0]
    if _MAILER_DAEMON.match(local):
        return f"From {address} (mail system)"
    if _POSTMASTER.match(local) and (not name or _POSTMASTER.match(name)):
        return f"From {address} (mail system)"
    if _DAEMON_NAME.match(name):
        return f"From name {name!r} (mail system)"
    if _BOUNCE_SUBJECT.match(mail.parsed.subject):
        return f"bounce subject {mail.parsed.subject[:60]!r}"
    return ""


def _null_sender(mail: _Mail) -> str:
    if mail.field("return-path").replace(" ", "") == "<>":
        return "null Return-Path <> (sent by a mail system)"
    if mail.mbox_sender and _MAILER_DAEMON.match(mail.mbox_sender.partition("@")[0]):
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
    if mail.field("precedence").lower() in ("auto_reply", "auto-reply"):
        return f"Precedence: {mail.field('precedence').lower()}"
    if mail.field("x-apple-action").upper() == "VACATION":
        return "X-Apple-Action: VACATION (iCloud vacation reply)"
    if mail.report_type in ("disposition-notification", "global-disposition-notification"):
        return "read receipt (multipart/report; report-type=disposition-notification)"
    if mail.parts.intersection(_RECEIPT_PARTS):
        return "read receipt (message/disposition-notification part)"
    subject = mail.parsed.subject
    if _AUTOREPLY_SUBJECT.match(subject) or (
        _NOTES_SUBJECT.search(subject) and not _REPLY_PREFIX.match(subject)
    ):
        return f"auto-reply subject {subject[:60]!r}"
    return ""


def _names_us(value: str, mail: _Mail) -> bool:
    """A list field naming one of our own addresses (List-Id <support.example.com>,
    List-Post <mailto:support@example.com>, <mailto:support+unsubscribe@example.com>)."""
    value = value.lower()
    for address in mail.own_addresses:
        local, _, domain = address.partition("@")
        if f"{local}.{domain}" in value or f"mailto:{address}" in value:
            return True
        if f"mailto:{local}+" in value and f"@{domain}" in value:
            return True
    return False


def _our_group(mail: _Mail) -> bool:
    """Our own mailbox is a group (Google Groups, Mailman) that relays customers' mail:
    its list fields say nothing about the sender."""
    return any(_names_us(mail.field(name), mail) for name in ("list-id", "list-post"))


def _list(mail: _Mail) -> str:
    if _our_group(mail):
        return ""
    for name, value in mail.fields.items():
        if _LIST_FIELD.fullmatch(name):
            return f"{name.title()}: {value[:60]}"
    if mail.field("precedence").lower() == "list":
        return "Precedence: list"
    return ""


def _bulk(mail: _Mail) -> str:
    precedence = mail.field("precedence").lower()
    if precedence in ("bulk", "junk") and not _our_group(mail):
        return f"Precedence: {precedence}"
    unsubscribe = mail.field("list-unsubscribe")
    if not unsubscribe or _names_us(unsubscribe, mail):
        return ""
    for name in mail.fields:
        if _ESP_FIELD.fullmatch(name):
            return f"List-Unsubscribe with {name} (bulk sender)"
    mailer = mail.fields.get("x-mailer", "")
    if _ESP_MAILERS.search(mailer):
        return f"List-Unsubscribe with X-Mailer {mailer[:40]!r} (bulk sender)"
    return ""


def _unsubscribe_only(mail: _Mail) -> str:
    value = mail.field("list-unsubscribe")
    return "List-Unsubscribe header" if value and not _names_us(value, mail) else ""


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
    found += [m.decode("ascii", "replace") for m in _SES_ID.findall(body)]
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
