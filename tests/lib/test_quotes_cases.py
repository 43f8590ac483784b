"""Quote and signature folding, case by case: French and English mail clients' quotes,
forwards and signatures, text that must stay visible, line endings and the edge cases."""

from __future__ import annotations

import dataclasses

import pytest

from handoff.lib.quotes import Folded, fold
from tests.lib.no_loss import assert_no_loss

# --- French ----------------------------------------------------------------

FRENCH = {
    "gmail": (
        "Bonjour,\n\nMerci pour votre retour.\n\n"
        "Le lun. 3 févr. 2025 à 10:12, Marie <m@x.fr> a écrit :\n> Bonjour\n> Une question ?\n",
        "Bonjour,\n\nMerci pour votre retour.",
        "Le lun. 3 févr. 2025 à 10:12, Marie <m@x.fr> a écrit :",
    ),
    "gmail wrapped over two lines": (
        "Merci !\n\nLe lun. 3 févr. 2025 à 10:12, Marie Dupont <marie.dupont@exemple.fr> a\n"
        "écrit :\n\n> Bonjour\n",
        "Merci !",
        "Le lun. 3 févr. 2025 à 10:12, Marie Dupont",
    ),
    "thunderbird": (
        "Parfait, c'est réglé.\n\nLe 03/02/2025 à 10:12, Marie a écrit :\n> Bonjour\n",
        "Parfait, c'est réglé.",
        "Le 03/02/2025 à 10:12, Marie a écrit :",
    ),
    "outlook with banner": (
        "Bonjour,\n\nVoici la facture.\n\nCordialement,\nJean\n\n-----Message d'origine-----\n"
        "De : Marie Dupont <m@x.fr>\nEnvoyé : lundi 3 février 2025 10:12\nÀ : Jean <j@y.fr>\n"
        "Objet : Facture\n\nPouvez-vous m'envoyer la facture ?\n",
        "Bonjour,\n\nVoici la facture.\n\nCordialement,\nJean",
        "-----Message d'origine-----",
    ),
    "outlook header block": (
        "Bonjour,\n\nC'est noté.\n\nDe : Marie Dupont <m@x.fr>\n"
        "Envoyé : lundi 3 février 2025 10:12\nÀ : Jean <j@y.fr>\nCc : Paul <p@y.fr>\n"
        "Objet : RE: Livraison\n\nOù en est ma commande ?\n",
        "Bonjour,\n\nC'est noté.",
        "De : Marie Dupont <m@x.fr>",
    ),
    "iphone": (
        "D'accord, merci.\n\nEnvoyé de mon iPhone\n\n"
        "> Le 3 févr. 2025 à 10:12, Marie <m@x.fr> a écrit :\n>\n> Bonjour\n",
        "D'accord, merci.",
        "Envoyé de mon iPhone",
    ),
    "gmail forward": (
        "Pour info.\n\n---------- Message transféré ---------\nDe : Marie <m@x.fr>\n"
        "Date: lun. 3 févr. 2025 à 10:12\nSubject: Test\nTo: <j@y.fr>\n\nCorps du message\n",
        "Pour info.",
        "---------- Message transféré ---------",
    ),
    "apple mail forward": (
        "Voir ci-dessous.\n\nDébut du message réexpédié :\n\nDe: Marie <m@x.fr>\n"
        "Objet: Test\nDate: 3 février 2025 à 10:12:00 UTC+1\nÀ: Jean <j@y.fr>\n\nCorps\n",
        "Voir ci-dessous.",
        "Début du message réexpédié :",
    ),
    "signature": (
        "Le colis est bien arrivé.\n\n-- \nJean Martin\nService client\n01 23 45 67 89\n",
        "Le colis est bien arrivé.",
        "-- \nJean Martin",
    ),
    "outlook mobile": (
        "Oui.\n\nObtenir Outlook pour iOS\n________________________________\n"
        "De : Marie <m@x.fr>\nEnvoyé : lundi 3 février 2025 10:12\nObjet : Question\n",
        "Oui.",
        "Obtenir Outlook pour iOS",
    ),
}


@pytest.mark.parametrize("case", FRENCH.values(), ids=FRENCH.keys())
def test_french(case: tuple[str, str, str]) -> None:
    text, visible, folded_start = case
    result = fold(text)
    assert result.visible == visible
    assert result.folded.startswith(folded_start)
    assert_no_loss(text, result)


@pytest.mark.parametrize(
    "text",
    [
        # "écrit" ends the line, but it is "j'ai écrit", not an attribution
        "Le 3 mars, j'ai écrit :\n- le numéro de commande\n- l'adresse\n\nMerci",
        "Le client a écrit plusieurs fois à ce sujet.\nObjet : remboursement\nMerci.",
        "De : mon point de vue, c'est une erreur.\nÀ : corriger vite.\nDate : demain ?",
        "Envoyé le 3 mars, toujours rien reçu.",
    ],
)
def test_french_text_that_stays(text: str) -> None:
    assert fold(text) == Folded(visible=text.strip(), folded="")


# --- English ---------------------------------------------------------------

