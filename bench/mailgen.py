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
import functools
import html
import json
import multiprocessing
import os
import random
import struct
import sys
import textwrap
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DESK = "lumenreports.example"
SUPPORT = ("Lumen Reports Support", f"support@{DESK}")
AGENTS = (
    ("Camille Roux", f"camille.roux@{DESK}", "fr"),
    ("Sam Okafor", f"sam.okafor@{DESK}", "en"),
    ("Léa Fontaine", f"lea.fontaine@{DESK}", "fr"),
    ("Priya Nair", f"priya.nair@{DESK}", "en"),
)
SENDERS = 200
REPLY_SHARE = 0.30
MAX_THREAD = 6
QUOTED_LINES = 80
ZONES = (
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=2)),
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=-4)),
)

FIRST = {
    "en": (
        "James",
        "Emily",
        "Oliver",
        "Sophie",
        "Daniel",
        "Grace",
        "Michael",
        "Hannah",
        "Ryan",
        "Chloe",
        "David",
        "Laura",
        "Thomas",
        "Megan",
        "Andrew",
        "Olivia",
        "Kevin",
        "Rachel",
    ),
    "fr": (
        "Hélène",
        "François",
        "Amélie",
        "Jérôme",
        "Céline",
        "Benoît",
        "Élodie",
        "Loïc",
        "Sébastien",
        "Anaïs",
        "Mathieu",
        "Chloé",
        "Rémi",
        "Inès",
        "Frédéric",
        "Margaux",
        "Gaëlle",
        "Théo",
    ),
}
LAST = {
    "en": (
        "Smith",
        "Walker",
        "Bennett",
        "Hughes",
        "Carter",
        "Morgan",
        "Reed",
        "Foster",
        "Hayes",
        "Brooks",
        "Turner",
        "Price",
        "Ward",
        "Collins",
        "Murphy",
    ),
    "fr": (
        "Dubois",
        "Lefèvre",
        "Martin",
        "Girard",
        "Mercier",
        "Lemaître",
        "Chevalier",
        "Bérard",
        "Rousseau",
        "Faure",
        "Garnier",
        "Benoît",
        "Leroy",
        "Péron",
        "Noël",
    ),
}
COMPANIES = {
    "en": (
        "Northwind Traders",
        "Acme Retail",
        "Bluefin Logistics",
        "Harbor Dental Group",
        "Summit Analytics",
        "Greenleaf Foods",
        "Redwood Property",
        "Kestrel Media",
        "Oakridge Schools",
        "Pinecrest Clinic",
        "Atlas Freight",
        "Brightside Charity",
    ),
    "fr": (
        "Boulangeries Martin",
        "Cabinet Lefèvre Avocats",
        "Transports Girard",
        "Pharmacie du Centre",
        "Atelier Mercier",
        "Groupe Hôtelier Rivière",
        "Éditions Faure",
        "Mairie de Saint-Rémy",
        "Clinique des Tilleuls",
        "Coopérative Agricole du Gers",
        "Agence Immobilière Noël",
        "Brasserie Chevalier",
    ),
}
FREEMAIL = {"en": ("mail.example", "inbox.example"), "fr": ("courriel.example", "laposte.example")}
PLANS = ("Starter", "Team", "Business", "Enterprise")
REPORTS = (
    "Monthly revenue",
    "Sales by region",
    "Board pack",
    "Cash flow",
    "Churn by cohort",
    "Ventes par magasin",
    "Tableau de bord RH",
    "Marge par produit",
)
MAILERS = (
    "Mozilla Thunderbird 115.6.0",
    "Microsoft Outlook 16.0",
    "Apple Mail (2.3731)",
    "Roundcube Webmail/1.6.5",
    "K-9 Mail for Android",
)

