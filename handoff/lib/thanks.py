"""Whether a customer's reply only thanks: "Merci, ça marche !", "Got it, thanks!".

After the team's answer, such a reply asks for nothing: the desk neither reopens a solved
conversation for it nor starts a response clock (``tickets.ingest``, ``routing.actions``).
Freshdesk's "thank you detector" does the same; without it, every polite
customer puts a solved conversation back on a queue and, a day later, breaches its clock.

Pure Python, on the plain text of the message. The test errs towards "it asks for
something": a reply is only thanks when its new text (quoted mail folded away) is short,
says thanks in one of the desk's languages, has no question mark and no word that turns
it into more ("but", "still", "mais", "toujours", "aber", "noch"...). Getting it wrong that
way costs what it cost before: an answer nobody needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from handoff.lib.quote_kinds import B, H, Q, T, classify
from handoff.lib.quotes import fold

MAX_WORDS = 40  # a greeting, two sentences of thanks and a name
MAX_CHARS = 400

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Stems: a word starting with one says thanks. English, French, German, Spanish, Portuguese,
# Italian, Dutch.
_THANKS = (
    "thank",
    "thx",
    "merci",
    "danke",
    "dank",
    "gracias",
    "obrigad",
    "grazie",
    "bedankt",
)
_THANKS_PHRASES = ("much appreciated", "appreciate it", "vielen dank", "muchas gracias")
# Thanks that ask: "thanks in advance", "merci d'avance", "merci de me rappeler".
_ASKING = re.compile(
    r"in advance|d'avance|par avance|im voraus|de antemano|por adelantado|antecipadamente"
    r"|in anticipo|alvast|merci d'(?!avoir)"
    # "merci de me rappeler" asks; "merci de votre aide", "merci de m'avoir répondu" thank.
    r"|merci de (?!(?:votre|vos|ta|tes|la|les|cette|ce|ces|avoir)\b|l'|m'avoir|nous avoir)\w"
    r"|est-ce que"  # a question without its mark
)
_SENTENCE = re.compile(r"[.!]+|\n\s*\n")  # a line break inside a paragraph is wrapping
FIRST_SENTENCES = 3  # the thanks comes early: a greeting, what worked, thanks
# Words that make the reply more than thanks: a but, a problem still there, a new request.
_MORE_BY_LANGUAGE = {
    "en": "but however still yet again not no never nothing doesn't don't didn't isn't won't "
    "can't cannot couldn't wasn't aren't problem issue error wrong broken fails failed failing "
    "another also please could would can need needs want wondering question attached enclosed "
    "urgent urgently asap immediately interested",
    "fr": "mais cependant toujours encore pas ne plus aucun jamais problème souci erreur autre "
    "aussi pourriez pourrais pouvez pourrait besoin question voici joint urgence "
    "urgente immédiatement intéressé intéressée intéressés",
    "de": "aber doch noch immer nicht kein keine keinen nie problem fehler wieder andere auch "
    "bitte könnten können brauchen frage anbei dringend sofort benötige benötigen interessiert",
    "es": "pero todavía aún sigue no nunca problema error otra otro también podrían pueden "
    "necesito necesitamos pregunta adjunto urgencia urgentemente inmediata interesado interesada",
    "pt": "mas porém ainda continua não nunca problema erro outra outro também podem preciso "
    "precisamos pergunta anexo segue urgência imediata interessado interessada",
    "it": "ma però ancora non mai errore altro anche potete allegato urgenza subito interessato",
    "nl": "maar nog niet geen nooit probleem fout ook kunnen vraag bijlage dringend",
}
_MORE = frozenset(word for words in _MORE_BY_LANGUAGE.values() for word in words.split())
_QUESTION_MARKS = ("?", "\uff1f", "\u061f", "¿")
_FIGURES = re.compile(r"\d{3}")  # a reference, an amount, an address: what the team acts on


def only_thanks(text: str) -> bool:
    """Whether the new text of ``text`` thanks and asks for nothing more."""
    # The new text comes first and is short: without thanks in the opening, no need to fold
    # (a third less time on the demo's 15,000 customer messages).
    head = text.lstrip()[: MAX_CHARS * 2].lower()
    if not any(stem in head for stem in _THANKS) and not any(p in head for p in _THANKS_PHRASES):
        return False
    folded = fold(text)
    if _answers_inline(folded.folded):
        return False
    lines = folded.visible.splitlines()
    visible = "\n".join(line for line in lines if not line.lstrip().startswith(">"))
    if not visible or len(visible) > MAX_CHARS:
        return False
    if any(mark in visible for mark in _QUESTION_MARKS) or _FIGURES.search(visible):
        return False
    lowered = visible.lower().replace("’", "'")
    words = _WORD.findall(lowered)
    if not words or len(words) > MAX_WORDS or _ASKING.search(lowered):
        return False
    if any(w in _MORE for w in words):
        return False
    sentences = [s for s in _SENTENCE.split(lowered) if s.strip()]
    opening = " ".join(sentences[:FIRST_SENTENCES])
    return any(w.startswith(_THANKS) for w in _WORD.findall(opening)) or any(
        p in opening for p in _THANKS_PHRASES
    )


def asks_nothing(thanks: bool, inbound: Sequence[Any], outbound: Sequence[Any]) -> bool:
    """Whether a customer's message asks for no answer: it only thanks (``thanks``, what
    :func:`only_thanks` said of it) and the team wrote last. ``inbound`` and ``outbound``:
    the times of the messages counted before it, as :func:`counted` keeps them."""
    return thanks and bool(outbound) and (not inbound or outbound[-1] >= inbound[-1])


def counted[When](messages: Iterable[tuple[When, bool, bool]]) -> tuple[list[When], list[When]]:
    """The times of what the customer wrote and of what the team wrote, from human messages
    given in order as (time, sent by the team, only thanks): the response clocks' input,
    without the customer's thanks that ask for nothing."""
    inbound: list[When] = []
    outbound: list[When] = []
    for at, out, thanks in messages:
        if out:
            outbound.append(at)
        elif not asks_nothing(thanks, inbound, outbound):
            inbound.append(at)
    return inbound, outbound


def _answers_inline(folded: str) -> bool:
    """Whether new text follows quoted lines before the quoted mail's attribution or
    headers: an answer written between the quotes, which the fold leaves folded."""
    quoted = False
    for kind in classify(folded.splitlines())[0]:
        if kind in (B, H):  # an attribution, a forward banner, a header field
            return False
        if kind == Q:
            quoted = True
        elif kind == T and quoted:
            return True
    return False
