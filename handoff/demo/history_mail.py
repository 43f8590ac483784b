"""The history's mail: the messages a story's people write (``Letters``: who writes, in
which words, quoting what, triaged how) and their bytes as they would arrive (``raw_mail``:
real RFC 5322 mail that the pipeline's reader parses back to the same fields). Pure."""

from __future__ import annotations

import binascii
import hashlib
import json
import random
from base64 import b64encode
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, formataddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from handoff.demo import history_content as hc
from handoff.demo import history_founder_noise as hf
from handoff.demo.history_clockwork import Clockwork
from handoff.demo.history_story import DAY, Decided, Desk, Mail, Story
from handoff.lib.mime import KEPT_HEADERS
from handoff.lib.thanks import only_thanks

PARIS, UTC_ZONE = ZoneInfo("Europe/Paris"), ZoneInfo("UTC")
SENT = "sent by us, in a conversation of this lane"
TEXT_TYPE = 'text/plain; charset="utf-8"'
PLAIN_HEADERS = json.dumps({"content-type": TEXT_TYPE})


@dataclass(slots=True)
class Thread:
    """A story's customer side: who writes, to which address, about what."""

    story: Story
    name: str
    address: str
    zone: ZoneInfo
    desk_address: str
    subject: str
    first: str


def classifier_scores(rng: random.Random, category: str) -> tuple[float, str, str]:
    """A plausible classifier answer for a message of ``category``: its lane's probability,
    the probabilities as a decision stores them, and the words that weighed."""
    top = rng.uniform(0.55, 0.98)
    rest = [rng.random() for _ in hc.SCORED]
    total = sum(rest)
    scores = {c: round((1 - top) * r / total, 4) for c, r in zip(hc.SCORED, rest, strict=True)}
    scores[category] = round(scores[category] + top, 4)
    lane = ("spam", "autoreply", "bounce") if category == "spam" else hc.TEAM_CATEGORIES
    confidence = min(sum(scores[c] for c in lane), 1.0)
    return confidence, json.dumps(scores), ", ".join(rng.sample(hc.WORDS[category], 3))


class Letters(Clockwork):
    """The people of the stories, and what they write."""

    def __init__(self, desk: Desk, rng: random.Random, now: float, seed: int, version: int) -> None:
        super().__init__(desk, rng, now)
        self.seed = seed
        self.source = f"classifier v{version}"
        self.founder_id, self.founder_name, self.founder_address = desk.founder
        team = (*hc.TEAM_CATEGORIES, "spam")
        self.scores = {c: [classifier_scores(rng, c) for _ in range(16)] for c in team}

    def customer(self, lang: str) -> tuple[str, str, str, str]:
        """Someone who writes: name, address, first name, company."""
        rng = self.rng
        first, last = rng.choice(hc.FIRST_NAMES[lang]), rng.choice(hc.LAST_NAMES[lang])
        company, domain = hc.company(rng, lang)
        address = f"{hc.ascii_part(first)}.{hc.ascii_part(last)}@{domain}"
        return f"{first} {last}", address, first, company

    @staticmethod
    def amount(lang: str, count: int) -> str:
        return f"${count * 12 + 49}" if lang == "en" else f"{count * 12 + 49} €"

    def first_of(self, user: int | None) -> str:
        member = self.desk.members.get(user or 0)
        return member.first if member else self.founder_name.split()[0]

    def msgid(self, s: Story, host: str) -> str:
        return f"h{self.seed}.{s.index}.{len(s.mails)}@{host}"

    @staticmethod
    def parent(s: Story) -> Mail:
        """The message a reply answers: the last one a person wrote."""
        return next(m for m in reversed(s.mails) if not m.kind)

    def quoted(self, s: Story, own: str, zone: ZoneInfo) -> str:
        """``own`` and, below it, the previous message as mail clients quote it."""
        previous = self.parent(s)
        local = datetime.fromtimestamp(previous.at, zone)
        said = hc.ATTRIBUTION[s.language].format(
            date=f"{local:%Y-%m-%d}",
            time=f"{local:%H:%M}",
            name=previous.sender[0],
            address=previous.sender[1],
        )
        return f"{own}\n\n{said}\n{hc.quote(s.own)}"

    def references(self, s: Story) -> tuple[str, ...]:
        """The parent's references and the parent, trimmed as clients trim long threads."""
        parent = self.parent(s)
        chain = (*parent.references, parent.msgid)
        return chain if len(chain) <= 3 else (chain[0], *chain[-2:])

    def classified(self, s: Story, at: float) -> Decided:
        """The classifier's decision on a customer's message about ``s.category``; now and
        then, lately, one under the threshold (the head's triage queue)."""
        rng = self.rng
        confidence, scores, words = rng.choice(self.scores[s.category])
        said = f"{self.source}: team {confidence:.2f}"
        if at > self.now - 3 * DAY and rng.random() < 0.04:
            confidence = rng.uniform(0.3, 0.49)
            said = f"needs triage: {self.source}: team {confidence:.2f} is under the threshold"
            decided = Decided("team", s.category, s.language, confidence, "classifier", said)
            return decided._replace(scores=scores, needs_triage=True)
        said = f"{said}; words: {words}"
        return Decided("team", s.category, s.language, confidence, "classifier", said, scores)

    def from_customer(
        self, t: Thread, at: float, own: str, decision: Decided | None = None
    ) -> int | None:
        """The customer writes (a reply quotes the team's); routing follows."""
        s = t.story
        previous = self.parent(s) if s.mails else None
        answering = previous is not None and previous.out
        text = self.quoted(s, own, t.zone) if answering else own
        mail = Mail(
            at=at,
            out=False,
            sender=(t.name, t.address),
            to=previous.sender if previous is not None and answering else ("", t.desk_address),
            subject=hc.REPLY_PREFIX[s.language] + t.subject if previous else t.subject,
            text=text,
            msgid=self.msgid(s, t.address.rpartition("@")[2]),
            zone=t.zone,
            decision=decision or self.classified(s, at),
            references=self.references(s) if previous is not None else (),
            thanks=only_thanks(text),
        )
        number = self.mail(s, mail, own)
        if number is not None:
            self.arrived(s, number)
        return number

    def from_team(
        self, t: Thread, at: float, who: int | None, own: str, framed: bool = True
    ) -> int | None:
        """A reply: by a team member through the desk's address, or by the founder
        (``who`` not in the team) from her own; ``framed``: with greeting and signature."""
        s = t.story
        member = self.desk.members.get(who or 0)
        if member is None:
            sender, zone = (self.founder_name, self.founder_address), PARIS
        else:
            sender, zone = (f"{member.first} — Acme Reports", t.desk_address), member.zone
        signed = own
        if framed:
            greeting = hc.GREETING_NAMED[s.language].format(first=t.first)
            signature = hc.SIGN_TEAM[s.language].format(agent=self.first_of(who))
            signed = f"{greeting}\n\n{own}\n\n{signature}"
        if member is None and s.lane in ("", "founder"):
            decision = Decided("founder", "founder", s.language, 1.0, "sent", "sent by the founder")
        else:
            why = SENT if member else "sent by the founder, in a conversation of this lane"
            decision = Decided(s.lane, s.category, s.language, 1.0, "sent", why)
        mail = Mail(
            at=at,
            out=True,
            sender=sender,
            to=(t.name, t.address),
            subject=hc.REPLY_PREFIX[s.language] + t.subject,
            text=self.quoted(s, signed, zone),
            msgid=self.msgid(s, self.desk.domain),
            zone=zone,
            decision=decision,
            references=self.references(s),
        )
        number = self.mail(s, mail, signed)
        if number is not None:
            s.wait = None
        return number

    def out_of_office(self, t: Thread, at: float) -> None:
        """The customer's robot answers the team's reply (noise, in the conversation)."""
        s, lang, reply = t.story, t.story.language, self.parent(t.story)
        back = f"{datetime.fromtimestamp(at + 4 * DAY, UTC_ZONE):%d/%m}"
        why = reason = "Auto-Submitted: auto-replied"
        mail = Mail(
            at=at,
            out=False,
            sender=(t.name, t.address),
            to=reply.sender,
            subject=hf.AUTOREPLY[lang][0].format(subject=reply.subject),
            text=hf.AUTOREPLY[lang][1].format(day=back, first=t.first),
            msgid=self.msgid(s, t.address.rpartition("@")[2]),
            zone=t.zone,
            decision=Decided("noise", "autoreply", lang, 1.0, "noise", f"noise (autoreply): {why}"),
            references=(reply.msgid,),
            kind="autoreply",
            reason=reason,
            human=False,
        )
        self.mail(s, mail, s.own)


