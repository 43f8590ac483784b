"""Realistic, deterministic help-desk mail for benchmarks: .eml files written with the stdlib.

    .venv/bin/python bench/mailgen.py DIR [--messages 5000] [--seed 1]

The desk of Lumen Reports, a SaaS reporting tool (pricing questions, login
problems, export bugs, invoices), in English and French. About 30% of the
messages are replies to an earlier one (In-Reply-To, References, "Re: ",
quoted text); French bodies come in UTF-8 and ISO-8859-1, 8bit,
quoted-printable and base64; some messages are multipart/alternative with
HTML, some carry a PDF, a .log or a PNG. Sizes run from about 1 KB to about
200 KB, mostly small. The same seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import multiprocessing
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from mail_bodies import (
    Person,
    Sent,
    as_latin1,
    attribution_line,
    make_people,
    quoted,
    signature_of,
    variables_of,
    wrapped,
)
from mail_people import AGENTS, DESK, MAILERS, MAX_THREAD, REPLY_SHARE, SUPPORT, ZONES
from mail_render import Attach, Plan, Stats, write
from mail_texts import (
    AGENT_REPLY,
    CLOSING,
    CUSTOMER_REPLY,
    EXTRA,
    FRENCH_ENCODINGS,
    GREETING,
    TOPICS,
)


class Planner:
    """Decides every message in order (who, what, replying to what); cheap and sequential."""

    def __init__(self, seed: int, directory: Path) -> None:
        self.rng = random.Random(seed)
        self.directory = directory
        self.people = make_people(self.rng)
        self.agents = [Person(n, a, lang, "Lumen Reports", "Support", "") for n, a, lang in AGENTS]
        self.sent: list[Sent] = []
        self.thread_sizes: list[int] = []
        self.clock = datetime(2024, 1, 8, 8, 30, tzinfo=UTC)
        self.stats = Stats()

    def _parent(self) -> Sent | None:
        if not self.sent or self.rng.random() >= REPLY_SHARE:
            return None
        for _ in range(4):
            back = min(int(self.rng.expovariate(1 / 60)), len(self.sent) - 1)
            parent = self.sent[-1 - back]
            if self.thread_sizes[parent.thread] < MAX_THREAD:
                return parent
        return None

    def plan(self, index: int) -> Plan:
        rng = self.rng
        self.clock += timedelta(seconds=int(rng.expovariate(1 / 420)) + 1)
        parent = self._parent()
        quote: tuple[str, str] | None = None
        recipients: list[tuple[str, str]]
        if parent is None:
            customer = rng.choice(self.people)
            lang, topic = customer.lang, rng.choice(tuple(TOPICS))
            sender, agent = customer, None
            values = variables_of(rng, customer)
            subjects, paragraphs = TOPICS[topic][lang]
            subject = rng.choice(subjects).format(**values)
            picked = rng.sample(paragraphs, k=rng.choice((1, 1, 2, 2, 3)))
            extra = rng.sample(EXTRA[lang], k=rng.choice((0, 1, 1, 2)))
            body = [p.format(**values) for p in (rng.choice(GREETING[lang]), *picked, *extra)]
            thread = len(self.thread_sizes)
            self.thread_sizes.append(1)
            references: list[str] = []
            recipients = [SUPPORT]
            self.stats.threads += 1
        else:
            lang, topic, customer = parent.lang, parent.topic, parent.customer
            if parent.sender is customer:
                agent = parent.agent or rng.choice([a for a in self.agents if a.lang == lang])
                sender, pool = agent, AGENT_REPLY[topic][lang] + AGENT_REPLY["any"][lang]
                recipients = [(customer.name, customer.address)]
            else:
                agent, sender, pool = parent.agent, customer, CUSTOMER_REPLY[lang]
                recipients = [SUPPORT]
            subject = (
                parent.subject if parent.subject.startswith("Re: ") else (f"Re: {parent.subject}")
            )
            body = [rng.choice(GREETING[lang]), rng.choice(pool)]
            thread = parent.thread
            self.thread_sizes[thread] += 1
            references = [*parent.references, parent.message_id][-10:]
            quote = (attribution_line(parent, lang), parent.text)
            self.stats.replies += 1
        is_agent = sender is agent
        own_text = (
            wrapped(body)
            + "\n\n"
            + rng.choice(CLOSING[lang])
            + "\n"
            + signature_of(rng, sender, is_agent)
        )
        charset, cte = rng.choice(FRENCH_ENCODINGS) if lang == "fr" else ("utf-8", None)
        if charset == "iso-8859-1":
            # What an ISO-8859-1 client would have written: no euro sign there.
            own_text = as_latin1(own_text)
            quote = (as_latin1(quote[0]), as_latin1(quote[1])) if quote else None
        if cte:
            key = f"{charset} {cte}"
            self.stats.encodings[key] = self.stats.encodings.get(key, 0) + 1
        text = f"{own_text}\n\n{quote[0]}\n{quoted(quote[1])}" if quote else own_text

        domain = sender.address.rsplit("@", 1)[1]
        message_id = f"{rng.getrandbits(72):018x}.{index}@{domain}"
        date = self.clock if is_agent else self.clock.astimezone(rng.choice(ZONES))
        trace = self._trace(sender.address, domain, date)
        headers = [
            ("From", f"{sender.name} <{sender.address}>"),
            ("To", ", ".join(f"{n} <{a}>" for n, a in recipients)),
        ]
        if rng.random() < 0.08 and not is_agent:
            colleague = rng.choice(self.people)
            headers.append(("Cc", f"{colleague.name} <{colleague.address}>"))
        headers += [
            ("Subject", subject),
            ("Date", format_datetime(date)),
            ("Message-ID", f"<{message_id}>"),
        ]
        if parent is not None:
            headers += [
                ("In-Reply-To", f"<{parent.message_id}>"),
                ("References", " ".join(f"<{r}>" for r in references)),
            ]
        headers.append(("X-Mailer", rng.choice(MAILERS)))
        html_parts = None
        if rng.random() < 0.35:
            html_parts = (own_text.split("\n\n"), quote, rng.random() < 0.3)
            self.stats.html += 1
        self.sent.append(
            Sent(
                message_id,
                subject,
                text,
                self.clock,
                sender,
                customer,
                agent,
                lang,
                topic,
                thread,
                references,
            )
        )
        if len(self.sent) > 2000:
            del self.sent[:1000]
        return Plan(
            path=str(self.directory / f"{index:07d}.eml"),
            trace=trace,
            headers=headers,
            text=text,
            charset=charset,
            cte=cte,
            html=html_parts,
            attachment=self._attachment(topic, is_agent),
            language="fr-FR" if lang == "fr" else "en-US",
            crlf=rng.random() < 0.1,
            seed=rng.getrandbits(64),
        )

    def _trace(self, address: str, domain: str, date: datetime) -> str:
        """The header lines the mail servers put on top, folded as they fold them.

        Servers prepend these lines to the bytes they relay, so they are written
        as text here (and parsing them through the header classes would double
        the generation time).
        """
        rng = self.rng
        relay = rng.randrange(1, 250)
        mx = f"mx{relay % 4 + 1}.{domain}"
        stamp = format_datetime(date)
        selector = rng.choice(("google", "selector1", "s2048", "mail"))
        lines = [
            f"Return-Path: <{address}>",
            f"Delivered-To: support@{DESK}",
            f"Received: from {mx} ({mx} [192.0.2.{relay}])\n\tby mx.{DESK} (Postfix) with "
            f"ESMTPS id {rng.getrandbits(40):010X}\n\tfor <support@{DESK}>; {stamp}",
            f"Authentication-Results: mx.{DESK};\n\tdkim=pass header.d={domain} "
            f"header.s={selector};\n\tspf=pass smtp.mailfrom={address};\n\t"
            f"dmarc=pass header.from={domain}",
        ]
        if rng.random() < 0.7:
            signature = base64.b64encode(rng.randbytes(256)).decode()
            body_hash = base64.b64encode(rng.randbytes(32)).decode()
            folded = "\n\t ".join(signature[i : i + 70] for i in range(0, len(signature), 70))
            lines.append(
                f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain};\n\t"
                f"s={selector}; h=from:to:subject:date:message-id:mime-version;\n\t"
                f"bh={body_hash};\n\tb={folded}"
            )
        lines.append(
            f"Received: from [10.{relay}.{rng.randrange(256)}.{rng.randrange(1, 255)}]\n\t"
            f"by {mx} with ESMTPSA id {rng.getrandbits(48):012x}; {stamp}"
        )
        return "\n".join(lines) + "\n"

    def _attachment(self, topic: str, agent: bool) -> Attach | None:
        rng = self.rng
        if rng.random() >= (0.25 if topic in ("export", "invoice") else 0.1):
            return None
        # Log-uniform sizes, 2 KB to about 140 KB before base64.
        size = int(2000 * 70 ** rng.random())
        seed = rng.getrandbits(64)
        if topic == "export" and not agent:
            kind = rng.choice(("log", "log", "png"))
        elif topic == "login":
            kind = "png"
        else:
            kind = "pdf"
        if kind == "log":
            name = f"export-{seed % 900000 + 1000}.log"
        elif kind == "png":
            name = rng.choice(("screenshot.png", "Capture d'écran 2024-03-12.png", "image001.png"))
        else:
            name = rng.choice(
                (
                    f"LR-2024-{seed % 90000 + 10000}.pdf",
                    "invoice.pdf",
                    "Relevé bancaire.pdf",
                    "devis.pdf",
                    "quote.pdf",
                )
            )
        self.stats.attachments[kind] = self.stats.attachments.get(kind, 0) + 1
        return Attach(kind, size, name, seed)


def generate(directory: Path, count: int, seed: int, jobs: int | None = None) -> Stats:
    """Write ``count`` messages as DIR/0000001.eml...; the same seed gives the same bytes.

    The planning is sequential; the MIME rendering (the slow part) runs in ``jobs``
    processes (default: one per core).
    """
    directory.mkdir(parents=True, exist_ok=True)
    planner = Planner(seed, directory)
    stats = planner.stats
    jobs = jobs or os.cpu_count() or 1
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs) if jobs > 1 else contextlib.nullcontext() as pool:
        for start in range(1, count + 1, 1000):
            plans = [planner.plan(i) for i in range(start, min(start + 1000, count + 1))]
            sizes = pool.map(write, plans, chunksize=25) if pool else list(map(write, plans))
            stats.sizes += sizes
    stats.messages = len(stats.sizes)
    stats.bytes = sum(stats.sizes)
    stats.largest = max(stats.sizes, default=0)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    stats = generate(args.directory, args.messages, args.seed)
    json.dump({**stats.as_dict(), "seconds": round(time.perf_counter() - started, 3)}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
