"""Texts of the demo's months of history (``handoff.ops.history`` turns them into mail):
what customers write about each kind of question in five languages, what the team answers,
who writes, from where. Data and small pure helpers; no Django. The founder's business and
the noise have their texts in ``history_founder_noise``.

Templates are ``str.format_map`` strings. Placeholders: ``{first}`` (the customer's first
name), ``{agent}`` (the team member's), ``{company}``, ``{n}`` (a small count),
``{feature}`` (a connector), ``{invoice}``, ``{amount}``.
"""

from __future__ import annotations

import random
import unicodedata
from functools import lru_cache

Lang = str  # one of LANGUAGES
LANGUAGES = ("fr", "en", "de", "es", "pt")
LANGUAGE_WEIGHTS = (44, 40, 7, 5, 4)
TEAM_CATEGORIES = ("presales", "support", "bug", "billing", "feedback")
CATEGORY_WEIGHTS = (22, 40, 15, 15, 8)
# The classifier's categories (bulk is told by headers, not by the model), and the words
# its explanations name.
SCORED = ("autoreply", "billing", "bounce", "bug", "feedback", "founder", "presales", "spam",
          "support")  # fmt: skip
WORDS = {
    "presales": ("pricing", "trial", "plan", "discount", "tarif", "essai", "quote", "devis"),
    "support": ("connector", "how", "export", "share", "comment", "settings", "schedule"),
    "bug": ("error", "fails", "stopped", "erreur", "missing", "refresh", "500", "broken"),
    "billing": ("invoice", "charged", "vat", "facture", "card", "refund", "tva", "receipt"),
    "feedback": ("love", "suggestion", "faster", "merci", "idea", "dark mode", "great"),
    "spam": ("seo", "guaranteed", "first page", "free audit", "ranking", "offer"),
}  # fmt: skip

# Where the customers write from, by language: (time zone, weight).
REGIONS: dict[Lang, tuple[tuple[str, int], ...]] = {
    "fr": (("Europe/Paris", 6), ("Europe/Brussels", 2), ("America/Montreal", 3)),
    "en": (
        ("Europe/London", 3),
        ("America/New_York", 3),
        ("America/Los_Angeles", 2),
        ("Asia/Singapore", 1),
        ("Australia/Sydney", 1),
        ("Asia/Manila", 1),
    ),
    "de": (("Europe/Berlin", 3), ("Europe/Vienna", 1), ("Europe/Zurich", 1)),
    "es": (("Europe/Madrid", 2), ("America/Mexico_City", 2), ("America/Bogota", 1)),
    "pt": (("Europe/Lisbon", 1), ("America/Sao_Paulo", 3)),
}
# Share of mail written at each local hour (0-23): the working day, some evenings.
HOURS = (1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 14, 16, 16, 14, 11, 8, 6, 5, 4, 3, 2)
WEEKDAYS = (10, 10, 10, 10, 9, 4, 3)  # Monday first