@lru_cache(maxsize=65536)
def address(name: str, addr: str) -> str:
    return formataddr((name, addr), charset="utf-8") if name else addr


@lru_cache(maxsize=65536)
def subject_line(subject: str) -> str:
    if subject.isascii():
        return f"Subject: {subject}"
    words = [subject[i : i + 20] for i in range(0, len(subject), 20)]
    encoded = "\r\n ".join(f"=?utf-8?b?{b64encode(w.encode()).decode()}?=" for w in words)
    return f"Subject: {encoded}"


def machine_headers(mail: Mail) -> list[tuple[str, str]]:
    """The fields a robot adds: what the noise recognition reads."""
    if mail.kind == "autoreply":
        return [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")]
    if mail.kind == "bounce":
        return [("Auto-Submitted", "auto-replied")]
    if mail.kind == "list":
        domain = mail.sender[1].rpartition("@")[2]
        return [
            ("List-Id", mail.reason.partition(": ")[2]),
            ("List-Unsubscribe", f"<https://{domain}/u>"),
            ("Precedence", "bulk"),
        ]
    return []


def raw_mail(mail: Mail) -> tuple[bytes, str, str]:
    """The message's bytes, their ``content_hash`` (as the raw store computes it), and the
    header fields the pipeline keeps (JSON)."""
    local = datetime.fromtimestamp(mail.at, mail.zone)
    head = [
        f"Date: {format_datetime(local)}",
        f"From: {address(*mail.sender)}",
        f"To: {address(*mail.to)}",
        subject_line(mail.subject),
        f"Message-ID: <{mail.msgid}>",
    ]
    if mail.references:
        head.append(f"In-Reply-To: <{mail.references[-1]}>")
        head.append("References: " + " ".join(f"<{r}>" for r in mail.references))
    extra = machine_headers(mail)
    head += [f"{name}: {value}" for name, value in extra]
    data = mail.text.replace("\n", "\r\n").encode()
    if data.isascii():
        encoding, body = "7bit", data + b"\r\n"
    else:
        encoding, body = "quoted-printable", binascii.b2a_qp(data + b"\r\n", istext=True)
    head += [
        "MIME-Version: 1.0",
        f"Content-Type: {TEXT_TYPE}",
        f"Content-Transfer-Encoding: {encoding}",
    ]
    raw = ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body
    body_hash = hashlib.sha256(body).hexdigest()
    content_hash = hashlib.sha256(f"{mail.msgid}\0{body_hash}".encode()).hexdigest()
    if not extra:
        return raw, content_hash, PLAIN_HEADERS
    fields = {name.lower(): value for name, value in extra} | {"content-type": TEXT_TYPE}
    kept = {name: fields[name] for name in KEPT_HEADERS if name in fields}
    return raw, content_hash, json.dumps(kept)
