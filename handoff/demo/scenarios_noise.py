"""Demo scenarios (data only): the noise around the founder's mail (a newsletter, an
out-of-office, a bounce), and founder mail that came the way noise comes: a press agency's
draft for approval, sent by its mailing tool (list headers), which the noise audit marks as
the founder's. ``scenarios`` lists them all, ``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import FR_AGENCIES, NEWSLETTERS, ORGS, Org, Scenario, Step

PRESS_AGENCY = Org("Plume & Presse", "plume-presse.example", 1)

NOISE: tuple[Scenario, ...] = (
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
    Scenario(
        "press-draft",
        "fr",
        "noise",
        "founder",
        "Projet de communiqué à valider : Acme Reports annonce sa levée de fonds",
        ("", ""),
        PRESS_AGENCY,
        (
            Step(
                "list",
                """\
Bonjour Camille,

Voici le projet de communiqué annonçant votre levée de fonds, sous embargo
jusqu'à mardi 9 h. Pourriez-vous valider votre citation et les chiffres
(montant, fonds chef de file, nombre de clients) avant lundi 18 h ? Nous
l'enverrons ensuite aux journalistes de notre liste.

Le projet complet : https://{domain}/projets/acme-reports

Bien à vous,
L'équipe {company}

Vous recevez ce message en tant que client de {company}.
Se désabonner : https://{domain}/unsubscribe/{token}
""",
                enc="qp",
            ),
        ),
        orgs=(PRESS_AGENCY,),
    ),
)
