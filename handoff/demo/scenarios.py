"""Scenario texts of the demo mailbox (data only; ``content.py`` builds the mail).

Bodies are ``str.format_map`` templates. Placeholders: ``{first}`` ``{last}``
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
# latin1 is quoted-printable ISO-8859-1 (as Outlook sends it); latin1-8bit is raw bytes.
Encoding = Literal["auto", "qp", "b64", "8bit", "latin1", "latin1-8bit"]
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

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "agency-pricing",
        "en",
        "presales",
        "sales",
        "Pricing for an agency with ~{n} clients",
        ("Emma", "Thompson"),
        ORGS["en"][0],
        (
            Step(
                "customer",
                """\
Hi there,

We're a small digital agency ({company}) running paid search and social
for about {n} clients. Monthly reports are built by hand in Google Sheets
today and it eats two days of every month.

A few questions before we start a trial:
- Is pricing per dashboard or per client? We'd often want two or three
  dashboards for the same client.
- Can the reports be white-labelled (our logo, our domain)?
- Is there a discount for annual billing?

Thanks,
{full}
{company}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Hi {first},

Thanks for reaching out! Pricing is per dashboard, but a dashboard can hold
as many pages as you like, so most agencies end up with one dashboard per
client and separate pages for search, social and SEO.

White-labelling (logo, colours and a custom domain such as
reports.your-agency.example) is included from the Pro plan, and annual
billing gets you two months free.

For {n} clients the Agency plan would come to about {amount} a month,
billed annually. Happy to do a 15-minute call if that's easier.

Cheers,
{agent}
""",
            ),
            Step(
                "customer",
                """\
Perfect, that's much clearer. We'll start the trial this week.

One more thing: can our clients log in themselves, or is it share links only?

{first}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Both! You can send share links (optionally password-protected) or invite
clients as viewers with read-only access to their own dashboards.

