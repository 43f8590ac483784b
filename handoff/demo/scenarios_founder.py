"""Demo scenarios (data only): the founder's own mail (investors, lawyers, the press, a
partner), and the noise around it (a newsletter, an out-of-office, a bounce).
``scenarios`` lists them all, ``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import (
    FR_AGENCIES,
    INVESTORS,
    LAW_FIRMS,
    MEDIA,
    NEWSLETTERS,
    ORGS,
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