FIRST_NAMES: dict[Lang, tuple[str, ...]] = {
    "fr": ("Camille", "Julien", "Léa", "Mathieu", "Chloé", "Nicolas", "Manon", "Thomas",
           "Élodie", "Antoine", "Sarah", "Hugo", "Claire", "Maxime", "Aurélie", "Olivier",
           "Amélie", "Benoît", "Zoé", "Gabriel", "Noémie", "Étienne", "Inès", "Rémi"),
    "en": ("Emma", "James", "Olivia", "Daniel", "Sophie", "Ryan", "Grace", "Michael",
           "Hannah", "David", "Priya", "Tom", "Megan", "Chris", "Laura", "Ethan", "Aisha",
           "Ben", "Rachel", "Kevin", "Jasmine", "Liam", "Nora", "Sam"),
    "de": ("Lukas", "Anna", "Felix", "Lena", "Jonas", "Marie", "Paul", "Laura", "Tobias",
           "Katharina", "Stefan", "Julia", "Moritz", "Sabine"),
    "es": ("Lucía", "Javier", "Carmen", "Diego", "Marta", "Pablo", "Sofía", "Alejandro",
           "Elena", "Andrés", "Valentina", "Mateo", "Paula"),
    "pt": ("João", "Ana", "Pedro", "Mariana", "Lucas", "Beatriz", "Rafael", "Camila",
           "Tiago", "Fernanda", "Gustavo", "Inês", "Bruno"),
}  # fmt: skip
LAST_NAMES: dict[Lang, tuple[str, ...]] = {
    "fr": ("Martin", "Bernard", "Dubois", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel",
           "Garnier", "Rousseau", "Fontaine", "Chevalier", "Tremblay", "Gagnon", "Roy",
           "Peeters", "Lambert", "Girard", "Bouchard", "Morel", "Mercier"),
    "en": ("Smith", "Johnson", "Taylor", "Brown", "Walker", "Wilson", "Clarke", "Patel",
           "Nguyen", "Kim", "Murphy", "Evans", "Hughes", "Carter", "Reyes", "Cruz", "Wright",
           "Foster", "Bennett", "Lee", "Santos"),
    "de": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker",
           "Hoffmann", "Schulz", "Koch", "Richter", "Wolf", "Huber"),
    "es": ("García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández",
           "Díaz", "Ruiz", "Torres", "Ramírez", "Vargas"),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira",
           "Rodrigues", "Almeida", "Carvalho", "Ribeiro", "Martins"),
}  # fmt: skip
# Company names: one word of each list.
COMPANY_WORDS: dict[Lang, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fr": (("Atelier", "Studio", "Maison", "Agence", "Cabinet", "Comptoir", "Groupe"),
           ("Lumen", "Boréal", "Azur", "Cassis", "Horizon", "Ondine", "Sépia", "Garance")),
    "en": (("Bright", "North", "Blue", "Clear", "Red", "Swift", "Oak", "Harbor", "Peak"),
           ("side", "wind", "field", "path", "stone", "light", "bridge", "works", "line")),
    "de": (("Nord", "Berg", "Licht", "Klar", "Hafen"), ("werk", "blick", "feld", "punkt")),
    "es": (("Sol", "Mar", "Cielo", "Norte"), ("azul", "digital", "verde", "nova")),
    "pt": (("Onda", "Brisa", "Sol", "Rio"), ("digital", "azul", "clara", "norte")),
}  # fmt: skip
COMPANY_JOIN = {"fr": " ", "en": "", "de": "", "es": " ", "pt": " "}
FEATURES = ("Google Ads", "Shopify", "HubSpot", "Google Analytics 4", "Meta Ads", "Stripe",
            "LinkedIn Ads", "Search Console", "Mailchimp", "Salesforce")  # fmt: skip

SUBJECTS: dict[Lang, dict[str, tuple[str, ...]]] = {
    "fr": {"presales": ("Question sur vos tarifs", "Devis pour {n} clients", "Essai gratuit ?"),
           "support": ("Connecteur {feature}", "Partager un rapport", "Question sur les exports"),
           "bug": ("Le rapport ne se met plus à jour", "Erreur à l'export PDF",
                   "Données {feature} manquantes"),
           "billing": ("Facture {invoice}", "Changement de carte bancaire",
                       "Numéro de TVA sur la facture"),
           "feedback": ("Une suggestion", "Merci pour la nouvelle version")},
    "en": {"presales": ("Pricing question", "Quote for {n} clients", "Trial before we buy?"),
           "support": ("{feature} connector", "Sharing a dashboard", "Scheduled exports"),
           "bug": ("Dashboard stopped refreshing", "PDF export fails",
                   "Missing {feature} data"),
           "billing": ("Invoice {invoice}", "Update our card", "VAT number on invoices"),
           "feedback": ("A small suggestion", "Loving the new editor")},
    "de": {"presales": ("Frage zu den Preisen",), "support": ("{feature}-Anbindung",),
           "bug": ("Bericht wird nicht aktualisiert",), "billing": ("Rechnung {invoice}",),
           "feedback": ("Ein Vorschlag",)},
    "es": {"presales": ("Consulta sobre precios",), "support": ("Conector de {feature}",),
           "bug": ("El informe no se actualiza",), "billing": ("Factura {invoice}",),
           "feedback": ("Una sugerencia",)},
    "pt": {"presales": ("Dúvida sobre preços",), "support": ("Conector do {feature}",),
           "bug": ("O relatório não atualiza",), "billing": ("Fatura {invoice}",),
           "feedback": ("Uma sugestão",)},
}  # fmt: skip
# How a mail client introduces the message it quotes.
ATTRIBUTION = {
    "fr": "Le {date} à {time}, {name} <{address}> a écrit :",
    "en": "On {date} at {time}, {name} <{address}> wrote:",
    "de": "Am {date} um {time} schrieb {name} <{address}>:",
    "es": "El {date}, a las {time}, {name} <{address}> escribió:",
    "pt": "Em {date} às {time}, {name} <{address}> escreveu:",
}  # fmt: skip
REPLY_PREFIX = {"fr": "Re: ", "en": "Re: ", "de": "AW: ", "es": "RE: ", "pt": "RE: "}

