"""Texts of the demo history's mail outside the team's conversations (``history_tales``
tells it): the founder's own business, which goes on in a word or two after its first
message, and the noise nobody answers (newsletters, spam, bounces, out-of-office replies,
which also come in the team's conversations). Pure data, no Django.

Placeholders as in ``handoff.demo.history_content``, and ``{subject}``, ``{day}`` (an
out-of-office reply's), ``{rcpt}``, ``{domain}`` (a bounce's).
"""

from __future__ import annotations

from handoff.demo.history_content import Lang

# Founder business goes on in a word or two: the contact's, then Camille's.
FOUNDER_THANKS = {
    "fr": "Parfait, merci Camille. À très vite.",
    "en": "Great, thanks Camille. Speak soon.",
}  # fmt: skip
FOUNDER_CLOSE = {
    "fr": "Merci {first}, à bientôt.\n\nCamille",
    "en": "Thanks {first}, talk soon.\n\nCamille",
}  # fmt: skip
# Founder business, by who writes: (language, subject, first message, Camille's answer).
FOUNDER_MAIL: dict[str, tuple[tuple[Lang, str, str, str], ...]] = {
    "investor": (("en", "Board deck", "Hi Camille,\n\nCould you send the board deck by Wednesday?"
                  " Happy to\nreview the numbers before Thursday.\n\n{first}",
                  "Hi {first},\n\nSure, you'll have it Tuesday night.\n\nCamille"),
                 ("fr", "Point trimestriel", "Bonjour Camille,\n\nPeut-on caler notre point "
                  "trimestriel la\nsemaine prochaine ? J'aimerais revoir la rétention avec toi."
                  "\n\n{first}", "Bonjour {first},\n\nAvec plaisir : jeudi 10 h ? Je t'envoie "
                  "les chiffres la veille.\n\nCamille")),
    "lawyer": (("fr", "Contrat : nos observations", "Bonjour Madame Martin,\n\nVous trouverez "
                "nos\nobservations sur le contrat ; deux clauses méritent qu'on en parle.\n\n"
                "{first}", "Bonjour,\n\nMerci, je regarde et je vous rappelle demain.\n\n"
                "Camille Martin"),),
    "press": (("fr", "Demande d'interview", "Bonjour Camille,\n\nJ'écris un article sur les "
               "SaaS\nrentables sans levée de fonds. Auriez-vous 20 minutes cette semaine ?\n\n"
               "{first}", "Bonjour {first},\n\nAvec plaisir, demain 16 h ?\n\nCamille"),),
    "partner": (("en", "Partnership next steps", "Hi Camille,\n\nOur team would love to list "
                 "Acme Reports\nin our marketplace. Could we set up a call?\n\n{first}",
                 "Hi {first},\n\nGreat news. How about Friday?\n\nCamille"),),
}  # fmt: skip

# The noise: (subject, text), an out-of-office reply's by language.
AUTOREPLY = {
    "fr": ("Réponse automatique : {subject}",
           "Bonjour,\n\nJe suis absent(e) jusqu'au {day} avec un accès limité à mes e-mails.\n"
           "Je vous répondrai à mon retour.\n\n{first}"),
    "en": ("Automatic reply: {subject}",
           "Hello,\n\nI'm out of the office until {day} with limited access to email.\n"
           "I'll reply when I'm back.\n\n{first}"),
    "de": ("Automatische Antwort: {subject}",
           "Guten Tag,\n\nich bin bis {day} nicht im Büro.\n\n{first}"),
    "es": ("Respuesta automática: {subject}",
           "Hola:\n\nEstaré fuera de la oficina hasta el {day}.\n\n{first}"),
    "pt": ("Resposta automática: {subject}",
           "Olá,\n\nEstou fora do escritório até {day}.\n\n{first}"),
}  # fmt: skip
NEWSLETTER = ("SaaS Growth Weekly #{n}", "This week: pricing pages that convert, churn benchmarks\n"
              "and five onboarding emails worth copying.\n\nRead online: https://saasweekly."
              "example/issues/{n}\nUnsubscribe: https://saasweekly.example/u")  # fmt: skip
SPAM = ("Boost your SEO ranking in 7 days", "Hello,\n\nWe can put {company} on the first page\n"
        "of Google in 7 days, guaranteed. Reply YES for a free audit.\n\nBest regards")  # fmt: skip
BOUNCE = ("Undelivered Mail Returned to Sender", "This is the mail system at host\n"
          "relay.mailhost.example.\n\nI'm sorry to have to inform you that your message could\n"
          "not be delivered to one or more recipients.\n\n<{rcpt}>: host mx.{domain}\n"
          "said: 550 5.1.1 User unknown\n")  # fmt: skip
