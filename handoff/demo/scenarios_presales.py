"""Demo scenarios (data only): buyers asking before they buy, the pre-sales the founder
promised an answer to within the hour. ``scenarios`` lists them all, ``cast`` holds the
types and the people."""

from __future__ import annotations

from handoff.demo.cast import FR_AGENCIES, ORGS, Scenario, Step

PRESALES: tuple[Scenario, ...] = (
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
)
