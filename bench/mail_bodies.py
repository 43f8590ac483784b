"""The benchmark's mail as text: the people who write it, what a reply knows of the
message before, the values a template is filled with, paragraphs wrapped at 72 columns,
signatures, attribution lines and quotes (``mailgen.py`` writes the mail)."""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, field
from datetime import datetime

from mail_people import (
    COMPANIES,
    DESK,
    FIRST,
    FREEMAIL,
    LAST,
    PLANS,
    QUOTED_LINES,
    REPORTS,
    SENDERS,
)
from mail_texts import DAYS, DISCLAIMER, MONTH_NAMES, MONTHS


@dataclass(slots=True)
class Person:
    name: str
    address: str
    lang: str
    company: str
    title: str
    phone: str


@dataclass(slots=True)
class Sent:
    """What a reply needs to know about an earlier message."""

    message_id: str
    subject: str
    text: str
    date: datetime
    sender: Person
    customer: Person
    agent: Person | None
    lang: str
    topic: str
    thread: int
    references: list[str] = field(default_factory=list)


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöûüùçÉÈÊÀÂÎÔÛÇœŒæ", "eeeeaaaiioouuucEEEAAIOUCoOa")
    return text.translate(table).lower()


def as_latin1(text: str) -> str:
    return (
        text.replace("€", "EUR").replace("œ", "oe").encode("latin-1", "replace").decode("latin-1")
    )


def make_people(rng: random.Random) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < SENDERS:
        lang = "fr" if rng.random() < 0.45 else "en"
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        company = rng.choice(COMPANIES[lang])
        if rng.random() < 0.15:
            domain = rng.choice(FREEMAIL[lang])
        else:
            domain = "".join(
                c for c in _ascii(company).replace(" ", "-") if c.isalnum() or c == "-"
            )
            domain = f"{domain}.example"
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}"))
        address = f"{_ascii(local).replace(' ', '')}@{domain}"
        if address in seen:
            continue
        seen.add(address)
        title = rng.choice(
            ("Office manager", "Finance director", "Accountant", "Operations lead", "CEO")
            if lang == "en"
            else (
                "Responsable administratif",
                "Directrice financière",
                "Comptable",
                "Gérant",
                "Assistante de direction",
            )
        )
        phone = (
            f"+1 555 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
            if lang == "en"
            else f"+33 5 {rng.randrange(10, 99)} {rng.randrange(10, 99)} "
            f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        )
        people.append(Person(f"{first} {last}", address, lang, company, title, phone))
    return people


def variables_of(rng: random.Random, person: Person) -> dict[str, object]:
    n = rng.randrange(3, 60)
    lang = person.lang
    sep = "," if lang == "fr" else "."
    cents = rng.randrange(0, 100)
    whole = rng.randrange(90, 9000)
    amount = f"{whole}{sep}{cents:02d} €" if lang == "fr" else f"${whole}{sep}{cents:02d}"
    amount2 = (
        f"{whole + rng.randrange(5, 900)}{sep}{cents:02d} €"
        if lang == "fr"
        else f"${whole + rng.randrange(5, 900)}{sep}{cents:02d}"
    )
    k = rng.choice((1000, 5000, 10000, 65535, 32767))
    return {
        "n": n,
        "m": n + rng.randrange(5, 80),
        "k": k,
        "k2": k + rng.randrange(10, 40000),
        "plan": rng.choice(PLANS),
        "report": rng.choice(REPORTS),
        "job": rng.randrange(100000, 999999),
        "inv": f"LR-2024-{rng.randrange(1000, 99999):05d}",
        "amount": amount,
        "amount2": amount2,
        "month": rng.choice(MONTH_NAMES[lang]),
        "company": person.company,
    }


def wrapped(paragraphs: list[str]) -> str:
    out: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            out.append("")
        elif len(paragraph) <= 72 or "\n" in paragraph:
            out.append(paragraph)
        else:
            out.append("\n".join(textwrap.wrap(paragraph, 72, break_on_hyphens=False)))
    return "\n\n".join(out)


def signature_of(rng: random.Random, person: Person, agent: bool) -> str:
    if agent:
        role = "Support Lumen Reports" if person.lang == "fr" else "Lumen Reports Support"
        return f"-- \n{person.name}\n{role}\nhttps://help.{DESK}"
    lines = [person.name]
    if rng.random() < 0.7:
        lines += [f"{person.title}, {person.company}", person.phone]
    if rng.random() < 0.25:
        lines += ["", "\n".join(textwrap.wrap(DISCLAIMER[person.lang], 72))]
    return "\n".join(lines)


def attribution_line(parent: Sent, lang: str) -> str:
    d = parent.date
    who = f"{parent.sender.name} <{parent.sender.address}>"
    if lang == "fr":
        day = f"{DAYS['fr'][d.weekday()]} {d.day} {MONTHS['fr'][d.month - 1]} {d.year}"
        return f"Le {day} à {d:%H:%M}, {who} a écrit :"
    day = f"{DAYS['en'][d.weekday()]}, {MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    return f"On {day} at {d:%H:%M}, {who} wrote:"


def quoted(text: str) -> str:
    lines = text.split("\n")[:QUOTED_LINES]
    return "\n".join(
        ">" + (" " + line if line and not line.startswith(">") else line) for line in lines
    )