# Each topic: subjects, then paragraphs. {n} {m} {k} {plan} {report} {job} {inv} {amount}
# {amount2} {month} {company} fill from _vars().
TOPICS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "pricing": {
        "en": (
            (
                "Question about pricing for {m} users",
                "Upgrade from {plan} to Business?",
                "Annual billing discount",
                "Do you offer nonprofit pricing?",
                "Quote needed for {company}",
            ),
            (
                "We are currently on the {plan} plan with {n} seats and are thinking about moving "
                "the whole finance team over. Could you tell me what the price would be for {m} "
                "users on annual billing?",
                "Your pricing page mentions a discount for yearly payment but I could not find the "
                "exact figure. Is it still 20%, and does it apply to seats added during the year?",
                "We are a small nonprofit of about {n} people. Is there any special pricing, or a "
                "way to pay by bank transfer instead of card?",
                "If we upgrade in the middle of the month, is the difference prorated or do we pay "
                "the full month twice?",
                "Our procurement department needs a formal quote on letterhead before they can "
                "approve the purchase. Could you send one for the {plan} plan, {m} users, billed "
                "yearly, to the attention of {company}?",
            ),
        ),
        "fr": (
            (
                "Tarif pour {m} utilisateurs",
                "Passage de l'offre {plan} à Business",
                "Remise pour paiement annuel",
                "Tarif association ?",
                "Demande de devis {company}",
            ),
            (
                "Nous utilisons actuellement l'offre {plan} avec {n} licences et nous envisageons "
                "d'y passer tout le service comptable. Pourriez-vous m'indiquer le prix pour {m} "
                "utilisateurs en facturation annuelle ?",
                "Votre page de tarifs parle d'une remise pour le paiement à l'année, mais je n'ai "
                "pas trouvé le montant exact. Est-ce toujours 20 %, et s'applique-t-elle aux "
                "licences ajoutées en cours d'année ?",
                "Nous sommes une petite association d'environ {n} personnes. Existe-t-il un tarif "
                "préférentiel, ou la possibilité de payer par virement plutôt que par carte ?",
                "Si nous changeons d'offre en milieu de mois, la différence est-elle calculée au "
                "prorata ou payons-nous deux fois le mois entier ?",
                "Notre service achats a besoin d'un devis en bonne et due forme avant de valider "
                "la commande. Pourriez-vous nous en établir un pour l'offre {plan}, {m} "
                "utilisateurs, facturation annuelle, à l'attention de {company} ?",
            ),
        ),
    },
    "login": {
        "en": (
            (
                "Cannot log in since this morning",
                "Password reset email never arrives",
                "SSO login loops back to the sign-in page",
                "Account locked after failed attempts",
                "Two-factor code rejected",
            ),
            (
                'Since this morning I get "Invalid credentials" when I try to sign in, although '
                "I reset my password twice. My colleagues on the same account can log in without "
                "any problem.",
                "I requested a password reset three times in the last hour and no email arrived, "
                "not even in the spam folder. Could our mail server be filtering you out?",
                'After clicking "Sign in with Google" I land back on the login page, again and '
                "again. I cleared my cookies and tried both Firefox and Chrome: same thing.",
                "One of our users got locked out after a few failed attempts. Could you unlock the "
                "account? She needs to send the {report} report to the board today.",
                "The six-digit code from my authenticator app is refused every time. The clock on "
                "my phone is set automatically, so I do not think it is a time drift.",
            ),
        ),
        "fr": (
            (
                "Impossible de me connecter depuis ce matin",
                "Je ne reçois pas l'e-mail de réinitialisation",
                "La connexion SSO me renvoie à la page d'accueil",
                "Compte bloqué après plusieurs essais",
                "Code de double authentification refusé",
            ),
            (
                "Depuis ce matin, j'obtiens « Identifiants invalides » quand j'essaie de me "
                "connecter, alors que j'ai réinitialisé mon mot de passe deux fois. Mes collègues "
                "arrivent à se connecter sans problème.",
                "J'ai demandé trois fois la réinitialisation de mon mot de passe depuis une heure "
                "et je n'ai rien reçu, même pas dans les indésirables. Notre serveur de messagerie "
                "vous bloquerait-il ?",
                "Après avoir cliqué sur « Se connecter avec Google », je reviens sur la page de "
                "connexion, encore et encore. J'ai effacé les cookies et essayé Firefox et Chrome : "
                "même résultat.",
                "Une de nos utilisatrices a été bloquée après quelques tentatives échouées. "
                "Pourriez-vous débloquer son compte ? Elle doit envoyer le rapport « {report} » "
                "au conseil d'administration aujourd'hui.",
                "Le code à six chiffres de mon application d'authentification est refusé à chaque "
                "fois. L'heure de mon téléphone est réglée automatiquement, ce n'est donc pas un "
                "décalage d'horloge.",
            ),
        ),
    },
    "export": {
        "en": (
            (
                "CSV export stops after {k} rows",
                "PDF export shows wrong totals",
                "Scheduled export did not run last night",
                "Excel export: dates shifted by one day",
                'Export of "{report}" times out',
            ),
            (
                'When I export the "{report}" report to CSV, the file stops at exactly {k} rows, '
                "while the dashboard shows {k2}. I attached the log from the export page.",
                "The totals in the PDF export do not match the ones on screen: the PDF says "
                "{amount} while the dashboard says {amount2}. It looks like the region filter is "
                "ignored.",
                "Our scheduled export to the shared drive did not run last night (job {job}). "
                "Nothing in the activity feed, and no error email either.",
                "Every date in the Excel export is one day earlier than in the app. We are in the "
                "Europe/Paris time zone, if that matters.",
                'Exporting "{report}" for the whole year spins for several minutes and then shows '
                '"Something went wrong". Exporting a single month works fine.',
            ),
        ),
        "fr": (
            (
                "L'export CSV s'arrête à {k} lignes",
                "Totaux faux dans l'export PDF",
                "L'export planifié n'a pas tourné cette nuit",
                "Export Excel : dates décalées d'un jour",
                "L'export « {report} » n'aboutit pas",
            ),
            (
                "Quand j'exporte le rapport « {report} » en CSV, le fichier s'arrête à exactement "
                "{k} lignes, alors que le tableau de bord en affiche {k2}. Je joins le journal de "
                "la page d'export.",
                "Les totaux de l'export PDF ne correspondent pas à ceux de l'écran : le PDF indique "
                "{amount} alors que le tableau de bord affiche {amount2}. On dirait que le filtre "
                "par région est ignoré.",
                "Notre export planifié vers le dossier partagé n'a pas été exécuté cette nuit "
                "(tâche {job}). Rien dans le fil d'activité, et aucun e-mail d'erreur non plus.",
                "Toutes les dates de l'export Excel sont décalées d'un jour par rapport à "
                "l'application. Nous sommes sur le fuseau Europe/Paris, si cela peut aider.",
                "L'export de « {report} » sur l'année complète tourne pendant plusieurs minutes "
                "puis affiche « Une erreur est survenue ». Sur un seul mois, cela fonctionne.",
            ),
        ),
    },
    "invoice": {
        "en": (
            (
                "Invoice {inv}: wrong VAT number",
                "Copy of last month's invoice",
                "Charged twice in {month}",
                "Please change the billing address",
                "Refund for unused seats",
            ),
            (
                "Invoice {inv} shows our old VAT number. Could you issue a corrected invoice? Our "
                "accountant cannot book it as it is.",
                "I cannot find the invoice for {month} in the billing section. Could you send a "
                "copy to this address, in PDF?",
                "Our card was charged twice in {month}, {amount} each time. Please refund the "
                "duplicate payment; the bank statement is attached.",
                "We moved offices. From now on, the invoices should be addressed to {company}, "
                "Accounts Payable, 1200 Harbor Street, Suite 400.",
                "We reduced the team from {m} to {n} users last month but were billed for all of "
                "them. Is a prorated refund possible?",
            ),
        ),
        "fr": (
            (
                "Facture {inv} : numéro de TVA erroné",
                "Copie de la facture du mois dernier",
                "Prélevé deux fois en {month}",
                "Changement d'adresse de facturation",
                "Remboursement de licences inutilisées",
            ),
            (
                "La facture {inv} porte notre ancien numéro de TVA intracommunautaire. Pourriez-"
                "vous émettre une facture rectificative ? Notre comptable ne peut pas "
                "l'enregistrer en l'état.",
                "Je ne trouve pas la facture de {month} dans l'espace facturation. Pourriez-vous "
                "m'en envoyer une copie en PDF à cette adresse ?",
                "Notre carte a été débitée deux fois en {month}, {amount} à chaque fois. Merci de "
                "rembourser le paiement en double ; le relevé bancaire est en pièce jointe.",
                "Nous avons déménagé. Dorénavant, les factures doivent être adressées à {company}, "
                "service comptabilité, 12 rue des Écoles, 31000 Toulouse.",
                "Nous sommes passés de {m} à {n} utilisateurs le mois dernier mais avons été "
                "facturés pour tous. Un remboursement au prorata est-il possible ?",
            ),
        ),
    },
}
GREETING = {
    "en": ("Hello,", "Hi,", "Hi there,", "Good morning,", "Dear support team,"),
    "fr": ("Bonjour,", "Bonjour Madame, Monsieur,", "Bonsoir,", "Bonjour à toute l'équipe,"),
}
EXTRA = {
    "en": (
        "This is quite urgent for us, as the quarter closes on Friday.",
        "Thanks in advance for your help.",
        "I am happy to jump on a call if it is easier to look at it together.",
        "Our account ID is {job}, in case you need it.",
        "We have been happy customers for {n} months, so I hope this can be sorted quickly.",
    ),
    "fr": (
        "C'est assez urgent pour nous, la clôture trimestrielle a lieu vendredi.",
        "Merci d'avance pour votre aide.",
        "Je suis disponible pour un appel si c'est plus simple d'en parler de vive voix.",
        "Notre identifiant de compte est le {job}, si besoin.",
        "Nous sommes clients depuis {n} mois et très satisfaits, j'espère que cela pourra "
        "être réglé rapidement.",
    ),
}
CLOSING = {
    "en": ("Best regards,", "Thanks,", "Kind regards,", "Cheers,"),
    "fr": ("Cordialement,", "Bien cordialement,", "Merci, bonne journée,", "Bien à vous,"),
}
DISCLAIMER = {
    "en": "This e-mail and any attachments are confidential and intended solely for the "
    "addressee. If you have received it in error, please notify the sender and delete it. "
    "Any unauthorised use, disclosure or copying is prohibited.",
    "fr": "Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leur "
    "destinataire. Si vous l'avez reçu par erreur, merci d'en avertir l'expéditeur et de "
    "le supprimer. Toute utilisation ou diffusion non autorisée est interdite.",
}
AGENT_REPLY: dict[str, dict[str, tuple[str, ...]]] = {
    "any": {
        "en": (
            "Thanks for reaching out. I have passed this on to the right team and will get "
            "back to you as soon as I hear from them.",
            "Could you tell me the name of your workspace and the e-mail address you use to "
            "sign in? I could not find your account from this address.",
        ),
        "fr": (
            "Merci pour votre message. J'ai transmis votre demande à l'équipe concernée et je "
            "reviens vers vous dès que j'ai leur réponse.",
            "Pourriez-vous m'indiquer le nom de votre espace de travail et l'adresse e-mail "
            "avec laquelle vous vous connectez ? Je ne retrouve pas votre compte.",
        ),
    },
    "pricing": {
        "en": (
            "For that many users the Business plan comes to $18 per user and month on annual "
            "billing, 20% less than monthly. Seats added during the year are prorated.",
            "Yes, we offer 50% off to registered nonprofits. I have attached the quote; bank "
            "transfer is fine for annual plans.",
        ),
        "fr": (
            "Pour ce nombre d'utilisateurs, l'offre Business revient à 16 € par utilisateur "
            "et par mois en facturation annuelle, soit 20 % de moins qu'au mois. Les licences "
            "ajoutées en cours d'année sont calculées au prorata.",
            "Oui, nous accordons 50 % de remise aux associations. Vous trouverez le devis en "
            "pièce jointe ; le virement est possible pour les offres annuelles.",
        ),
    },
    "login": {
        "en": (
            "I have unlocked the account and reset the sign-in attempts. Could you try again "
            "and tell me whether it works now?",
            "Our reset e-mails come from no-reply@lumenreports.example; could you ask your IT "
            "team to allow that address? I have sent a new link in the meantime.",
        ),
        "fr": (
            "J'ai débloqué le compte et remis à zéro les tentatives de connexion. Pourriez-vous "
            "réessayer et me dire si cela fonctionne ?",
            "Nos e-mails de réinitialisation partent de no-reply@lumenreports.example ; "
            "pourriez-vous demander à votre service informatique d'autoriser cette adresse ? "
            "Je vous ai renvoyé un lien en attendant.",
        ),
    },
    "export": {
        "en": (
            "Sorry for the trouble. This is a known issue in the current release; a fix is "
            "planned for next week. In the meantime, exporting month by month works around it.",
            "Thanks for the log, it helped a lot: the export hit a row limit on our side. I "
            "raised it for your workspace; the next scheduled run should be complete.",
        ),
        "fr": (
            "Désolée pour la gêne occasionnée. Il s'agit d'un problème connu de la version "
            "actuelle ; un correctif est prévu la semaine prochaine. En attendant, un export "
            "mois par mois permet de le contourner.",
            "Merci pour le journal, il nous a bien aidés : l'export atteignait une limite de "
            "lignes de notre côté. Je l'ai relevée pour votre espace ; la prochaine exécution "
            "devrait être complète.",
        ),
    },
    "invoice": {
        "en": (
            "I have attached the corrected invoice. Let me know if anything else is missing.",
            "You are right, the second payment was a duplicate. The refund is on its way and "
            "should show on your statement within five to ten business days.",
        ),
        "fr": (
            "Vous trouverez en pièce jointe la facture rectifiée. N'hésitez pas si quelque "
            "chose manque.",
            "Vous avez raison, le second prélèvement était un doublon. Le remboursement est en "
            "cours et apparaîtra sur votre relevé sous cinq à dix jours ouvrés.",
        ),
    },
}
CUSTOMER_REPLY = {
    "en": (
        "Thanks, that worked. You can close the ticket.",
        "Still the same problem, I am afraid. I tried again ten minutes ago.",
        "Thank you for the quick answer. One more question: does this also apply to our "
        "second workspace?",
        "Any news on this? We really need it before the end of the week.",
    ),
    "fr": (
        "Merci, cela fonctionne maintenant. Vous pouvez clore la demande.",
        "Toujours le même problème, malheureusement. J'ai réessayé il y a dix minutes.",
        "Merci pour la réponse rapide. Une dernière question : est-ce valable aussi pour "
        "notre second espace de travail ?",
        "Avez-vous du nouveau ? Nous en avons vraiment besoin avant la fin de la semaine.",
    ),
}
DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
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
    ),
}
MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet"),
}
# French bodies: (charset, Content-Transfer-Encoding), weighted.
FRENCH_ENCODINGS = (
    ("utf-8", "quoted-printable"),
    ("utf-8", "quoted-printable"),
    ("utf-8", "base64"),
    ("utf-8", "8bit"),
    ("iso-8859-1", "quoted-printable"),
    ("iso-8859-1", "quoted-printable"),
    ("iso-8859-1", "base64"),
    ("iso-8859-1", "8bit"),
)
OUTLOOK_STYLE = (
    "<style><!--\n"
    + "".join(
        f'@font-face {{font-family:"{font}"; panose-1:2 15 5 2 2 2 4 3 2 4;}}\n'
        for font in ("Cambria Math", "Calibri", "Aptos", "Segoe UI")
    )
    + "p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; "
    'font-family:"Calibri",sans-serif; mso-ligatures:standardcontextual;}\n'
    "a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; "
    "text-decoration:underline;}\n"
    'span.EmailStyle17 {mso-style-type:personal-compose; font-family:"Calibri",sans-serif; '
    "color:windowtext;}\n.MsoChpDefault {mso-style-type:export-only; "
    'font-family:"Calibri",sans-serif;}\n@page WordSection1 {size:612.0pt 792.0pt; '
    "margin:72.0pt 72.0pt 72.0pt 72.0pt;}\ndiv.WordSection1 {page:WordSection1;}\n--></style>"
)


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


