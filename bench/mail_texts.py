"""What the benchmark's mail says: topics, greetings, replies, signatures' pieces, dates
and the encodings French mail comes in (data only; ``mailgen.py`` writes the mail)."""

from __future__ import annotations

TOPICS: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "pricing": {
        "en": (
            (
                "Question about pricing for {m} users",
                "Upgrade from {plan} to Business?",
                "Annual billing discount",
                "Do you offer nonprofit pricing?",
                "Quote needed for {company}",
            ),
            (
                "We are currently on the {plan} plan with {n} seats and are thinking about moving "
                "the whole finance team over. Could you tell me what the price would be for {m} "
                "users on annual billing?",
                "Your pricing page mentions a discount for yearly payment but I could not find the "
                "exact figure. Is it still 20%, and does it apply to seats added during the year?",
                "We are a small nonprofit of about {n} people. Is there any special pricing, or a "
                "way to pay by bank transfer instead of card?",
                "If we upgrade in the middle of the month, is the difference prorated or do we pay "
                "the full month twice?",
                "Our procurement department needs a formal quote on letterhead before they can "
                "approve the purchase. Could you send one for the {plan} plan, {m} users, billed "
                "yearly, to the attention of {company}?",
            ),
        ),
        "fr": (
            (
                "Tarif pour {m} utilisateurs",
                "Passage de l'offre {plan} à Business",
                "Remise pour paiement annuel",
                "Tarif association ?",
                "Demande de devis {company}",
            ),
            (
                "Nous utilisons actuellement l'offre {plan} avec {n} licences et nous envisageons "
                "d'y passer tout le service comptable. Pourriez-vous m'indiquer le prix pour {m} "
                "utilisateurs en facturation annuelle ?",
                "Votre page de tarifs parle d'une remise pour le paiement à l'année, mais je n'ai "
                "pas trouvé le montant exact. Est-ce toujours 20 %, et s'applique-t-elle aux "
                "licences ajoutées en cours d'année ?",
                "Nous sommes une petite association d'environ {n} personnes. Existe-t-il un tarif "
                "préférentiel, ou la possibilité de payer par virement plutôt que par carte ?",
                "Si nous changeons d'offre en milieu de mois, la différence est-elle calculée au "
                "prorata ou payons-nous deux fois le mois entier ?",
                "Notre service achats a besoin d'un devis en bonne et due forme avant de valider "
                "la commande. Pourriez-vous nous en établir un pour l'offre {plan}, {m} "
                "utilisateurs, facturation annuelle, à l'attention de {company} ?",
            ),
        ),
    },
    "login": {
        "en": (
            (
                "Cannot log in since this morning",
                "Password reset email never arrives",
                "SSO login loops back to the sign-in page",
                "Account locked after failed attempts",
                "Two-factor code rejected",
            ),
            (
                'Since this morning I get "Invalid credentials" when I try to sign in, although '
                "I reset my password twice. My colleagues on the same account can log in without "
                "any problem.",
                "I requested a password reset three times in the last hour and no email arrived, "
                "not even in the spam folder. Could our mail server be filtering you out?",
                'After clicking "Sign in with Google" I land back on the login page, again and '
                "again. I cleared my cookies and tried both Firefox and Chrome: same thing.",
                "One of our users got locked out after a few failed attempts. Could you unlock the "
                "account? She needs to send the {report} report to the board today.",
                "The six-digit code from my authenticator app is refused every time. The clock on "
                "my phone is set automatically, so I do not think it is a time drift.",
            ),
        ),
        "fr": (
            (
                "Impossible de me connecter depuis ce matin",
                "Je ne reçois pas l'e-mail de réinitialisation",
                "La connexion SSO me renvoie à la page d'accueil",
                "Compte bloqué après plusieurs essais",
                "Code de double authentification refusé",
            ),
            (
                "Depuis ce matin, j'obtiens « Identifiants invalides » quand j'essaie de me "
                "connecter, alors que j'ai réinitialisé mon mot de passe deux fois. Mes collègues "
                "arrivent à se connecter sans problème.",
                "J'ai demandé trois fois la réinitialisation de mon mot de passe depuis une heure "
                "et je n'ai rien reçu, même pas dans les indésirables. Notre serveur de messagerie "
                "vous bloquerait-il ?",
                "Après avoir cliqué sur « Se connecter avec Google », je reviens sur la page de "
                "connexion, encore et encore. J'ai effacé les cookies et essayé Firefox et Chrome : "
                "même résultat.",
                "Une de nos utilisatrices a été bloquée après quelques tentatives échouées. "
                "Pourriez-vous débloquer son compte ? Elle doit envoyer le rapport « {report} » "
                "au conseil d'administration aujourd'hui.",
                "Le code à six chiffres de mon application d'authentification est refusé à chaque "
                "fois. L'heure de mon téléphone est réglée automatiquement, ce n'est donc pas un "
                "décalage d'horloge.",
            ),
        ),
    },
    "export": {
        "en": (
            (
                "CSV export stops after {k} rows",
                "PDF export shows wrong totals",
                "Scheduled export did not run last night",
                "Excel export: dates shifted by one day",
                'Export of "{report}" times out',
            ),
            (
                'When I export the "{report}" report to CSV, the file stops at exactly {k} rows, '
                "while the dashboard shows {k2}. I attached the log from the export page.",
                "The totals in the PDF export do not match the ones on screen: the PDF says "
                "{amount} while the dashboard says {amount2}. It looks like the region filter is "
                "ignored.",
                "Our scheduled export to the shared drive did not run last night (job {job}). "
                "Nothing in the activity feed, and no error email either.",
                "Every date in the Excel export is one day earlier than in the app. We are in the "
                "Europe/Paris time zone, if that matters.",
                'Exporting "{report}" for the whole year spins for several minutes and then shows '
                '"Something went wrong". Exporting a single month works fine.',
            ),
        ),
        "fr": (
            (
                "L'export CSV s'arrête à {k} lignes",
                "Totaux faux dans l'export PDF",
                "L'export planifié n'a pas tourné cette nuit",
                "Export Excel : dates décalées d'un jour",
                "L'export « {report} » n'aboutit pas",
            ),
            (
                "Quand j'exporte le rapport « {report} » en CSV, le fichier s'arrête à exactement "
                "{k} lignes, alors que le tableau de bord en affiche {k2}. Je joins le journal de "
                "la page d'export.",
                "Les totaux de l'export PDF ne correspondent pas à ceux de l'écran : le PDF indique "
                "{amount} alors que le tableau de bord affiche {amount2}. On dirait que le filtre "
                "par région est ignoré.",
                "Notre export planifié vers le dossier partagé n'a pas été exécuté cette nuit "
                "(tâche {job}). Rien dans le fil d'activité, et aucun e-mail d'erreur non plus.",
                "Toutes les dates de l'export Excel sont décalées d'un jour par rapport à "
                "l'application. Nous sommes sur le fuseau Europe/Paris, si cela peut aider.",
                "L'export de « {report} » sur l'année complète tourne pendant plusieurs minutes "
                "puis affiche « Une erreur est survenue ». Sur un seul mois, cela fonctionne.",
            ),
        ),
    },
    "invoice": {
        "en": (
            (
                "Invoice {inv}: wrong VAT number",
                "Copy of last month's invoice",
                "Charged twice in {month}",
                "Please change the billing address",
                "Refund for unused seats",
            ),
            (
                "Invoice {inv} shows our old VAT number. Could you issue a corrected invoice? Our "
                "accountant cannot book it as it is.",
                "I cannot find the invoice for {month} in the billing section. Could you send a "
                "copy to this address, in PDF?",
                "Our card was charged twice in {month}, {amount} each time. Please refund the "
                "duplicate payment; the bank statement is attached.",
                "We moved offices. From now on, the invoices should be addressed to {company}, "
                "Accounts Payable, 1200 Harbor Street, Suite 400.",
                "We reduced the team from {m} to {n} users last month but were billed for all of "
                "them. Is a prorated refund possible?",
            ),
        ),
        "fr": (
            (
                "Facture {inv} : numéro de TVA erroné",
                "Copie de la facture du mois dernier",
                "Prélevé deux fois en {month}",
                "Changement d'adresse de facturation",
                "Remboursement de licences inutilisées",
            ),
            (
                "La facture {inv} porte notre ancien numéro de TVA intracommunautaire. Pourriez-"
                "vous émettre une facture rectificative ? Notre comptable ne peut pas "
                "l'enregistrer en l'état.",
                "Je ne trouve pas la facture de {month} dans l'espace facturation. Pourriez-vous "
                "m'en envoyer une copie en PDF à cette adresse ?",
                "Notre carte a été débitée deux fois en {month}, {amount} à chaque fois. Merci de "
                "rembourser le paiement en double ; le relevé bancaire est en pièce jointe.",
                "Nous avons déménagé. Dorénavant, les factures doivent être adressées à {company}, "
                "service comptabilité, 12 rue des Écoles, 31000 Toulouse.",
                "Nous sommes passés de {m} à {n} utilisateurs le mois dernier mais avons été "
                "facturés pour tous. Un remboursement au prorata est-il possible ?",
            ),
        ),
    },
}
GREETING = {
    "en": ("Hello,", "Hi,", "Hi there,", "Good morning,", "Dear support team,"),
    "fr": ("Bonjour,", "Bonjour Madame, Monsieur,", "Bonsoir,", "Bonjour à toute l'équipe,"),
}
EXTRA = {
    "en": (
        "This is quite urgent for us, as the quarter closes on Friday.",
        "Thanks in advance for your help.",
        "I am happy to jump on a call if it is easier to look at it together.",
        "Our account ID is {job}, in case you need it.",
        "We have been happy customers for {n} months, so I hope this can be sorted quickly.",
    ),
    "fr": (
        "C'est assez urgent pour nous, la clôture trimestrielle a lieu vendredi.",
        "Merci d'avance pour votre aide.",
        "Je suis disponible pour un appel si c'est plus simple d'en parler de vive voix.",
        "Notre identifiant de compte est le {job}, si besoin.",
        "Nous sommes clients depuis {n} mois et très satisfaits, j'espère que cela pourra "
        "être réglé rapidement.",
    ),
}
CLOSING = {
    "en": ("Best regards,", "Thanks,", "Kind regards,", "Cheers,"),
    "fr": ("Cordialement,", "Bien cordialement,", "Merci, bonne journée,", "Bien à vous,"),
}
DISCLAIMER = {
    "en": "This e-mail and any attachments are confidential and intended solely for the "
    "addressee. If you have received it in error, please notify the sender and delete it. "
    "Any unauthorised use, disclosure or copying is prohibited.",
    "fr": "Ce message et ses pièces jointes sont confidentiels et destinés exclusivement à leur "
    "destinataire. Si vous l'avez reçu par erreur, merci d'en avertir l'expéditeur et de "
    "le supprimer. Toute utilisation ou diffusion non autorisée est interdite.",
}
AGENT_REPLY: dict[str, dict[str, tuple[str, ...]]] = {
    "any": {
        "en": (
            "Thanks for reaching out. I have passed this on to the right team and will get "
            "back to you as soon as I hear from them.",
            "Could you tell me the name of your workspace and the e-mail address you use to "
            "sign in? I could not find your account from this address.",
        ),
        "fr": (
            "Merci pour votre message. J'ai transmis votre demande à l'équipe concernée et je "
            "reviens vers vous dès que j'ai leur réponse.",
            "Pourriez-vous m'indiquer le nom de votre espace de travail et l'adresse e-mail "
            "avec laquelle vous vous connectez ? Je ne retrouve pas votre compte.",
        ),
    },
    "pricing": {
        "en": (
            "For that many users the Business plan comes to $18 per user and month on annual "
            "billing, 20% less than monthly. Seats added during the year are prorated.",
            "Yes, we offer 50% off to registered nonprofits. I have attached the quote; bank "
            "transfer is fine for annual plans.",
        ),
        "fr": (
            "Pour ce nombre d'utilisateurs, l'offre Business revient à 16 € par utilisateur "
            "et par mois en facturation annuelle, soit 20 % de moins qu'au mois. Les licences "
            "ajoutées en cours d'année sont calculées au prorata.",
            "Oui, nous accordons 50 % de remise aux associations. Vous trouverez le devis en "
            "pièce jointe ; le virement est possible pour les offres annuelles.",
        ),
    },
    "login": {
        "en": (
            "I have unlocked the account and reset the sign-in attempts. Could you try again "
            "and tell me whether it works now?",
            "Our reset e-mails come from no-reply@lumenreports.example; could you ask your IT "
            "team to allow that address? I have sent a new link in the meantime.",
        ),
        "fr": (
            "J'ai débloqué le compte et remis à zéro les tentatives de connexion. Pourriez-vous "
            "réessayer et me dire si cela fonctionne ?",
            "Nos e-mails de réinitialisation partent de no-reply@lumenreports.example ; "
            "pourriez-vous demander à votre service informatique d'autoriser cette adresse ? "
            "Je vous ai renvoyé un lien en attendant.",
        ),
    },
    "export": {
        "en": (
            "Sorry for the trouble. This is a known issue in the current release; a fix is "
            "planned for next week. In the meantime, exporting month by month works around it.",
            "Thanks for the log, it helped a lot: the export hit a row limit on our side. I "
            "raised it for your workspace; the next scheduled run should be complete.",
        ),
        "fr": (
            "Désolée pour la gêne occasionnée. Il s'agit d'un problème connu de la version "
            "actuelle ; un correctif est prévu la semaine prochaine. En attendant, un export "
            "mois par mois permet de le contourner.",
            "Merci pour le journal, il nous a bien aidés : l'export atteignait une limite de "
            "lignes de notre côté. Je l'ai relevée pour votre espace ; la prochaine exécution "
            "devrait être complète.",
        ),
    },
    "invoice": {
        "en": (
            "I have attached the corrected invoice. Let me know if anything else is missing.",
            "You are right, the second payment was a duplicate. The refund is on its way and "
            "should show on your statement within five to ten business days.",
        ),
        "fr": (
            "Vous trouverez en pièce jointe la facture rectifiée. N'hésitez pas si quelque "
            "chose manque.",
            "Vous avez raison, le second prélèvement était un doublon. Le remboursement est en "
            "cours et apparaîtra sur votre relevé sous cinq à dix jours ouvrés.",
        ),
    },
}
CUSTOMER_REPLY = {
    "en": (
        "Thanks, that worked. You can close the ticket.",
        "Still the same problem, I am afraid. I tried again ten minutes ago.",
        "Thank you for the quick answer. One more question: does this also apply to our "
        "second workspace?",
        "Any news on this? We really need it before the end of the week.",
    ),
    "fr": (
        "Merci, cela fonctionne maintenant. Vous pouvez clore la demande.",
        "Toujours le même problème, malheureusement. J'ai réessayé il y a dix minutes.",
        "Merci pour la réponse rapide. Une dernière question : est-ce valable aussi pour "
        "notre second espace de travail ?",
        "Avez-vous du nouveau ? Nous en avons vraiment besoin avant la fin de la semaine.",
    ),
}
DAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "fr": ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."),
}
MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": (
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
    ),
}
MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet"),
}
# French bodies: (charset, Content-Transfer-Encoding), weighted.
FRENCH_ENCODINGS = (
    ("utf-8", "quoted-printable"),
    ("utf-8", "quoted-printable"),
    ("utf-8", "base64"),
    ("utf-8", "8bit"),
    ("iso-8859-1", "quoted-printable"),
    ("iso-8859-1", "quoted-printable"),
    ("iso-8859-1", "base64"),
    ("iso-8859-1", "8bit"),
)
OUTLOOK_STYLE = (
    "<style><!--\n"
    + "".join(
        f'@font-face {{font-family:"{font}"; panose-1:2 15 5 2 2 2 4 3 2 4;}}\n'
        for font in ("Cambria Math", "Calibri", "Aptos", "Segoe UI")
    )
    + "p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:11.0pt; "
    'font-family:"Calibri",sans-serif; mso-ligatures:standardcontextual;}\n'
    "a:link, span.MsoHyperlink {mso-style-priority:99; color:#0563C1; "
    "text-decoration:underline;}\n"
    'span.EmailStyle17 {mso-style-type:personal-compose; font-family:"Calibri",sans-serif; '
    "color:windowtext;}\n.MsoChpDefault {mso-style-type:export-only; "
    'font-family:"Calibri",sans-serif;}\n@page WordSection1 {size:612.0pt 792.0pt; '
    "margin:72.0pt 72.0pt 72.0pt 72.0pt;}\ndiv.WordSection1 {page:WordSection1;}\n--></style>"
)
