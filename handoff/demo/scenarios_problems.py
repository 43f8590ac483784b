"""Demo scenarios (data only): bugs, billing and feedback, what the team fixes, bills and
hears; the billing's texts are in ``scenarios_billing``. ``scenarios`` lists them all,
``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import FR_AGENCIES, ORGS, Scenario, Step
from handoff.demo.scenarios_billing import BILLING

PROBLEMS: tuple[Scenario, ...] = (
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
    *BILLING,  # in their place among the bugs: the demo's data follows this order
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
)