@dataclass(slots=True)
class Stats:
    messages: int = 0
    replies: int = 0
    threads: int = 0
    html: int = 0
    attachments: dict[str, int] = field(default_factory=dict)
    encodings: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    largest: int = 0
    sizes: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        sizes = sorted(self.sizes)
        median = sizes[len(sizes) // 2] if sizes else 0
        p95 = sizes[int(len(sizes) * 0.95)] if sizes else 0
        return {
            "messages": self.messages,
            "replies": self.replies,
            "threads": self.threads,
            "html": self.html,
            "attachments": dict(sorted(self.attachments.items())),
            "french_encodings": dict(sorted(self.encodings.items())),
            "bytes": self.bytes,
            "size_median": median,
            "size_p95": p95,
            "size_largest": self.largest,
            "size_smallest": sizes[0] if sizes else 0,
        }


def _ascii(text: str) -> str:
    table = str.maketrans("éèêëàâäîïôöûüùçÉÈÊÀÂÎÔÛÇœŒæ", "eeeeaaaiioouuucEEEAAIOUCoOa")
    return text.translate(table).lower()


def _latin1(text: str) -> str:
    return (
        text.replace("€", "EUR").replace("œ", "oe").encode("latin-1", "replace").decode("latin-1")
    )


def _people(rng: random.Random) -> list[Person]:
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


def _vars(rng: random.Random, person: Person) -> dict[str, object]:
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


def _wrap(paragraphs: list[str]) -> str:
    out: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            out.append("")
        elif len(paragraph) <= 72 or "\n" in paragraph:
            out.append(paragraph)
        else:
            out.append("\n".join(textwrap.wrap(paragraph, 72, break_on_hyphens=False)))
    return "\n\n".join(out)


def _signature(rng: random.Random, person: Person, agent: bool) -> str:
    if agent:
        role = "Support Lumen Reports" if person.lang == "fr" else "Lumen Reports Support"
        return f"-- \n{person.name}\n{role}\nhttps://help.{DESK}"
    lines = [person.name]
    if rng.random() < 0.7:
        lines += [f"{person.title}, {person.company}", person.phone]
    if rng.random() < 0.25:
        lines += ["", "\n".join(textwrap.wrap(DISCLAIMER[person.lang], 72))]
    return "\n".join(lines)


def _attribution(parent: Sent, lang: str) -> str:
    d = parent.date
    who = f"{parent.sender.name} <{parent.sender.address}>"
    if lang == "fr":
        day = f"{DAYS['fr'][d.weekday()]} {d.day} {MONTHS['fr'][d.month - 1]} {d.year}"
        return f"Le {day} à {d:%H:%M}, {who} a écrit :"
    day = f"{DAYS['en'][d.weekday()]}, {MONTHS['en'][d.month - 1]} {d.day}, {d.year}"
    return f"On {day} at {d:%H:%M}, {who} wrote:"


def _quote(text: str) -> str:
    lines = text.split("\n")[:QUOTED_LINES]
    return "\n".join(
        ">" + (" " + line if line and not line.startswith(">") else line) for line in lines
    )


def _log_file(rng: random.Random, size: int, job: int) -> str:
    levels = ("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR")
    steps = (
        "query.start",
        "query.rows",
        "render.csv",
        "upload.chunk",
        "cache.miss",
        "auth.token.refresh",
        "export.flush",
        "worker.heartbeat",
    )
    lines: list[str] = []
    total = 0
    t = datetime(2024, 3, 1, 2, 0, tzinfo=UTC) + timedelta(days=rng.randrange(120))
    while total < size:
        t += timedelta(milliseconds=rng.randrange(1, 4000))
        level = rng.choice(levels)
        line = (
            f"{t:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}Z {level:<5} "
            f"export[{job}] {rng.choice(steps)} rows={rng.randrange(0, 70000)} "
            f"ms={rng.randrange(1, 9000)} worker=w{rng.randrange(1, 16)}"
        )
        if level == "ERROR":
            line += (
                '\n  Traceback (most recent call last):\n    File "export/csv.py", line '
                f"{rng.randrange(20, 400)}, in write_rows\n  RowLimitExceeded: row limit reached"
            )
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines) + "\n"


