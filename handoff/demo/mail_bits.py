"""The bits of text the demo mailbox's mail is made of besides its scenarios' own (data
only; ``cast`` holds the people and the scenarios' shapes, ``content.py`` builds the mail):
dates spelt out, what an ISO-8859-1 mailer does with what Latin-1 lacks, the headers robots
add, the attachments' text (a board deck, an invoice, an export log) and a bounce's report.

Templates take the scenarios' placeholders (``cast`` lists them) and their own: ``{date}``
(an invoice's), ``{day}`` (an export log's), ``{queue}`` ``{sender}`` ``{arrival}``
``{rcpt}`` (a bounce's).
"""

from __future__ import annotations

from handoff.demo.cast import Lang

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