GREETING = {"fr": "Bonjour,", "en": "Hi,", "de": "Hallo,", "es": "Hola,", "pt": "Olá,"}
GREETING_NAMED = {
    "fr": "Bonjour {first},", "en": "Hi {first},", "de": "Hallo {first},",
    "es": "Hola {first}:", "pt": "Olá {first},",
}  # fmt: skip
SIGN_CUSTOMER = {
    "fr": ("Merci d'avance,", "Bonne journée,", "Cordialement,"),
    "en": ("Thanks,", "Best,", "Cheers,"),
    "de": ("Viele Grüße",), "es": ("Un saludo,",), "pt": ("Obrigado,",),
}  # fmt: skip
SIGN_TEAM = {
    "fr": "Belle journée,\n{agent}\nAcme Reports", "en": "Best,\n{agent}\nAcme Reports",
    "de": "Viele Grüße\n{agent}\nAcme Reports", "es": "Un saludo,\n{agent}\nAcme Reports",
    "pt": "Um abraço,\n{agent}\nAcme Reports",
}  # fmt: skip

# The customer's first message, by category.
OPENING: dict[Lang, dict[str, tuple[str, ...]]] = {
    "fr": {
        "presales": (
            "Nous sommes une agence de {n} personnes et nous cherchons un outil de reporting.\n"
            "Le tarif est-il par tableau de bord ou par client ? Peut-on mettre notre logo ?",
            "Je compare plusieurs outils pour {company}. Proposez-vous une remise à l'année,\n"
            "et l'essai gratuit inclut-il le connecteur {feature} ?",
        ),
        "support": (
            "Comment ajouter le connecteur {feature} à un tableau de bord existant ?\n"
            "Je ne trouve pas l'option dans les paramètres.",
            "Est-il possible d'envoyer un rapport chaque lundi par e-mail à {n} clients,\n"
            "chacun avec ses propres chiffres ?",
        ),
        "bug": (
            "Depuis ce matin, les données {feature} ne remontent plus dans nos rapports.\n"
            "Le dernier rafraîchissement date d'hier soir. Pouvez-vous regarder ?",
            "L'export PDF échoue avec « erreur 500 » sur le tableau de bord de {company}.\n"
            "Les autres exports fonctionnent.",
        ),
        "billing": (
            "Pouvez-vous ajouter notre numéro de TVA sur la facture {invoice} ?\n"
            "Notre comptable en a besoin avant la fin du mois.",
            "Nous avons été débités deux fois de {amount} ce mois-ci. Pouvez-vous vérifier ?",
        ),
        "feedback": (
            "Petit retour : l'éditeur de graphiques est vraiment plus rapide depuis la mise\n"
            "à jour. Ce serait parfait avec un mode sombre pour les présentations.",
        ),
    },
    "en": {
        "presales": (
            "We're a {n}-person agency looking for a reporting tool. Is pricing per\n"
            "dashboard or per client, and can reports be white-labelled?",
            "I'm comparing a few tools for {company}. Do you offer annual billing, and does\n"
            "the trial include the {feature} connector?",
        ),
        "support": (
            "How do I add the {feature} connector to an existing dashboard? I can't find\n"
            "the option in the settings.",
            "Can we email a report every Monday to {n} clients, each with their own numbers?",
        ),
        "bug": (
            "Since this morning our {feature} data has stopped coming through. The last\n"
            "refresh was yesterday evening. Could you take a look?",
            "PDF export fails with an 'error 500' on the {company} dashboard. Other exports\n"
            "work fine.",
        ),
        "billing": (
            "Could you add our VAT number to invoice {invoice}? Our accountant needs it\n"
            "before the end of the month.",
            "We were charged {amount} twice this month. Could you check?",
        ),
        "feedback": (
            "Quick note: the chart editor is much faster since the update. A dark mode for\n"
            "presentations would make it perfect.",
        ),
    },
    "de": {
        "presales": ("Wir sind eine Agentur mit {n} Leuten. Gilt der Preis pro Dashboard oder\n"
                     "pro Kunde, und gibt es einen Jahresrabatt?",),
        "support": ("Wie verbinde ich {feature} mit einem bestehenden Dashboard? Ich finde die\n"
                    "Option nicht.",),
        "bug": ("Seit heute Morgen kommen keine {feature}-Daten mehr an. Können Sie bitte\n"
                "nachsehen?",),
        "billing": ("Könnten Sie unsere USt-IdNr. auf der Rechnung {invoice} ergänzen?",),
        "feedback": ("Der neue Editor ist deutlich schneller, danke! Ein Dunkelmodus wäre toll.",),
    },
    "es": {
        "presales": ("Somos una agencia de {n} personas. ¿El precio es por panel o por cliente?\n"
                     "¿Hay descuento anual?",),
        "support": ("¿Cómo añado el conector de {feature} a un panel existente? No encuentro\n"
                    "la opción.",),
        "bug": ("Desde esta mañana no llegan los datos de {feature}. ¿Podéis revisarlo?",),
        "billing": ("¿Podéis añadir nuestro NIF a la factura {invoice}?",),
        "feedback": ("El nuevo editor va mucho más rápido, ¡gracias! Un modo oscuro sería ideal.",),
    },
    "pt": {
        "presales": ("Somos uma agência de {n} pessoas. O preço é por painel ou por cliente?\n"
                     "Existe desconto anual?",),
        "support": ("Como adiciono o conector do {feature} a um painel existente? Não encontro\n"
                    "a opção.",),
        "bug": ("Desde hoje de manhã os dados do {feature} não chegam. Podem verificar?",),
        "billing": ("Podem incluir o nosso NIF na fatura {invoice}?",),
        "feedback": ("O novo editor está muito mais rápido, obrigado! Um modo escuro\n"
                     "seria ótimo.",),
    },
}  # fmt: skip

