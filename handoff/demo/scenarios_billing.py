"""Demo scenarios (data only): billing, what the team invoices, corrects and refunds. They
play among the bugs of ``scenarios_problems``, in the order the demo has them there;
``scenarios`` lists them all, ``cast`` holds the types and the people."""

from __future__ import annotations

from handoff.demo.cast import BELGIUM, ORGS, Scenario, Step

BILLING: tuple[Scenario, ...] = (
    Scenario(
        "invoice-request",
        "en",
        "billing",
        "support",
        "Invoice needed for our accountant",
        ("Olivia", "Bennett"),
        ORGS["en"][9],
        (
            Step(
                "customer",
                """\
Hi,

Our accountant needs a proper invoice for last month's payment; the email
receipt isn't enough for them. Could you send it as a PDF, with our
company name ({company}) and address on it?

Thanks,
{first}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

Here you go: invoice {invoice} is attached as a PDF. You can also download
every past invoice from Settings > Billing > Invoices, and add your
company address there so it shows on future ones automatically.

{agent}
""",
                attach=("invoice_pdf",),
            ),
            Step(
                "customer",
                """\
Got it, thanks for the quick turnaround!

{first}
""",
            ),
        ),
    ),
    Scenario(
        "vat-reverse-charge",
        "fr",
        "billing",
        "support",
        "Numéro de TVA absent de la facture {invoice}",
        ("Sébastien", "Lemaire"),
        BELGIUM[0],
        (
            Step(
                "customer",
                """\
Bonjour,

Sur votre dernière facture ({invoice}), la TVA française de 20 % a été
appliquée. Or nous sommes une société belge assujettie à la TVA
({vat_be}), l'autoliquidation devrait donc s'appliquer.

Pourriez-vous corriger la facture et y ajouter notre numéro de TVA ?
Notre comptable ne peut pas l'enregistrer en l'état.

Merci d'avance et bonne journée,

{full}
{company}
""",
                enc="latin1",
            ),
            Step(
                "team",
                """\
Bonjour {first},

Vous avez raison : votre numéro de TVA n'avait pas été validé à
l'inscription. Je l'ai ajouté et vérifié dans VIES, puis j'ai émis un avoir
et une nouvelle facture en autoliquidation, que vous trouverez en pièce
jointe et dans Paramètres > Facturation.

La différence de TVA sera remboursée sur votre carte sous 5 à 10 jours.

{agent}
""",
                attach=("invoice_pdf",),
            ),
            Step(
                "customer",
                """\
Parfait, merci pour la correction rapide.

Cordialement,
{full}
""",
                enc="latin1",
            ),
        ),
        agent="ines",
        orgs=BELGIUM,
    ),
    Scenario(
        "refund-annual",
        "en",
        "billing",
        "support",
        "Charged for a yearly plan by mistake, refund?",
        ("Sam", "Reyes"),
        ORGS["en"][7],
        (
            Step(
                "customer",
                """\
Hi,

I meant to switch to the monthly Pro plan but clicked the annual option by
mistake, and I was charged {amount} today. We're a two-person shop and
that's a big chunk of our month.

Could you refund it and put me on monthly instead? Happy to pay for the
current month, of course.

Sorry for the hassle,
{full}
""",
            ),
            Step(
                "team",
                """\
Hi {first},

No hassle at all, it happens more often than you'd think. I've refunded
the annual charge in full and switched you to the monthly plan; the first
monthly payment will be taken on your usual date. The refund usually shows
on your statement within 5 to 10 business days.

{agent}
""",
            ),
            Step(
                "customer",
                """\
That's great, thank you so much!

{first}
""",
            ),
        ),
    ),
)