Enjoy the trial, and shout if you need a hand with the first setup.

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "trial-extension",
        "fr",
        "presales",
        "support",
        "Prolonger la période d'essai ?",
        ("Mathieu", "Fournier"),
        FR_AGENCIES[1],
        (
            Step(
                "customer",
                """\
Bonjour,

Nous testons Acme Reports depuis dix jours chez {company} et l'équipe est
plutôt convaincue. Par contre, notre directrice financière est en congé
jusqu'à la fin du mois, et c'est elle qui valide les abonnements.

Est-il possible de prolonger l'essai d'une ou deux semaines, le temps
qu'elle revienne ? Je préférerais ne pas perdre les tableaux de bord déjà
configurés.

Merci d'avance,
{full}
{company}
""",
                enc="qp",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Bonne nouvelle : c'est fait, votre essai est prolongé de 14 jours. Vos
tableaux de bord et vos connexions restent intacts, rien à refaire.

Si votre directrice financière a besoin d'un devis ou de nos conditions
générales avant de valider, dites-le-moi et je vous les envoie.

Belle journée,
{agent}
""",
            ),
            Step(
                "customer",
                """\
Super, merci beaucoup pour la rapidité ! Je reviens vers vous dès que
c'est validé de notre côté.

{first}
""",
                enc="qp",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "integrations",
        "en",
        "presales",
        "support",
        "Do you integrate with HubSpot and LinkedIn Ads?",
        ("Daniel", "Kim"),
        ORGS["en"][2],
        (
            Step(
                "customer",
                """\
Hello,

Quick question before I sign up: we run most of our pipeline out of
HubSpot and spend mostly on LinkedIn Ads. Do you have native connectors
for both, or would we need to go through Zapier or a CSV upload?

Also, how often does the data refresh? Our sales team looks at the
numbers first thing every morning.

Best,
{first}
""",
            ),
        ),
    ),
    Scenario(
        "agency-quote",
        "fr",
        "presales",
        "sales",
        "Demande de devis - agence {n} clients",
        ("Nicolas", "Garnier"),
        FR_AGENCIES[0],
        (
            Step(
                "customer",
                """\
Bonjour,

Je dirige une agence de communication à Lyon ({company}) et nous
cherchons un outil pour automatiser les rapports mensuels de nos clients
(Google Ads, Meta, Search Console et Google Analytics 4).

Pourriez-vous m'envoyer un devis pour {n} tableaux de bord, avec
facturation annuelle ? Nous aurions aussi besoin d'un bon de commande à
votre nom pour notre comptabilité.

Cordialement,

{full}
Gérant - {company}
Tél. : 04 78 00 00 00
""",
                enc="latin1",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci pour votre demande. Pour {n} tableaux de bord en facturation
annuelle, le forfait Agence revient à {amount} HT par mois, soit deux mois
offerts par rapport au mensuel. Les quatre sources que vous citez sont
incluses sans supplément.

Je prépare le devis officiel au nom de {company} : pouvez-vous me
confirmer l'adresse de facturation et votre numéro de TVA
intracommunautaire ?

Bien à vous,
{agent}
""",
            ),
            Step(
                "customer",
                """\
Bonjour {agent},

Voici nos coordonnées : {company}, 12 rue de la République, 69002 Lyon.
TVA : {vat_fr}.

Merci de faire figurer la mention « remise agence » sur le devis si
c'est possible.

Cordialement,
{full}
""",
                enc="latin1",
            ),
        ),
        agent="ines",
        orgs=FR_AGENCIES,
    ),
    Scenario(
        "gdpr-hosting",
        "en",
        "presales",
        "sales",
        "Data hosting and DPA before we sign",
        ("Ryan", "Doyle"),
        ORGS["en"][12],
        (
            Step(
                "customer",
                """\
Hi,

Our legal team asked me to confirm a few things before we move from the
trial to a paid plan:

1. Where is our data stored (country and cloud provider)?
2. Can you sign a Data Processing Agreement?
3. Do you keep copies of the raw data from our ad accounts, or only the
   aggregated numbers?

If you have a security overview document, that would help too.

Kind regards,
{full}
{company}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

Happy to help:

1. All customer data is stored in the EU (Frankfurt and Paris regions),
   backups included.
2. Yes. Our standard DPA can be accepted from Settings > Legal, or we can
   countersign your own template.
3. We store the daily aggregates needed to draw your reports; raw
   event-level data is never copied.

I've asked Camille to send you our security overview today.

Best,
{agent}
""",
            ),
            Step(
                "customer",
                """\
Thanks {agent}, that covers it. I've accepted the DPA in the app.

{first}
""",
            ),
        ),
    ),
    Scenario(
        "login-loop",
        "fr",
        "support",
        "support",
        "Impossible de me connecter depuis ce matin",
        ("Hélène", "Dubois"),
        ORGS["fr"][8],
        (
            Step(
                "customer",
                """\
Bonjour,

Depuis ce matin, impossible de me connecter à mon compte : après avoir
saisi mon mot de passe, la page se recharge et me renvoie à l'écran de
connexion, sans message d'erreur. J'ai essayé de réinitialiser le mot de
passe, mais le lien reçu par e-mail indique « lien expiré » alors que je
clique dessus immédiatement.

Même résultat sur Chrome et sur Firefox. Mon identifiant est {email}.

C'est assez urgent : je dois présenter le rapport de février à un client
à 14 h.

Merci,
{full}
""",
                enc="b64",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Désolée pour ce contretemps. Le lien expiré vient d'un souci connu avec
certains filtres antispam d'entreprise, qui « cliquent » sur les liens
pour les analyser avant vous : le lien, à usage unique, est alors consommé.

Je viens de vous envoyer à la place un code de connexion à six chiffres,
qu'aucun filtre ne peut consommer. Il est valable 30 minutes.

Pour la boucle de redirection, pourriez-vous vider les cookies du domaine
acme-reports.example et réessayer ?

{agent}
""",
            ),
            Step(
                "customer",
                """\
C'est bon, le code a fonctionné et j'ai pu me reconnecter. Merci pour la
réactivité, je préviens notre service informatique pour le filtre.

{first}
""",
                enc="b64",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "pdf-blank-pages",
        "en",
        "support",
        "support",
        "PDF export is blank after the first page",
        ("Grace", "Campbell"),
        ORGS["en"][3],
        (
            Step(
                "customer",
                """\
Hi,

Since yesterday, exporting our "Monthly performance" report to PDF gives
a file where only the first page has content. Pages 2 to 6 are blank
apart from the header and the page numbers. The report has 12 widgets,
mostly tables and two line charts.

The web version looks fine. We send this PDF to the board on Monday, so
any help is much appreciated!

{full}
{company}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Hi {first},

Thanks for the detailed report, it made this easy to reproduce. Tables
longer than one page currently break the PDF renderer when they sit next
to a chart, and the rest of the page then comes out blank. The fix is in
review.

In the meantime, two workarounds:
1. set the long tables to "Fit to widget" (Widget settings > Display), or
2. export with "One widget per page" ticked.

I'll let you know as soon as the fix is live.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Option 2 works for now, thanks. Looking forward to the fix.

{first}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Hi {first},

The fix went live this morning: the report should export normally again,
tables and all. Let me know if anything still looks off!

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "google-ads-token",
        "fr",
        "support",
        "support",
        "Erreur du connecteur Google Ads : « Token has been expired or revoked »",
        ("Julie", "Moreau"),
        FR_AGENCIES[2],
        (
            Step(
                "customer",
                """\
Bonjour,

Depuis lundi, le connecteur Google Ads affiche une erreur rouge sur trois
de nos comptes clients, et les widgets correspondants sont vides. Le
message est : « Token has been expired or revoked ». J'ai déjà refait la
connexion une fois, sans effet.

Je vous joins le journal exporté depuis la page Connexions (export.log).
J'ai aussi essayé de générer le rapport en PDF, il est enregistré ici si
besoin : C:\\Users\\{login}\\Downloads\\rapport.pdf
mais il ne contient que des graphiques vides.

Les comptes concernés sont ceux gérés via notre compte administrateur
(MCC) ; les comptes connectés directement fonctionnent.

Merci de votre aide,
{full}
{company}
""",
                enc="qp",
                attach=("export_log",),
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci pour le journal, il est très parlant : l'autorisation Google a été
révoquée côté MCC (ligne « invalid_grant » à 09:14), probablement après
un changement de mot de passe ou le départ d'un administrateur.

Pour corriger :
1. dans Connexions > Google Ads, cliquez sur « Reconnecter » ;
2. connectez-vous avec un compte administrateur du MCC (pas seulement des
   comptes clients) ;
3. relancez la synchronisation avec le bouton « Actualiser ».

Les données manquantes seront récupérées automatiquement sur les 90
derniers jours.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Effectivement, c'était le compte de notre ancien stagiaire. Tout est
revenu, merci !

{first}
""",
                enc="qp",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "viewer-access",
        "en",
        "support",
        "support",
        "How do I give a client view-only access?",
        ("Liam", "Murphy"),
        ORGS["en"][5],
        (
            Step(
                "customer",
                """\
Hi team,

One of our clients wants to look at their dashboard whenever they like
instead of waiting for the monthly PDF. How do I give them access without
letting them edit widgets or see our other clients?

Thanks!
{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

Open the dashboard, click Share > Invite viewer and enter your client's
email address. Viewers only see the dashboards you share with them, can
change the date range, and can't edit anything.

If you'd rather not create accounts, a password-protected share link does
the same job.

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "scheduled-report",
        "fr",
        "support",
        "support",
        "Rapport hebdomadaire pas reçu lundi",
        ("Émilie", "Gagnon"),
        QUEBEC[0],
        (
            Step(
                "customer",
                """\
Bonjour,

Le rapport hebdomadaire programmé pour lundi 8 h n'est pas arrivé dans
nos boîtes de courriel cette semaine, ni chez moi ni chez notre client.
Les semaines précédentes, tout fonctionnait.

Est-ce qu'il y a eu un changement de votre côté? Nous n'avons rien
modifié dans la programmation.

Merci,
{full}
{company}
""",
                enc="latin1",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci de nous avoir avisés. J'ai vérifié nos journaux d'envoi : le
courriel est bien parti lundi à 8 h (heure de Montréal), mais le serveur
de votre client l'a refusé parce que la pièce jointe dépassait 10 Mo.

Je vous suggère de cocher « Envoyer un lien au lieu du PDF » dans les
options de programmation; le courriel sera beaucoup plus léger.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Parfait, c'est fait. Merci pour l'explication!

{first}
""",
                enc="latin1",
            ),
        ),
        agent="sophie",
        orgs=QUEBEC,
    ),
    Scenario(
        "timezone-totals",
        "en",
        "bug",
        "support",
        "Totals don't match GA4 when the range crosses midnight UTC",
        ("Ben", "Nguyen"),
        ORGS["en"][1],
        (
            Step(
                "customer",
                """\
Hello,

I think I found a bug. Our account is set to Australia/Sydney, and the
"Sessions" scorecard for last week shows 18,412 while GA4 shows 18,957
for the same range. Your range seems to be computed in UTC: the
difference is exactly the sessions from Monday 00:00 to 11:00 local time.

Steps to reproduce:
1. Set the account time zone to Australia/Sydney
2. Add a GA4 scorecard with "Last week"
3. Compare with GA4 > Reports > Acquisition

Not urgent, but our client noticed.

{full}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

You're spot on, and thanks for the excellent repro. It's a bug in how we
pass the date range to the GA4 API for accounts east of UTC. I've logged
it with the developers (ref. BUG-{ref}) and will update you here.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Thanks {agent}. Any ETA? The client asks every week.

{first}
""",
            ),
            Step(
                "team",
                """\
Fixed and deployed today. Historical numbers have been recomputed, so last
week's scorecard should now read 18,957. Thanks again for the careful
report!

{agent}
""",
            ),
            Step(
                "customer",
                """\
Confirmed, the numbers match GA4 now, including the older weeks. Our
client is happy. Thanks for following up!

{first}
""",
            ),
        ),
    ),
    Scenario(
        "pdf-mojibake",
        "fr",
        "bug",
        "support",
        "Les accents sont remplacés par des symboles dans l'export PDF",
        ("Antoine", "Rousseau"),
        ORGS["fr"][11],
        (
            Step(
                "customer",
                """\
Bonjour,

Dans l'export PDF, tous les titres accentués s'affichent mal :
« Résultats » devient « RÃ©sultats » et « Dépenses » devient
« DÃ©penses ». L'affichage dans le navigateur est correct.

Ça ne concerne que les widgets créés avant la mise à jour de la semaine
dernière ; les nouveaux sont normaux.

Pouvez-vous regarder ? Nos clients sont très attentifs à ce genre de
détail.

Bonne journée,
{first}
""",
                enc="8bit",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci pour le signalement, nous avons reproduit le problème : les anciens
widgets gardaient un encodage de police obsolète. Un correctif est prévu
pour jeudi. D'ici là, dupliquer le widget corrige l'affichage.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Merci ! La duplication marche bien, ça nous dépanne en attendant.

{first}
""",
                enc="8bit",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "invoice-request",
        "en",
        "billing",
        "support",
        "Invoice needed for our accountant",
        ("Olivia", "Bennett"),
        ORGS["en"][9],
        (
            Step(
                "customer",
                """\
Hi,

Our accountant needs a proper invoice for last month's payment; the email
receipt isn't enough for them. Could you send it as a PDF, with our
company name ({company}) and address on it?

Thanks,
{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

Here you go: invoice {invoice} is attached as a PDF. You can also download
every past invoice from Settings > Billing > Invoices, and add your
company address there so it shows on future ones automatically.

{agent}
""",
                attach=("invoice_pdf",),
            ),
            Step(
                "customer",
                """\
Got it, thanks for the quick turnaround!

{first}
""",
            ),
        ),
    ),
    Scenario(
        "vat-reverse-charge",
        "fr",
        "billing",
        "support",
        "Numéro de TVA absent de la facture {invoice}",
        ("Sébastien", "Lemaire"),
        BELGIUM[0],
        (
            Step(
                "customer",
                """\
Bonjour,

Sur votre dernière facture ({invoice}), la TVA française de 20 % a été
appliquée. Or nous sommes une société belge assujettie à la TVA
({vat_be}), l'autoliquidation devrait donc s'appliquer.

Pourriez-vous corriger la facture et y ajouter notre numéro de TVA ?
Notre comptable ne peut pas l'enregistrer en l'état.

Merci d'avance et bonne journée,

{full}
{company}
""",
                enc="latin1",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Vous avez raison : votre numéro de TVA n'avait pas été validé à
l'inscription. Je l'ai ajouté et vérifié dans VIES, puis j'ai émis un avoir
et une nouvelle facture en autoliquidation, que vous trouverez en pièce
jointe et dans Paramètres > Facturation.

La différence de TVA sera remboursée sur votre carte sous 5 à 10 jours.

{agent}
""",
                attach=("invoice_pdf",),
            ),
            Step(
                "customer",
                """\
Parfait, merci pour la correction rapide.

Cordialement,
{full}
""",
                enc="latin1",
            ),
        ),
        agent="ines",
        orgs=BELGIUM,
    ),
    Scenario(
        "refund-annual",
        "en",
        "billing",
        "support",
        "Charged for a yearly plan by mistake, refund?",
        ("Sam", "Reyes"),
        ORGS["en"][7],
        (
            Step(
                "customer",
                """\
Hi,

I meant to switch to the monthly Pro plan but clicked the annual option by
mistake, and I was charged {amount} today. We're a two-person shop and
that's a big chunk of our month.

Could you refund it and put me on monthly instead? Happy to pay for the
current month, of course.

Sorry for the hassle,
{full}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

No hassle at all, it happens more often than you'd think. I've refunded
the annual charge in full and switched you to the monthly plan; the first
monthly payment will be taken on your usual date. The refund usually shows
on your statement within 5 to 10 business days.

{agent}
""",
            ),
            Step(
                "customer",
                """\
That's great, thank you so much!

{first}
""",
            ),
        ),
    ),
    Scenario(
        "meta-double-spend",
        "fr",
        "bug",
        "support",
        "Dépenses Meta Ads comptées en double",
        ("Chloé", "Perrin"),
        ORGS["fr"][10],
        (
            Step(
                "customer",
                """\
Bonjour,

Sur le tableau de bord de notre client principal, le widget « Dépenses
Meta Ads » affiche 8 420 CHF pour le mois dernier, alors que le
gestionnaire de publicités indique 4 210 CHF : exactement le double.

Je pense que c'est parce que nous avons connecté deux fois le même compte
publicitaire (une fois via le Business Manager, une fois en direct), mais
je ne trouve pas comment supprimer le doublon.

Pouvez-vous m'aider ?

Merci et belle journée,
{full}
{company}
""",
                enc="qp",
                html=True,
            ),
            Step(
                "team",
                """\
Bonjour {first},

Votre intuition est la bonne : le compte apparaît deux fois dans la source
de données du widget. Dans Connexions > Meta Ads, cliquez sur les trois
points à droite du doublon, puis sur « Déconnecter ». Les widgets se
recalculent en quelques minutes.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Parfait, les chiffres sont corrects maintenant. Ce serait bien que l'outil
prévienne quand on connecte deux fois le même compte !

{first}
""",
                enc="qp",
                html=True,
            ),
            Step(
                "team",
                """\
Bonne idée, je l'ai transmise à l'équipe produit. Merci {first} !

{agent}
""",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "templates-feedback",
        "en",
        "feedback",
        "support",
        "Loving the new templates (plus two small ideas)",
        ("Hannah", "Fischer"),
        ORGS["en"][4],
        (
            Step(
                "customer",
                """\
Hi Acme team,

Just wanted to say the new dashboard templates are a big improvement. I
set up a report for a new client in about ten minutes, which used to take
me an afternoon.

Two small things would make it even better:
- let me save my own templates (with our colours and logo), not just yours;
- the "compare to previous period" arrows are green when cost goes up,
  which reads as good news to clients. For cost metrics it should be red.

Keep it up!
{first}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Thanks {first}, this made our day!

I've passed both ideas to the product team. Custom templates are on the
roadmap for next quarter, and the arrow colour is a quick win: a "lower is
better" toggle on each metric is coming soon.

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "slides-suggestion",
        "fr",
        "feedback",
        "support",
        "Suggestion : export vers Google Slides",
        ("Aurélie", "Fontaine"),
        FR_AGENCIES[4],
        (
            Step(
                "customer",
                """\
Bonjour à toute l'équipe,

Nous utilisons Acme Reports depuis six mois et nos clients adorent les
rapports. Une suggestion tout de même : beaucoup d'entre eux présentent
leurs résultats en réunion avec Google Slides. Un export direct des
widgets vers une présentation (une diapositive par widget) nous ferait
gagner un temps précieux ; aujourd'hui, nous faisons des captures d'écran
une par une.

Est-ce quelque chose de prévu ?

Merci pour votre excellent travail,
{full}
{company}
""",
                enc="qp",
            ),
        ),
    ),
    Scenario(
        "board-deck",
        "en",
        "founder",
        "founder",
        "Board deck for Thursday",
        ("Marcus", "Bell"),
        INVESTORS[0],
        (
            Step(
                "customer",
                """\
Hi Camille,

Hope the quarter is wrapping up well. Could you send over the board deck
for Thursday's meeting by Tuesday evening? I'd like to go through the
churn numbers and the hiring plan beforehand, and I'll share it with
Priya, who is joining as an observer.

Also, a reminder that we still need the signed minutes from the last
meeting for our files.

Best,
{first}
""",
            ),
            Step(
                "customer",
                """\
Gentle nudge on the deck: anything you can share by tomorrow would be
great, even a draft.

{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

{agent} here, I help Camille with her mail. Please find the draft board
deck attached; Camille will send the final version on Wednesday morning,
together with the signed minutes.

Best regards,
{agent_full}
Head of Customer Happiness, Acme Reports
""",
                attach=("deck_pdf",),
            ),
        ),
        agent="sophie",
        orgs=INVESTORS,
    ),
    Scenario(
        "lawyer-contract",
        "fr",
        "founder",
        "founder",
        "Contrat de licence Datavue - nos observations",
        ("Anne-Sophie", "Lambert"),
        LAW_FIRMS[0],
        (
            Step(
                "customer",
                """\
Chère Madame,

Suite à notre échange téléphonique, voici nos observations sur le projet
de contrat de licence avec la société Datavue SAS :

1. l'article 7 (limitation de responsabilité) doit être plafonné au
   montant des sommes versées sur les douze derniers mois ;
2. la clause de non-sollicitation de l'article 11 nous paraît excessive
   dans sa durée (36 mois) ;
3. il manque une clause relative au traitement des données personnelles
   conforme à l'article 28 du RGPD.

Je vous propose un point de quinze minutes jeudi ou vendredi pour en
discuter avant l'envoi de nos commentaires à la partie adverse.

Bien cordialement,

Maître {full}
Avocat au Barreau de Paris
{company}
""",
                enc="latin1",
            ),
            Step(
                "founder",
                """\
Bonjour Maître,

Merci pour ces observations très claires. Jeudi à 11 h me convient. Sur
le point 2, nous sommes prêts à descendre à 12 mois.

Bien cordialement,
Camille Martin
""",
            ),
            Step(
                "customer",
                """\
C'est noté pour jeudi 11 h, je vous appelle au numéro habituel.

Bien cordialement,
{full}
""",
                enc="latin1",
            ),
        ),
        orgs=LAW_FIRMS,
    ),
    Scenario(
        "journalist-interview",
        "fr",
        "founder",
        "founder",
        "Demande d'interview - portraits de fondatrices et fondateurs",
        ("Thomas", "Girard"),
        MEDIA[0],
        (
            Step(
                "customer",
                """\
Bonjour Camille,

Je suis journaliste pour {company}, où je prépare une série de portraits de
fondatrices et fondateurs de SaaS B2B rentables sans levée de fonds
massive. Le parcours d'Acme Reports correspond exactement à ce que nous
cherchons.

Seriez-vous disponible pour un entretien de 30 minutes, en visio ou dans
vos locaux, d'ici le {back} ? L'article paraîtrait dans notre édition du
mois prochain.

Bien à vous,
{full}
Journaliste, {company}
06 00 00 00 00
""",
                enc="qp",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci pour votre message, Camille participera avec plaisir. Elle vous
propose mardi à 10 h ou jeudi à 16 h, en visio. Pourriez-vous nous
envoyer les thèmes que vous souhaitez aborder ?

{agent_full}, pour Camille Martin
""",
            ),
            Step(
                "customer",
                """\
Mardi 10 h, parfait. Je vous envoie une invitation et quelques pistes de
questions demain.

{first}
""",
                enc="qp",
            ),
        ),
        agent="sophie",
        orgs=MEDIA,
    ),
    Scenario(
        "partner-proposal",
        "en",
        "founder",
        "founder",
        "Partnership idea: {company} x Acme Reports",
        ("Priya", "Shah"),
        PARTNERS[0],
        (
            Step(
                "customer",
                """\
Hi Camille,

I lead partnerships at {company}. Quite a few of our customers already
pipe their CRM data into Acme Reports through CSV exports, and some have
asked us for a native integration.

We'd like to propose:
- a native connector, built and maintained by our team against your API;
- a joint webinar for agencies in the spring;
- a listing in each other's marketplace, with 20% off for referred
  customers.

Would you have 30 minutes in the next two weeks to talk it through? I'm in
San Francisco but happy to take an early call.

Best,
{full}
Head of Partnerships, {company}
""",
                enc="b64",
            ),
            Step(
                "founder",
                """\
Hi {first},

Thanks, this sounds interesting, especially the connector. Sophie from my
team will find a slot with you next week.

Camille
""",
            ),
        ),
        orgs=PARTNERS,
    ),
    Scenario(
        "newsletter",
        "en",
        "noise",
        "founder",
        "{company} #{issue}: the pricing page teardown",
        ("", ""),
        NEWSLETTERS[0],
        (
            Step(
                "list",
                """\
{company}, issue #{issue}

This week:
* Pricing page teardown: why three plans beat five
* Churn benchmarks for B2B SaaS under $1M ARR
* The one onboarding email to send on day 3

Read online: https://{domain}/issues/{issue}

You receive this because you subscribed at {domain}.
Unsubscribe: https://{domain}/unsubscribe/{token}
""",
                html=True,
                html_body="""\
<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{company} #{issue}</title></head>
<body style="margin:0;background:#f4f4f7">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0">
<tr><td align="center">
<table role="presentation" width="600" cellpadding="24" style="background:#ffffff">
<tr><td style="font-family:Georgia,serif;font-size:24px">{company} <small>#{issue}</small></td></tr>
<tr><td style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5">
<p><b>This week</b></p>
<ul>
<li><a href="https://{domain}/issues/{issue}#pricing">Pricing page teardown</a>:
why three plans beat five</li>
<li>Churn benchmarks for B2B SaaS under $1M ARR</li>
<li>The one onboarding email to send on day 3</li>
</ul>
<p><a href="https://{domain}/issues/{issue}">Read online</a></p>
</td></tr>
<tr><td style="font-family:Arial,sans-serif;font-size:12px;color:#888">
You receive this because you subscribed at {domain}.
<a href="https://{domain}/unsubscribe/{token}">Unsubscribe</a>
<img src="https://{domain}/o/{token}.gif" width="1" height="1" alt="">
</td></tr>
</table>
</td></tr>
</table>
</body></html>
""",
            ),
        ),
        orgs=NEWSLETTERS,
    ),
    Scenario(
        "out-of-office",
        "fr",
        "noise",
        "support",
        "Ajouter deux utilisateurs",
        ("Maxime", "Bonnet"),
        FR_AGENCIES[3],
        (
            Step(
                "customer",
                """\
Bonjour,

Pourriez-vous ajouter deux collègues à notre compte, avec des droits de
lecture seule ? Il s'agit de {colleague} et de notre stagiaire, qui arrive
lundi.

Je ne trouve pas l'option dans les paramètres, peut-être parce que nous
sommes encore en période d'essai.

Merci !
{first}
""",
                enc="qp",
            ),
            Step(
                "team",
                """\
Bonjour {first},

C'est fait : {colleague} a reçu une invitation. Pour votre stagiaire, il
me manque son adresse e-mail ; vous pouvez aussi l'inviter vous-même
depuis Paramètres > Équipe, l'option est bien disponible pendant l'essai.

Bonne journée,
{agent}
""",
            ),
            Step(
                "auto",
                """\
Bonjour,

Je suis actuellement en congés jusqu'au {back} inclus, avec un accès
limité à mes e-mails.

Pour toute demande urgente, vous pouvez contacter {colleague} à
l'adresse {colleague_email}.

Cordialement,
{full}
{company}
""",
                enc="latin1-8bit",
                subject="Réponse automatique : absent du bureau",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "bounced-cc",
        "en",
        "noise",
        "support",
        "Please add my colleague as an editor",
        ("Nina", "Larsen"),
        ORGS["en"][11],
        (
            Step(
                "customer",
                """\
Hi there,

Could you add my colleague {colleague} as an editor on our account? The
address is {colleague_email}. They'll be taking over the client
dashboards while I'm on parental leave.

Thanks,
{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first}, hi {colleague},

Done: {colleague} now has editor access and should have received an
invitation email. {colleague}, the invite link is valid for 7 days; let me
know if anything is unclear.

{agent}
""",
                cc="{colleague_email}",
            ),
            Step(
                "daemon",
                """\
This is the mail system at host relay.mailhost.example.

Your message could not be delivered to one or more recipients.
The delivery report and the headers of your message are attached.

For further assistance, please contact your postmaster and include
this report.

                   The mail system

<{colleague_email}>: host mx.{domain}[192.0.2.25] said: 550 5.1.1
    <{colleague_email}>: Recipient address rejected: User unknown (in
    reply to RCPT TO command)
""",
                subject="Undelivered Mail Returned to Sender",
            ),
        ),
    ),
)
