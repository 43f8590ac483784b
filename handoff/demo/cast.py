"""Who writes the demo mailbox, and the shapes of its scenarios (data only; the
scenarios are in ``scenarios_*.py``, ``content.py`` builds the mail): the team, the
customers' names and companies, the founder's correspondents, the bits of text the mail
is made of.

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

DAYS: dict[Lang, tuple[str, ...]] = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS: dict[Lang, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# As Gmail abbreviates them in "Le lun. 3 mars 2025 à 14:02, ... a écrit :".
FR_DAYS_ABBR = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
FR_MONTHS_ABBR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)

# What an ISO-8859-1 mailer does with the characters Latin-1 lacks.
LATIN1_FALLBACK: dict[str, str] = {
    "—": "-",
    "–": "-",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "€": "EUR",
    "œ": "oe",
    "Œ": "OE",
    "\u202f": " ",
}

# Headers by kind of sender, formatted with the conversation's placeholders.
EXTRA_HEADERS: dict[str, tuple[str, ...]] = {
    "list": (
        "List-Id: {company} <weekly.{domain}>",
        "List-Unsubscribe: <https://{domain}/unsubscribe/{token}>,\r\n"
        " <mailto:unsubscribe@{domain}?subject={token}>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "Precedence: bulk",
    ),
    "auto": ("Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"),
    "daemon": (
        "Return-Path: <>",
        "Auto-Submitted: auto-replied",
        "X-Failed-Recipients: {colleague_email}",
    ),
    "outlook": ("X-Mailer: Microsoft Outlook 16.0",),
}

DECK_LINES = (
    "Acme Reports - Board meeting (draft)",
    "",
    "1. Highlights of the quarter",
    "2. Revenue, churn and net revenue retention",
    "3. Customer happiness: response times and satisfaction",
    "4. Hiring plan",
    "5. Asks of the board",
)
INVOICE_LINES = (
    "Acme Reports SAS - 10 rue de la Paix, 75002 Paris",
    "",
    "Invoice / Facture {invoice}",
    "Date: {date}",
    "Billed to: {company}",
    "",
    "Acme Reports subscription - {n} dashboards",
    "Total: {amount}",
)

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

EXPORT_LOG = """\
{day} 09:14:02.118 INFO  [sync] start connector=google_ads workspace=ws_{ref} accounts=3
{day} 09:14:02.904 INFO  [google_ads] refreshing OAuth token, manager account 512-330-7781
{day} 09:14:03.377 ERROR [google_ads] token refresh failed: invalid_grant \
(Token has been expired or revoked.)
{day} 09:14:03.378 WARN  [sync] account 204-118-9920 skipped: authorization error
{day} 09:14:03.379 WARN  [sync] account 204-118-4417 skipped: authorization error
{day} 09:14:03.381 WARN  [sync] account 377-902-1168 skipped: authorization error
{day} 09:14:03.912 INFO  [sync] done status=partial ok=0 failed=3 duration=1.79s
"""

BOUNCE_STATUS = """\
Reporting-MTA: dns; relay.mailhost.example
X-Postfix-Queue-ID: {queue}
X-Postfix-Sender: rfc822; {sender}
Arrival-Date: {arrival}

Final-Recipient: rfc822; {rcpt}
Original-Recipient: rfc822;{rcpt}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.{domain}
Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User
    unknown in virtual mailbox table
"""
