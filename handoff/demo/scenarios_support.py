"""Demo scenarios (data only): customers stuck with what they have, the general queue.
``scenarios`` lists them all, ``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import FR_AGENCIES, ORGS, QUEBEC, Scenario, Step

SUPPORT: tuple[Scenario, ...] = (
    Scenario(
        "login-loop",
        "fr",
        "support",
        "support",
        "Impossible de me connecter depuis ce matin",
        ("Hélène", "Dubois"),
        ORGS["fr"][8],
        (
            Step(
                "customer",
                """\
Bonjour,

Depuis ce matin, impossible de me connecter à mon compte : après avoir
saisi mon mot de passe, la page se recharge et me renvoie à l'écran de
connexion, sans message d'erreur. J'ai essayé de réinitialiser le mot de
passe, mais le lien reçu par e-mail indique « lien expiré » alors que je
clique dessus immédiatement.

Même résultat sur Chrome et sur Firefox. Mon identifiant est {email}.

C'est assez urgent : je dois présenter le rapport de février à un client
à 14 h.

Merci,
{full}
""",
                enc="b64",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Désolée pour ce contretemps. Le lien expiré vient d'un souci connu avec
certains filtres antispam d'entreprise, qui « cliquent » sur les liens
pour les analyser avant vous : le lien, à usage unique, est alors consommé.

Je viens de vous envoyer à la place un code de connexion à six chiffres,
qu'aucun filtre ne peut consommer. Il est valable 30 minutes.

Pour la boucle de redirection, pourriez-vous vider les cookies du domaine
acme-reports.example et réessayer ?

{agent}
""",
            ),
            Step(
                "customer",
                """\
C'est bon, le code a fonctionné et j'ai pu me reconnecter. Merci pour la
réactivité, je préviens notre service informatique pour le filtre.

{first}
""",
                enc="b64",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "pdf-blank-pages",
        "en",
        "support",
        "support",
        "PDF export is blank after the first page",
        ("Grace", "Campbell"),
        ORGS["en"][3],
        (
            Step(
                "customer",
                """\
Hi,

Since yesterday, exporting our "Monthly performance" report to PDF gives
a file where only the first page has content. Pages 2 to 6 are blank
apart from the header and the page numbers. The report has 12 widgets,
mostly tables and two line charts.

The web version looks fine. We send this PDF to the board on Monday, so
any help is much appreciated!

{full}
{company}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Hi {first},

Thanks for the detailed report, it made this easy to reproduce. Tables
longer than one page currently break the PDF renderer when they sit next
to a chart, and the rest of the page then comes out blank. The fix is in
review.

In the meantime, two workarounds:
1. set the long tables to "Fit to widget" (Widget settings > Display), or
2. export with "One widget per page" ticked.

I'll let you know as soon as the fix is live.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Option 2 works for now, thanks. Looking forward to the fix.

{first}
""",
                html=True,
            ),
            Step(
                "team",
                """\
Hi {first},

The fix went live this morning: the report should export normally again,
tables and all. Let me know if anything still looks off!

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "google-ads-token",
        "fr",
        "support",
        "support",
        "Erreur du connecteur Google Ads : « Token has been expired or revoked »",
        ("Julie", "Moreau"),
        FR_AGENCIES[2],
        (
            Step(
                "customer",
                """\
Bonjour,

Depuis lundi, le connecteur Google Ads affiche une erreur rouge sur trois
de nos comptes clients, et les widgets correspondants sont vides. Le
message est : « Token has been expired or revoked ». J'ai déjà refait la
connexion une fois, sans effet.

Je vous joins le journal exporté depuis la page Connexions (export.log).
J'ai aussi essayé de générer le rapport en PDF, il est enregistré ici si
besoin : C:\\Users\\{login}\\Downloads\\rapport.pdf
mais il ne contient que des graphiques vides.

Les comptes concernés sont ceux gérés via notre compte administrateur
(MCC) ; les comptes connectés directement fonctionnent.

Merci de votre aide,
{full}
{company}
""",
                enc="qp",
                attach=("export_log",),
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci pour le journal, il est très parlant : l'autorisation Google a été
révoquée côté MCC (ligne « invalid_grant » à 09:14), probablement après
un changement de mot de passe ou le départ d'un administrateur.

Pour corriger :
1. dans Connexions > Google Ads, cliquez sur « Reconnecter » ;
2. connectez-vous avec un compte administrateur du MCC (pas seulement des
   comptes clients) ;
3. relancez la synchronisation avec le bouton « Actualiser ».

Les données manquantes seront récupérées automatiquement sur les 90
derniers jours.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Effectivement, c'était le compte de notre ancien stagiaire. Tout est
revenu, merci !

{first}
""",
                enc="qp",
            ),
        ),
        agent="ines",
    ),
    Scenario(
        "viewer-access",
        "en",
        "support",
        "support",
        "How do I give a client view-only access?",
        ("Liam", "Murphy"),
        ORGS["en"][5],
        (
            Step(
                "customer",
                """\
Hi team,

One of our clients wants to look at their dashboard whenever they like
instead of waiting for the monthly PDF. How do I give them access without
letting them edit widgets or see our other clients?

Thanks!
{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

Open the dashboard, click Share > Invite viewer and enter your client's
email address. Viewers only see the dashboards you share with them, can
change the date range, and can't edit anything.

If you'd rather not create accounts, a password-protected share link does
the same job.

{agent}
""",
            ),
        ),
    ),
    Scenario(
        "scheduled-report",
        "fr",
        "support",
        "support",
        "Rapport hebdomadaire pas reçu lundi",
        ("Émilie", "Gagnon"),
        QUEBEC[0],
        (
            Step(
                "customer",
                """\
Bonjour,

Le rapport hebdomadaire programmé pour lundi 8 h n'est pas arrivé dans
nos boîtes de courriel cette semaine, ni chez moi ni chez notre client.
Les semaines précédentes, tout fonctionnait.

Est-ce qu'il y a eu un changement de votre côté? Nous n'avons rien
modifié dans la programmation.

Merci,
{full}
{company}
""",
                enc="latin1",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Merci de nous avoir avisés. J'ai vérifié nos journaux d'envoi : le
courriel est bien parti lundi à 8 h (heure de Montréal), mais le serveur
de votre client l'a refusé parce que la pièce jointe dépassait 10 Mo.

Je vous suggère de cocher « Envoyer un lien au lieu du PDF » dans les
options de programmation; le courriel sera beaucoup plus léger.

{agent}
""",
            ),
            Step(
                "customer",
                """\
Parfait, c'est fait. Merci pour l'explication!

{first}
""",
                enc="latin1-as-ascii",
            ),
        ),
        agent="sophie",
        orgs=QUEBEC,
    ),
)