ENGLISH = {
    "gmail": (
        "Works now, thanks!\n\nOn Mon, Feb 3, 2025 at 10:12 AM Bob <bob@example.com> wrote:\n\n"
        "> Try restarting it.\n>\n> Bob\n",
        "Works now, thanks!",
        "On Mon, Feb 3, 2025 at 10:12 AM Bob",
    ),
    "gmail wrapped over two lines": (
        "Works now.\n\nOn Mon, Feb 3, 2025 at 10:12 AM Bob Smith <bob.smith@example.com>\n"
        "wrote:\n\n> Try restarting.\n",
        "Works now.",
        "On Mon, Feb 3, 2025 at 10:12 AM Bob Smith",
    ),
    "outlook header block": (
        "Hi,\n\nSee attached.\n\nFrom: Bob <b@x.com>\nSent: Monday, February 3, 2025 10:12 AM\n"
        "To: Alice <a@y.com>\nSubject: Invoice\n\nCan you send it?\n",
        "Hi,\n\nSee attached.",
        "From: Bob <b@x.com>",
    ),
    "original message": (
        "Done.\n\n-----Original Message-----\nFrom: Bob\nSent: Monday\nSubject: Hi\n\nPlease do.\n",
        "Done.",
        "-----Original Message-----",
    ),
    "gmail forward": (
        "FYI\n\n---------- Forwarded message ---------\nFrom: Bob <b@x.com>\n"
        "Date: Mon, Feb 3, 2025 at 10:12 AM\nSubject: Outage\nTo: <a@y.com>\n\nIt is down.\n",
        "FYI",
        "---------- Forwarded message ---------",
    ),
    "apple mail forward": (
        "See below.\n\n> Begin forwarded message:\n>\n> From: Bob <b@x.com>\n"
        "> Subject: Outage\n> Date: 3 February 2025 at 10:12:00 GMT\n>\n> It is down.\n",
        "See below.",
        "> Begin forwarded message:",
    ),
    "quoted block": ("Yes.\n\n> Can you confirm?\n> Thanks\n", "Yes.", "> Can you confirm?"),
    "signature": ("Fixed.\n\n-- \nBob Smith\nACME Corp\n", "Fixed.", "-- \nBob Smith"),
    "sent from my iphone": (
        "Sure.\n\nSent from my iPhone\n\n> On Feb 3, 2025, at 10:12, Bob <b@x.com> wrote:\n",
        "Sure.",
        "Sent from my iPhone",
    ),
    "name wrote, then a quote": ("Agreed.\n\nBob Smith wrote:\n> Ship it.\n", "Agreed.", "Bob"),
    "reply above this line": (
        "Thanks!\n\n##- Please type your reply above this line -##\n\nTicket #42 was updated.",
        "Thanks!",
        "##- Please type",
    ),
}


@pytest.mark.parametrize("case", ENGLISH.values(), ids=ENGLISH.keys())
def test_english(case: tuple[str, str, str]) -> None:
    text, visible, folded_start = case
    result = fold(text)
    assert result.visible == visible
    assert result.folded.startswith(folded_start)
    assert_no_loss(text, result)


@pytest.mark.parametrize(
    "text",
    [
        "My booking:\nFrom: Paris\nTo: London\nDate: 12 May 2025\n\nPlease help.",
        "From my point of view this is wrong.\nPlease fix it.",
        "The error on line 42 says:\nTraceback (most recent call last)\nValueError",
        "I wrote to support@acme.com twice, on 3 May and 5 May:\n1. first\n2. second",
        "Steps\n=====\n1. open the app\n2. tap Settings",
        "| plan | price |\n|------|-------|\n| pro  | 10    |",
        "Code:\n\n```\n# comment\n####\n--\n```\n\nDoes that help?",
        # bottom-posted and inline replies: the new text is below the quote
        "On Mon, Feb 3, 2025 at 10:12 AM Bob <b@x.com> wrote:\n> Question one?\nAnswer one.",
        "> Is it fixed?\n\nYes, since this morning.",
        "Q: does it work?\nA: no\n\nThanks",
    ],
)
def test_english_text_that_stays(text: str) -> None:
    assert fold(text) == Folded(visible=text.strip(), folded="")


def test_line_endings_are_normalised() -> None:
    crlf = fold("Hello\r\n\r\nOn Mon, Feb 3, 2025, Bob <b@x.com> wrote:\r\n> hi\r\n")
    assert crlf == Folded("Hello", "On Mon, Feb 3, 2025, Bob <b@x.com> wrote:\n> hi")
    assert fold("a\rb\r\r> c\r") == Folded("a\nb", "> c")


def test_only_quoted_mail() -> None:
    text = "> On Mon, Feb 3, 2025, Bob <b@x.com> wrote:\n> hi\n"
    assert fold(text) == Folded("", text.strip())
    assert fold("> Only a quote.") == Folded("> Only a quote.", "")  # nothing to set it apart


def test_empty_and_blank() -> None:
    assert fold("") == Folded("", "")
    assert fold(" \n\t\r\n ") == Folded("", "")


def test_folded_is_frozen() -> None:
    result = fold("x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.visible = "y"  # type: ignore[misc]
