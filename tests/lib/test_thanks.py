"""A reply that only thanks, in the desk's languages, and what must not pass for one."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from handoff.lib import mime, rawmail
from handoff.lib.thanks import only_thanks

MAILBOX = Path(__file__).resolve().parents[3] / "shared" / "bench" / "founder-mailbox" / "public"


@pytest.mark.parametrize(
    "text",
    [
        "Got it, thanks for the quick turnaround!\n\nOlivia\n\nOn Thu, Nov 26, 2026 at 6:46 AM, "
        "Chris <support@acme.example> wrote:\n> The refund is on its way.\n",
        "That's great, thank you so much!\n\nSam",
        "Thanks Chris, that covers it. I've accepted the DPA in the app.\n\nRyan",
        "Parfait, merci pour la correction rapide.\n\nCordialement,\nSébastien Lemaire",
        "Merci ! La duplication marche bien, ça nous dépanne en attendant.\n\nAntoine",
        "C'est bon, le code a fonctionné et j'ai pu me reconnecter. Merci pour la réactivité.",
        "Vielen Dank, jetzt klappt es!\n\nGrüße\nKatharina",
        "¡Perfecto, muchas gracias!\n\nSofía",
        "Perfeito, obrigada pela ajuda rápida.\n\nMariana",
        "Much appreciated.",
        "Merci de m'avoir répondu si vite !",
        "Merci de votre aide, c'est réglé.",
        # Hard-wrapped: a line break inside a sentence does not push the thanks back.
        "Confirmed, the numbers match GA4 now, including the older weeks. Our\nclient is "
        "happy. Thanks for following up!\n\nBen",
    ],
)
def test_a_reply_that_only_thanks(text: str) -> None:
    assert only_thanks(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, but it still fails when I export to PDF.",
        "Thanks! Can you also add my colleague?",
        "Merci, mais ça ne marche toujours pas.",
        "Merci pour le retour. Est-ce que la facture sera corrigée",
        "Merci de me rappeler au 06 12 34 56 78.",
        "Merci de lancer la synchronisation.",
        "Thanks in advance for looking into this.",
        "Danke, aber der Fehler ist noch da.",
        "Gracias, pero todavía no puedo entrar.",
        "Obrigado, mas ainda não funciona.",
        # What the team asked for, with thanks: something to act on.
        "Bonjour Inès,\n\nVoici nos coordonnées : Agence Lumière, 12 rue de la République, "
        "69002 Lyon.\n\nMerci",
        "Thanks. Please send the invoice to accounts@client.example instead.",
        # A new request that ends politely: the thanks does not open it.
        "Hello, our dashboard has been empty since Monday and the client meeting is at 3. "
        "The sync log shows nothing. We tried reconnecting the source twice. Thank you.",
        "Sehr geehrter Kundenservice, ich benötige Hilfe bei einer Rechnungsdiskrepanz in "
        "meinem Abonnement. Vielen Dank.",
        "Ok.",
        "",
        "> Thanks\n> quoted only",
    ],
)
def test_what_asks_for_more_is_not_only_thanks(text: str) -> None:
    assert not only_thanks(text)


def test_long_mail_is_never_only_thanks() -> None:
    assert not only_thanks("Thanks! " + "The report looks right now. " * 30)


@pytest.mark.skipif(not MAILBOX.is_dir(), reason="the shared founder mailbox is not here")
def test_first_messages_of_the_founder_mailbox_are_not_taken_for_thanks() -> None:
    """Real customers' first mail (the public founder mailbox's 1,112 team messages, five
    languages) asks for something, however politely it ends: none is only thanks."""
    taken = []
    with (MAILBOX / "labels.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lane"] != "team":
                continue
            raw = (MAILBOX / "msgs" / row["file"]).read_bytes()
            parsed = mime.parse(raw, rawmail.envelope(raw).message_id)
            if only_thanks(parsed.text):
                taken.append(row["file"])
    assert taken == []


def test_an_answer_between_the_quotes_is_more_than_thanks() -> None:
    text = (
        "Thanks Colm,\n\n-----------\n> You said the export was fixed.\n-----------\n\n"
        "Yep, but the totals are wrong on the second page.\n"
    )
    assert not only_thanks(text)
    signed = "Thanks, that works now.\n\n-- \nColm Byrne\nAcme Ltd, +353 1 555 0199\n"
    assert only_thanks(signed)