def _pdf(rng: random.Random, size: int) -> bytes:
    stream = rng.randbytes(max(size - 400, 64))
    head = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type "
        b"/Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n"
    )
    body = (
        b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream\nendobj\n"
    )
    xref = b"xref\n0 5\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R >>\n"
    return head + body + xref + b"startxref\n%d\n%%%%EOF\n" % (len(head) + len(body))


def _png(rng: random.Random, size: int) -> bytes:
    # A screenshot-like image: flat rows (compress well) with noisy bands (do not).
    width = 320
    rows = max(size // (width * 3 // 2), 8)
    raw = bytearray()
    flat = bytes([0]) + bytes([0xF4, 0xF5, 0xF7]) * width
    for row in range(rows):
        raw += b"\0" + rng.randbytes(width * 3) if row % 2 else flat

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, rows, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 1))
        + chunk(b"IEND", b"")
    )


def _html(paragraphs: list[str], quote: tuple[str, str] | None, outlook: bool) -> str:
    if outlook:
        body = "".join(
            f'<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri'
            f'&quot;,sans-serif;color:#1F3864">{html.escape(p).replace(chr(10), "<br>")}'
            f'<o:p></o:p></span></p>\n<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
            for p in paragraphs
        )
        body = f'<div class="WordSection1">\n{body}</div>'
        head = f'<head><meta http-equiv="Content-Type" content="text/html">{OUTLOOK_STYLE}</head>'
    else:
        body = "".join(
            f'<div dir="ltr">{html.escape(p).replace(chr(10), "<br>")}</div><div><br></div>\n'
            for p in paragraphs
        )
        head = '<head><meta charset="utf-8"></head>'
    if quote:
        attribution, text = quote
        body += (
            f'<div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
            f'{html.escape(attribution)}<br></div><blockquote class="gmail_quote" '
            f'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);'
            f'padding-left:1ex">{html.escape(text).replace(chr(10), "<br>")}'
            f"</blockquote></div>\n"
        )
    return f"<html>{head}<body>\n{body}</body></html>\n"


