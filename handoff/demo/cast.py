"""Who writes the demo mailbox, and the shapes of its scenarios (data only; the
scenarios are in ``scenarios_*.py``, ``content.py`` builds the mail): the team, the
customers' names and companies, the founder's correspondents. The bits of text the mail
is made of besides the scenarios' own are in ``mail_bits``.

Scenario bodies are ``str.format_map`` templates. Placeholders: ``{first}`` ``{last}``
``{full}`` ``{company}`` ``{domain}`` ``{email}`` ``{login}`` (the sender),
``{agent}`` ``{agent_full}`` (the team member answering), ``{colleague}`` ``{colleague_email}``,
``{n}`` (a small count), ``{amount}`` ``{invoice}`` ``{ref}`` ``{vat_fr}``
``{vat_be}``, ``{back}`` (a date a few days later, spelt in the scenario's
language), ``{issue}`` and ``{token}`` (newsletters).

Texts meant to go out as ISO-8859-1 avoid characters Latin-1 lacks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["fr", "en"]
# customer: the outside sender; team: an agent through the team mailbox;
# founder: Camille herself; auto: the sender's out-of-office robot;
# daemon: the relay's delivery-failure report; list: a newsletter.
Author = Literal["customer", "team", "founder", "auto", "daemon", "list"]
# latin1 is quoted-printable ISO-8859-1 (as Outlook sends it); latin1-8bit is raw bytes;
# latin1-as-ascii, raw ISO-8859-1 bytes labelled US-ASCII (an old client's lie: the desk
# reads it anyway and says so, on the conversation and in the quarantine).
Encoding = Literal["auto", "qp", "b64", "8bit", "latin1", "latin1-8bit", "latin1-as-ascii"]
Attachment = Literal["export_log", "invoice_pdf", "deck_pdf"]
Mailbox = Literal["support", "sales", "founder"]
Kind = Literal["presales", "support", "bug", "billing", "feedback", "founder", "noise"]
Agent = Literal["chris", "ines", "sophie"]
Role = Literal["founder", "head", "agent", "admin"]


@dataclass(frozen=True, slots=True)
class DemoPerson:
    email: str
    name: str
    role: Role
    city: str = ""
    utc_offset: float = 0.0
    time_zone: str = ""  # their own, for dates on their pages (``User.time_zone``)
    language: str = ""  # of the desk's pages and mail to them (``User.language``)


@dataclass(frozen=True, slots=True)
class Org:
    name: str
    domain: str
    utc_offset: float


@dataclass(frozen=True, slots=True)
class Step:
    author: Author
    body: str
    enc: Encoding = "auto"
    html: bool = False
    attach: tuple[Attachment, ...] = ()
    subject: str = ""
    cc: str = ""
    html_body: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    lang: Lang
    kind: Kind
    mailbox: Mailbox
    subject: str
    person: tuple[str, str]
    org: Org
    steps: tuple[Step, ...]
    agent: Agent = "chris"
    orgs: tuple[Org, ...] = ()


DOMAIN = "acme-reports.example"
# Fixed offsets: over two weeks of demo mail, daylight saving changes nothing visible.
# The team and its shifts: ``config.toml``.
TEAM: tuple[DemoPerson, ...] = (
    DemoPerson(f"camille@{DOMAIN}", "Camille Martin", "founder", "Paris", 1, "Europe/Paris", "fr"),
    DemoPerson(
        f"sophie@{DOMAIN}", "Sophie Tremblay", "head", "Montréal", -5, "America/Montreal", "fr"
    ),
    DemoPerson(f"chris@{DOMAIN}", "Chris Walker", "agent", "Manila", 8, "Asia/Manila", "en"),
    DemoPerson(f"ines@{DOMAIN}", "Inès Haddad", "agent", "Paris", 1, "Europe/Paris", "fr"),
    DemoPerson(f"jonas@{DOMAIN}", "Jonas Keller", "agent", "Paris", 1, "Europe/Paris", "en"),
    DemoPerson(f"maria@{DOMAIN}", "Maria Santos", "agent", "Manila", 8, "Asia/Manila", "en"),
)

# (min, max) seconds between a message and the previous one of its conversation;
# "nudge" is a customer writing again before any answer.
DELAYS: dict[str, tuple[int, int]] = {
    "team": (240, 9 * 3600),
    "founder": (1800, 28 * 3600),
    "customer": (600, 20 * 3600),
    "nudge": (20 * 3600, 50 * 3600),
    "auto": (5, 90),
    "daemon": (2, 40),
    "list": (0, 0),
}

# Pool sizes are coprime (23 and 24) so that first/last pairs stay distinct.
FIRST_NAMES: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "Julie",
        "Thomas",
        "Hélène",
        "Mathieu",
        "Léa",
        "Nicolas",
        "Émilie",
        "Antoine",
        "Chloé",
        "Julien",
        "Manon",
        "Sébastien",
        "Aurélie",
        "Maxime",
        "Céline",
        "François",
        "Élodie",
        "Guillaume",
        "Anaïs",
        "Benoît",
        "Noémie",
        "Jérôme",
        "Margaux",
    ),
    "en": (
        "Emma",
        "James",
        "Olivia",
        "Liam",
        "Priya",
        "Noah",
        "Grace",
        "Daniel",
        "Aisha",
        "Ben",
        "Hannah",
        "Lucas",
        "Mia",
        "Ethan",
        "Zoe",
        "Ryan",
        "Sam",
        "Ava",
        "Owen",
        "Leah",
        "Marcus",
        "Nina",
        "Tom",
    ),
}
LAST_NAMES: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "Moreau",
        "Dubois",
        "Lefebvre",
        "Girard",
        "Bonnet",
        "Mercier",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Chevalier",
        "Gauthier",
        "Perrin",
        "Morin",
        "Fournier",
        "Roux",
        "Garnier",
        "Lemaire",
        "Faure",
        "Blanchet",
        "Côté",
        "Gagnon",
        "Bélanger",
        "Pelletier",
        "Bouchard",
    ),
    "en": (
        "Thompson",
        "Patel",
        "Nguyen",
        "O'Brien",
        "Fischer",
        "Kowalski",
        "Reyes",
        "Campbell",
        "Murphy",
        "Okafor",
        "Hughes",
        "Bennett",
        "Schmidt",
        "Larsen",
        "Singh",
        "Foster",
        "Gray",
        "Russo",
        "Kim",
        "Doyle",
        "Price",
        "Ellis",
        "Turner",
        "Shaw",
    ),
}

FR_AGENCIES = (
    Org("Agence Lumière", "lumiere-digital.example", 1),
    Org("Atelier Numérique", "atelier-numerique.example", 1),
    Org("Studio Hirondelle", "hirondelle.example", 1),
    Org("Croissance Locale", "croissance-locale.example", 1),
    Org("Teranga Média", "teranga-media.example", 0),
)
QUEBEC = (
    Org("Boréal Marketing", "boreal-marketing.example", -5),
    Org("Les Ateliers du Fjord", "ateliers-fjord.example", -5),
    Org("Érable & Cie", "erable-cie.example", -5),
    Org("Outaouais Web", "outaouais-web.example", -5),
)
BELGIUM = (
    Org("Studio Brabant", "studio-brabant.example", 1),
    Org("Agence Meuse Digitale", "meuse-digitale.example", 1),
    Org("Liège Data", "liege-data.example", 1),
)
ORGS: dict[Lang, tuple[Org, ...]] = {
    "fr": (
        *FR_AGENCIES,
        *QUEBEC[:2],
        BELGIUM[1],
        Org("Cabinet Vasseur Conseil", "vasseur-conseil.example", 1),
        Org("Maison Perrine", "maison-perrine.example", 1),
        Org("Léman Analytics", "leman-analytics.example", 1),
        Org("Voyages Azur", "voyages-azur.example", 1),
        Org("Océan Indien Web", "oi-web.example", 4),
    ),
    "en": (
        Org("Brightside Media", "brightside.example", -5),
        Org("Kangaroo Digital", "kangaroo-digital.example", 11),
        Org("Northwind Analytics", "northwind-analytics.example", -8),
        Org("Thames Growth Partners", "thamesgrowth.example", 0),
        Org("Maple Leaf Marketing", "mapleleaf-marketing.example", -5),
        Org("Harbour Lane Studio", "harbourlane.example", 13),
        Org("Lagos Creative Co.", "lagos-creative.example", 1),
        Org("Bluebird Ecommerce", "bluebird-shop.example", -6),
        Org("Sundial Health", "sundial-health.example", -7),
        Org("Copperfield Coffee Roasters", "copperfield.example", 0),
        Org("Lion City Ads", "lioncity-ads.example", 8),
        Org("Tandem Labs", "tandemlabs.example", 5.5),
        Org("Emerald Funnel", "emerald-funnel.example", 0),
    ),
}
INVESTORS = (
    Org("Northbridge Ventures", "northbridge-ventures.example", -5),
    Org("Alder Capital", "aldercapital.example", 0),
    Org("Seedling Partners", "seedling-partners.example", -8),
    Org("Kestrel Fund", "kestrel-fund.example", 1),
)
LAW_FIRMS = (
    Org("Lambert & Associés", "lambert-avocats.example", 1),
    Org("Roussel Avocats", "roussel-avocats.example", 1),
    Org("Mercier Vidal AARPI", "mercier-vidal.example", 1),
)
MEDIA = (
    Org("Le Journal des Startups", "journal-startups.example", 1),
    Org("Revue Numérique", "revue-numerique.example", 1),
    Org("La Tribune des PME", "tribune-pme.example", 1),
)
PARTNERS = (
    Org("Pipewave CRM", "pipewave.example", -8),
    Org("Ledgerly", "ledgerly.example", 0),
    Org("Funnelcake Analytics", "funnelcake.example", -5),
)
NEWSLETTERS = (
    Org("SaaS Growth Weekly", "saasweekly.example", -5),
    Org("The Metrics Letter", "metricsletter.example", 0),
    Org("Bootstrapped Digest", "bootstrapped-digest.example", -8),
)
