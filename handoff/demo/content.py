"""Demo mailbox of Acme Reports, as raw RFC 5322 bytes for the desk's normal import.

Messages are assembled by hand rather than through ``EmailMessage``: the
standard generator costs about 0.7 ms a message, too slow for 10,000
conversations. Header encoding still goes through ``email.policy`` and
``email.utils``, and the tests parse every message with ``policy.default``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.utils import format_datetime, formataddr
from functools import lru_cache
from typing import NamedTuple

from handoff.demo import cast as sc
from handoff.demo import mail_bits as mb
from handoff.demo.cast import Attachment, DemoPerson, Lang, Org, Scenario, Step
from handoff.demo.mime_parts import Entity, file_entity, html_page, multipart, pdf, text_entity
from handoff.demo.scenarios import SCENARIOS

__all__ = ["DEMO_PEOPLE", "DemoPerson", "demo_deliveries", "demo_messages"]

DEMO_PEOPLE: tuple[DemoPerson, ...] = sc.TEAM
DOMAIN = sc.DOMAIN

MAILBOXES = {"support": f"support@{DOMAIN}", "sales": f"sales@{DOMAIN}"}
FOUNDER = sc.TEAM[0]
RELAY = "relay.mailhost.example"
WINDOW = timedelta(days=14)

_TEAM = {person.email.split("@")[0]: person for person in sc.TEAM}


@dataclass(frozen=True, slots=True)
class _Sent:
    msgid: str
    when: datetime
    name: str
    addr: str
    text: str
    refs: tuple[str, ...]
    head: bytes
    author: str


class _Author(NamedTuple):
    name: str
    addr: str
    msgid_domain: str
    utc_offset: float


@lru_cache(maxsize=4096)
def _address(name: str, addr: str) -> str:
    return formataddr((name, addr), charset="utf-8") if name else addr


@lru_cache(maxsize=4096)
def _subject_line(subject: str) -> str:
    folded: str = policy.SMTP.header_factory("Subject", subject).fold(policy=policy.SMTP)
    return folded


@lru_cache(maxsize=256)
def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


@lru_cache(maxsize=32)
def _tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def _first_to(scenario: Scenario) -> str:
    if scenario.mailbox == "founder":
        return _address(FOUNDER.name, FOUNDER.email)
    return MAILBOXES[scenario.mailbox]


def _long_date(lang: Lang, when: datetime) -> str:
    day, month = mb.DAYS[lang][when.weekday()], mb.MONTHS[lang][when.month - 1]
    return f"{day} {when.day} {month}" if lang == "fr" else f"{day}, {month} {when.day}"


def _attribution(lang: Lang, when: datetime, name: str, addr: str) -> str:
    if lang == "fr":
        day = f"{mb.FR_DAYS_ABBR[when.weekday()]} {when.day} {mb.FR_MONTHS_ABBR[when.month - 1]}"
        return f"Le {day} {when.year} à {when:%H:%M}, {name} <{addr}> a écrit :"
    day = f"{mb.DAYS['en'][when.weekday()][:3]}, {mb.MONTHS['en'][when.month - 1][:3]} {when.day}"
    clock = f"{when.hour % 12 or 12}:{when.minute:02d} {'AM' if when.hour < 12 else 'PM'}"
    return f"On {day}, {when.year} at {clock}, {name} <{addr}> wrote:"


def _quote(text: str) -> str:
    return "\n".join(
        ">" + line if not line or line.startswith(">") else "> " + line
        for line in text.rstrip("\n").split("\n")
    )


_DECK = file_entity("application/pdf", "Acme-Reports-board-deck-draft.pdf", pdf(mb.DECK_LINES))


class _Builder:
    def __init__(self, seed: int, now: datetime) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now
        self.start = now - WINDOW
        self.shift = self.rng.randrange(23 * 24)

    def conversation(self, index: int) -> Iterator[tuple[datetime, bytes]]:
        scenario = SCENARIOS[index % len(SCENARIOS)]
        ctx, org = self._context(index, scenario)
        delays = [0.0]
        for previous, step in zip(scenario.steps, scenario.steps[1:], strict=False):
            kind = "nudge" if previous.author == step.author == "customer" else step.author
            delays.append(self.rng.uniform(*sc.DELAYS[kind]))
        span = WINDOW.total_seconds() - sum(delays) - 120
        when = self.start + timedelta(seconds=int(self.rng.uniform(0, span)))
        ctx["back"] = _long_date(scenario.lang, when + timedelta(days=self.rng.randint(4, 9)))
        ctx["day"] = f"{when:%Y-%m-%d}"
        thread: list[_Sent] = []
        for number, (step, delay) in enumerate(zip(scenario.steps, delays, strict=True)):
            when += timedelta(seconds=int(delay))
            sent, raw = self._message(index, number, scenario, step, org, ctx, when, thread)
            thread.append(sent)
            yield when, raw

    def _context(self, index: int, scenario: Scenario) -> tuple[dict[str, str], Org]:
        lang, variant = scenario.lang, index // len(SCENARIOS)
        firsts, lasts = sc.FIRST_NAMES[lang], sc.LAST_NAMES[lang]
        # Consecutive k give distinct (first, last) pairs: the pool sizes are coprime. One k
        # per conversation (not per variant and scenario: those sums repeat, and then only the
        # company told people apart).
        k = index - 1 + self.shift
        if variant == 0:
            (first, last), org = scenario.person, scenario.org
        else:
            first, last = firsts[k % len(firsts)], lasts[(7 * k) % len(lasts)]
            orgs = scenario.orgs or sc.ORGS[lang]
            org = orgs[(variant + index) % len(orgs)]
        colleague = firsts[(k + 5) % len(firsts)]
        if colleague == first:
            colleague = firsts[(k + 6) % len(firsts)]
        rng, agent = self.rng, _TEAM[scenario.agent]
        n = rng.randint(5, 40)
        login = _ascii(first)
        ctx = {
            "first": first,
            "last": last,
            "full": f"{first} {last}".strip(),
            "company": org.name,
            "domain": org.domain,
            "login": login,
            "email": f"{login}.{_ascii(last)}@{org.domain}",
            "agent": agent.name.split()[0],
            "agent_full": agent.name,
            "agent_key": scenario.agent,
            "colleague": colleague,
            "colleague_email": f"{_ascii(colleague)}@{org.domain}",
            "n": str(n),
            "amount": f"${n * 12 + 49}" if lang == "en" else f"{n * 12 + 49} €",
            "invoice": f"AR-{self.now.year}-{rng.randint(1000, 9999)}",
            "ref": str(rng.randint(1000, 9999)),
            "vat_fr": f"FR{rng.randint(10, 99)} {rng.randint(100_000_000, 999_999_999)}",
            "vat_be": "BE 0" + ".".join(str(rng.randint(100, 999)) for _ in range(3)),
            "issue": str(100 + variant * 3 + rng.randint(0, 2)),
            "token": f"{rng.getrandbits(48):012x}",
        }
        return ctx, org

    @staticmethod
    def _author(step: Step, scenario: Scenario, org: Org, ctx: dict[str, str]) -> _Author:
        author = step.author
        if author in ("customer", "auto"):
            return _Author(ctx["full"], ctx["email"], org.domain, org.utc_offset)
        if author == "team":
            mailbox = MAILBOXES["sales" if scenario.mailbox == "sales" else "support"]
            offset = _TEAM[ctx["agent_key"]].utc_offset
            return _Author(f"{ctx['agent']} — Acme Reports", mailbox, DOMAIN, offset)
        if author == "founder":
            return _Author(FOUNDER.name, FOUNDER.email, DOMAIN, FOUNDER.utc_offset)
        if author == "daemon":
            return _Author("Mail Delivery System", f"MAILER-DAEMON@{RELAY}", RELAY, 0)
        return _Author(org.name, f"newsletter@{org.domain}", org.domain, org.utc_offset)

    def _message(
        self,
        index: int,
        number: int,
        scenario: Scenario,
        step: Step,
        org: Org,
        ctx: dict[str, str],
        when: datetime,
        thread: list[_Sent],
    ) -> tuple[_Sent, bytes]:
        who = self._author(step, scenario, org, ctx)
        local = when.astimezone(_tz(who.utc_offset))
        msgid = f"<demo-{self.seed}-{index}-{number}@{who.msgid_domain}>"
        subject = scenario.subject.format_map(ctx)
        own = text = step.body.format_map(ctx)
        previous, attribution, to = (thread[-1] if thread else None), "", _first_to(scenario)
        if previous is not None:
            prefix = "RE : " if step.enc.startswith("latin1") else "Re: "
            subject = step.subject or prefix + subject
            if step.author == "daemon":
                to = previous.addr
            elif not (step.author == previous.author == "customer"):
                to = _address(previous.name, previous.addr)
            if step.author in ("customer", "team", "founder"):
                quoted_at = previous.when.astimezone(local.tzinfo)
                attribution = _attribution(scenario.lang, quoted_at, previous.name, previous.addr)
                text = f"{own}\n{attribution}\n{_quote(previous.text)}\n"
        head = [
            f"Date: {format_datetime(local)}\r\n",
            f"From: {_address(who.name, who.addr)}\r\n",
            f"To: {to}\r\n",
        ]
        if step.cc:
            head.append(f"Cc: {_address(ctx['colleague'], step.cc.format_map(ctx))}\r\n")
        head += (_subject_line(subject), f"Message-ID: {msgid}\r\n")
        refs: tuple[str, ...] = ()
        if previous is not None:
            refs = (*previous.refs, previous.msgid)
            head.append(f"In-Reply-To: {previous.msgid}\r\n")
            head.append("References: " + "\r\n ".join(refs) + "\r\n")
        outlook = step.author == "customer" and step.enc.startswith("latin1")
        extra = mb.EXTRA_HEADERS.get("outlook" if outlook else step.author, ())
        head += (line.format_map(ctx) + "\r\n" for line in extra)
        header_block = "".join(head).encode("ascii")

        boundary = f"{self.seed}_{index}_{number}"
        if step.author == "daemon" and previous is not None:
            entity = self._bounce(boundary, own, ctx, previous)
        else:
            entity = text_entity(text, step.enc)
            if step.html:
                quoted = previous.text if previous else ""
                html = step.html_body.format_map(ctx) or html_page(own, attribution, quoted)
                alternatives = [entity, text_entity(html, "qp", "html")]
                entity = multipart("alternative", f"=_alt_{boundary}", alternatives)
            if step.attach:
                files = [self._attachment(kind, ctx, local) for kind in step.attach]
                entity = multipart("mixed", f"=_mix_{boundary}", [entity, *files])
        raw = b"".join((header_block, b"MIME-Version: 1.0\r\n", entity[0], b"\r\n", entity[1]))
        return _Sent(msgid, when, who.name, who.addr, text, refs, header_block, step.author), raw

    @staticmethod
    def _attachment(kind: Attachment, ctx: dict[str, str], local: datetime) -> Entity:
        if kind == "deck_pdf":
            return _DECK
        if kind == "export_log":
            log = mb.EXPORT_LOG.format(day=ctx["day"], ref=ctx["ref"]).encode()
            return file_entity('text/plain; charset="utf-8"', "export.log", log)
        values = {**ctx, "date": f"{local:%Y-%m-%d}"}
        invoice = pdf(tuple(line.format_map(values) for line in mb.INVOICE_LINES))
        return file_entity("application/pdf", f"{ctx['invoice']}.pdf", invoice)

    def _bounce(self, boundary: str, notice: str, ctx: dict[str, str], original: _Sent) -> Entity:
        status = mb.BOUNCE_STATUS.format(
            queue=f"{self.rng.getrandbits(40):010X}",
            sender=original.addr,
            arrival=format_datetime(original.when),
            rcpt=ctx["colleague_email"],
            domain=ctx["domain"],
        )
        notification_head, notification = text_entity(notice, "auto")
        parts = [
            (b"Content-Description: Notification\r\n" + notification_head, notification),
            (
                b"Content-Description: Delivery report\r\n"
                b"Content-Type: message/delivery-status\r\n",
                status.replace("\n", "\r\n").encode(),
            ),
            (
                b"Content-Description: Undelivered Message Headers\r\n"
                b"Content-Type: text/rfc822-headers\r\n",
                original.head,
            ),
        ]
        params = " report-type=delivery-status;"
        return multipart("report", f"=_report_{boundary}", parts, params)


def demo_messages(
    *, tickets: int = 40, seed: int = 7, now: datetime | None = None
) -> Iterator[bytes]:
    """Yield the raw messages of ``tickets`` conversations, each thread in order.

    Deterministic for a given ``seed`` and ``now``; every date falls in the 14
    days before ``now`` (a naive ``now`` is taken as UTC).
    """
    for _, raw in demo_deliveries(tickets=tickets, seed=seed, now=now):
        yield raw


def demo_deliveries(
    *, tickets: int = 40, seed: int = 7, now: datetime | None = None
) -> Iterator[tuple[datetime, bytes]]:
    """``demo_messages`` with the moment each one arrives (its Date, in UTC): the demo's clock."""
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    builder = _Builder(seed, now)
    for index in range(tickets):
        yield from builder.conversation(index)


# The team's shared saved replies, in the customers' two main languages: (title, language,
# text with the desk's placeholders).
DEMO_SAVED_REPLIES = (
    (
        "Refund on its way",
        "en",
        "Hello {customer.first_name},\n\nThe refund is on its way: you will see it on your "
        "statement within five working days.\n\nBest,\n{agent.first_name}",
    ),
    (
        "Remboursement en cours",
        "fr",
        "Bonjour {customer.first_name},\n\nLe remboursement est en cours : il apparaîtra sur "
        "votre relevé sous cinq jours ouvrés.\n\nBien à vous,\n{agent.first_name}",
    ),
    (
        "Export: we are on it",
        "en",
        "Hello {customer.first_name},\n\nThanks for the report (#{conversation.number}). We "
        "can reproduce it and our engineers are on it; I will write as soon as it is fixed."
        "\n\nBest,\n{agent.first_name}",
    ),
    (
        "Export : nous nous en occupons",
        "fr",
        "Bonjour {customer.first_name},\n\nMerci pour votre message (n° {conversation.number})."
        " Nous reproduisons le problème et l'équipe technique s'en occupe ; je vous écris dès "
        "que c'est corrigé.\n\nBien à vous,\n{agent.first_name}",
    ),
)