# The team's first answer, by category.
ANSWER: dict[Lang, dict[str, tuple[str, ...]]] = {
    "fr": {
        "presales": ("Merci pour votre message ! Le tarif est par tableau de bord, avec autant\n"
                     "de pages que vous voulez ; la marque blanche est incluse dès l'offre Pro.\n"
                     "Pour {n} clients, l'offre Agence revient à {amount} par mois.",),
        "support": ("Dans le tableau de bord, ouvrez « Sources », puis « Ajouter » et choisissez\n"
                    "{feature}. Les données arrivent en quelques minutes.",),
        "bug": ("Merci du signalement, je reproduis le problème et je le transmets à l'équipe\n"
                "technique. Je reviens vers vous dès que j'en sais plus.",),
        "billing": ("C'est fait : la facture {invoice} corrigée est disponible dans votre espace,\n"
                    "rubrique Facturation.",),
        "feedback": ("Merci beaucoup pour ce retour ! Le mode sombre est sur notre feuille de\n"
                     "route, je vous préviens dès qu'il sort.",),
    },
    "en": {
        "presales": ("Thanks for reaching out! Pricing is per dashboard, with as many pages as\n"
                     "you like; white-labelling comes with the Pro plan. For {n} clients the\n"
                     "Agency plan would be about {amount} a month.",),
        "support": ("In the dashboard, open 'Sources', then 'Add' and pick {feature}. The data\n"
                    "shows up within a few minutes.",),
        "bug": ("Thanks for the report. I can reproduce it and I've passed it to our\n"
                "engineers; I'll get back to you as soon as I know more.",),
        "billing": ("Done: the corrected invoice {invoice} is in your account, under Billing.",),
        "feedback": ("Thank you, that's great to hear! Dark mode is on our roadmap; I'll let you\n"
                     "know when it ships.",),
    },
    "de": {
        "presales": ("Danke für Ihre Anfrage! Der Preis gilt pro Dashboard; für {n} Kunden\n"
                     "kostet der Agentur-Tarif etwa {amount} im Monat.",),
        "support": ("Öffnen Sie im Dashboard „Quellen“, dann „Hinzufügen“, und wählen Sie\n"
                    "{feature}.",),
        "bug": ("Danke für den Hinweis! Ich kann es nachvollziehen und gebe es an die\n"
                "Technik weiter.",),
        "billing": ("Erledigt: Die korrigierte Rechnung {invoice} liegt in Ihrem Konto.",),
        "feedback": ("Vielen Dank! Der Dunkelmodus steht auf unserer Roadmap.",),
    },
    "es": {
        "presales": ("¡Gracias por escribirnos! El precio es por panel; para {n} clientes el plan\n"
                     "Agencia sale por unos {amount} al mes.",),
        "support": ("En el panel, abre «Fuentes», luego «Añadir» y elige {feature}.",),
        "bug": ("¡Gracias por avisar! Lo reproduzco y se lo paso al equipo técnico.",),
        "billing": ("Hecho: la factura {invoice} corregida está en tu cuenta.",),
        "feedback": ("¡Muchas gracias! El modo oscuro está en nuestra hoja de ruta.",),
    },
    "pt": {
        "presales": ("Obrigado pela mensagem! O preço é por painel; para {n} clientes o plano\n"
                     "Agência fica em cerca de {amount} por mês.",),
        "support": ("No painel, abra «Fontes», depois «Adicionar» e escolha {feature}.",),
        "bug": ("Obrigado pelo aviso! Consigo reproduzir e já passei à equipa técnica.",),
        "billing": ("Feito: a fatura {invoice} corrigida está na sua conta.",),
        "feedback": ("Muito obrigado! O modo escuro está no nosso roteiro.",),
    },
}  # fmt: skip

