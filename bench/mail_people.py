"""The benchmark desk's people: the desk and its agents, the customers' names,
companies and mail services, their time zones (data only; ``mailgen.py`` writes the mail)."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

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