class _Registry(HeaderRegistry):
    # The stock registry builds a new header class on every lookup: a third of the time.
    @functools.cache  # noqa: B019 - one registry for the life of the process
    def __getitem__(self, name: str) -> type[BaseHeader]:
        return super().__getitem__(name)

    __hash__ = object.__hash__


POLICY = policy.default.clone(header_factory=_Registry())
POLICY_CRLF = POLICY.clone(linesep="\r\n")


@dataclass(frozen=True, slots=True)
class Attach:
    kind: str  # log, pdf or png
    size: int
    filename: str
    seed: int


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything about one message but its bytes: the bytes are made in parallel."""

    path: str
    trace: str  # header lines the servers added, already folded
    headers: list[tuple[str, str]]
    text: str
    charset: str
    cte: str | None
    html: tuple[list[str], tuple[str, str] | None, bool] | None  # paragraphs, quote, outlook
    attachment: Attach | None
    language: str
    crlf: bool
    seed: int


def render(plan: Plan) -> bytes:
    rng = random.Random(plan.seed)
    msg = EmailMessage(policy=POLICY)
    for name, value in plan.headers:
        msg[name] = value
    if plan.cte:
        msg.set_content(plan.text, charset=plan.charset, cte=plan.cte)
    else:
        msg.set_content(plan.text)
    if plan.html:
        msg.add_alternative(
            _html(*plan.html), subtype="html", charset=plan.charset, cte="quoted-printable"
        )
    attachment = plan.attachment
    if attachment:
        data = random.Random(attachment.seed)
        if attachment.kind == "log":
            msg.add_attachment(
                _log_file(data, attachment.size, attachment.seed % 900000 + 1000),
                filename=attachment.filename,
            )
        elif attachment.kind == "png":
            msg.add_attachment(
                _png(data, attachment.size),
                maintype="image",
                subtype="png",
                filename=attachment.filename,
            )
        else:
            msg.add_attachment(
                _pdf(data, attachment.size),
                maintype="application",
                subtype="pdf",
                filename=attachment.filename,
            )
    # Set last: set_content() and add_alternative() move or drop Content-* headers.
    msg["Content-Language"] = plan.language
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]  # the library adds one to every part, clients do not
        if part.is_multipart():
            # The library would take boundaries from the global random module.
            part.set_boundary(f"----=_Part_{rng.getrandbits(64):016x}")
    trace = plan.trace.replace("\n", "\r\n") if plan.crlf else plan.trace
    return trace.encode("ascii") + msg.as_bytes(policy=POLICY_CRLF if plan.crlf else POLICY)


def write(plan: Plan) -> int:
    data = render(plan)
    with open(plan.path, "wb") as handle:
        handle.write(data)
    return len(data)


class Planner:
    """Decides every message in order (who, what, replying to what); cheap and sequential."""

    def __init__(self, seed: int, directory: Path) -> None:
        self.rng = random.Random(seed)
        self.directory = directory
        self.people = _people(self.rng)
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
            values = _vars(rng, customer)
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
            quote = (_attribution(parent, lang), parent.text)
            self.stats.replies += 1
        is_agent = sender is agent
        own_text = (
            _wrap(body)
            + "\n\n"
            + rng.choice(CLOSING[lang])
            + "\n"
            + _signature(rng, sender, is_agent)
        )
        charset, cte = rng.choice(FRENCH_ENCODINGS) if lang == "fr" else ("utf-8", None)
        if charset == "iso-8859-1":
            # What an ISO-8859-1 client would have written: no euro sign there.
            own_text = _latin1(own_text)
            quote = (_latin1(quote[0]), _latin1(quote[1])) if quote else None
        if cte:
            key = f"{charset} {cte}"
            self.stats.encodings[key] = self.stats.encodings.get(key, 0) + 1
        text = f"{own_text}\n\n{quote[0]}\n{_quote(quote[1])}" if quote else own_text

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