NUDGE = {
    "fr": "Je me permets de relancer : avez-vous pu regarder ma question ?",
    "en": "Just following up on this: any news?",
    "de": "Kurze Nachfrage: gibt es schon Neuigkeiten?",
    "es": "Os escribo de nuevo: ¿habéis podido verlo?",
    "pt": "Volto a escrever: conseguiram ver a minha pergunta?",
}  # fmt: skip
THANKS = {
    "fr": "Parfait, tout fonctionne. Merci beaucoup !",
    "en": "Perfect, it all works now. Thanks a lot!",
    "de": "Perfekt, jetzt funktioniert alles. Vielen Dank!",
    "es": "Perfecto, ya funciona todo. ¡Muchas gracias!",
    "pt": "Perfeito, agora está tudo a funcionar. Muito obrigado!",
}  # fmt: skip
DONE = {
    "fr": "Tant mieux, c'est réglé ! Je clos la demande ; répondez simplement à ce message\n"
          "si besoin.",
    "en": "Glad it's sorted! I'll close this one; just reply if anything comes up.",
    "de": "Schön, dass es klappt! Ich schließe die Anfrage; antworten Sie einfach bei Bedarf.",
    "es": "¡Me alegro! Cierro la consulta; responde a este mensaje si necesitas algo.",
    "pt": "Ainda bem! Vou fechar o pedido; responda a esta mensagem se precisar.",
}  # fmt: skip
NOTES = (
    "Asked the dev team to look at the connector logs.",
    "Customer on the Agency plan, renewal next month: handle with care.",
    "Same issue as last week's sync incident; linked it in the tracker.",
    "J'ai vérifié côté facturation : le double prélèvement est bien un doublon.",
    "Client historique, très content du produit. Je lui propose la bêta.",
)  # fmt: skip
RATING_COMMENTS = {
    "good": {"fr": "Réponse rapide et claire, merci !", "en": "Quick and clear, thank you!",
             "de": "Schnell und freundlich, danke!", "es": "¡Rápido y claro, gracias!",
             "pt": "Rápido e claro, obrigado!"},
    "okay": {"fr": "Résolu, mais il a fallu relancer.", "en": "Solved, but it took a nudge.",
             "de": "Gelöst, aber es hat gedauert.", "es": "Resuelto, aunque tardó.",
             "pt": "Resolvido, mas demorou."},
    "bad": {"fr": "Trois jours pour une réponse, c'est trop long.",
            "en": "Three days for an answer is too long.",
            "de": "Drei Tage auf eine Antwort ist zu lang.",
            "es": "Tres días para una respuesta es demasiado.",
            "pt": "Três dias por uma resposta é demasiado."},
}  # fmt: skip


@lru_cache(maxsize=1024)
def ascii_part(name: str) -> str:
    """A name as it goes in an address: "Élodie" -> "elodie"."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == "-")


def company(rng: random.Random, lang: Lang) -> tuple[str, str]:
    """A customer's company: (name, domain)."""
    first, second = COMPANY_WORDS[lang]
    name = rng.choice(first) + COMPANY_JOIN[lang] + rng.choice(second)
    return name, ascii_part(name.replace(" ", "-")) + ".example"


def quote(text: str) -> str:
    """The previous message as a mail client quotes it."""
    return "\n".join(">" if not line else "> " + line for line in text.split("\n"))
