"""Demo scenarios (data only): the founder's own mail (investors, lawyers, the press, a
partner). ``scenarios`` lists them all, ``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import (
    INVESTORS,
    LAW_FIRMS,
    MEDIA,
    PARTNERS,
    Scenario,
    Step,
)

FOUNDER: tuple[Scenario, ...] = (
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
)
