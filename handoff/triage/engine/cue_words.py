"""The cue words (``handoff.triage.engine.cues``): plain Python, for the decision layer,
which must not load scikit-learn in the process that writes."""

from __future__ import annotations

import re
import unicodedata

# Matched on lower-cased text without accents.
CUES = {
    "sales": r"\b(?:sales|pre-?sales|ventes?|pre-?ventes?|verkauf\w*|vertrieb\w*|ventas?"
    r"|pre-?ventas?|vendas?|pre-?vendas?)\b",
    "buy": r"\b(?:buy|buying|purchas\w*|acheter|achats?|kauf\w*|gekauft|anschaff\w*"
    r"|compra\w*|comprar|adquirir|adquisicion\w*)\b",
    "price": r"\b(?:pric(?:e|es|ed|ing)|quotes?|quotations?|cost estimates?|devis|tarif\w*|prix"
    r"|estimations? (?:des |de )?couts?|kostenvoranschl\w*|preis\w*|angebot\w*|precios?"
    r"|presupuestos?|cotiza\w*|estimacion\w* de costos?|precos?|orcamentos?|cotac\w*"
    r"|estimativas? de custos?)\b",
    "volume": r"\b(?:discounts?|rabatt\w*|mengenrabatt\w*|remises?|descuentos?|descontos?"
    r"|bulk|wholesale|al por mayor|en gros|por atacado)\b",
    "interest": r"\b(?:interested in|considering|interesse\w*|interessiert|interesad\w*"
    r"|interessad\w*|in betracht|envisage\w*)\b",
    "scam": r"\b(?:strict(?:est)? confiden\w*|next of kin|beneficiar(?:y|ies)"
    r"|transfer (?:of )?(?:the |this )?(?:sum|funds?|money)|(?:million|billion) (?:united states "
    r"|us )?dollars|us\$|usd ?0|foreign (?:partner|account)|barrister|late (?:president|husband"
    r"|father|wife)|consignment|lottery|winning (?:number|ticket)|claims? agent|urgent business"
    r"|business (?:relationship|proposal)|confidential transaction|risk free)\b",
}
# A problem with, or a change to, what one already has: the opposite of asking to buy,
# even when a price or a purchase is named ("a refund for the laptop I bought").
PROBLEM = re.compile(
    r"\b(?:issues?|problems?|errors?|faulty|broken|defect\w*|malfunction\w*|not work\w*"
    r"|does ?n.t work|stopped working|fail(?:s|ed|ing|ure)?|crash\w*|return(?:s|ed|ing)?"
    r"|exchange|refund\w*|warranty|repair\w*|replace\w*|troubleshoot\w*"
    r"|problemes?|pannes?|erreurs?|defectueu\w*|retour|echange|rembourse\w*|garantie"
    r"|reparation|remplacement|ne fonctionne"
    r"|fehler\w*|defekt\w*|storung\w*|ruckgabe|umtausch|erstattung|garantie\w*"
    r"|reparatur\w*|ersatz\w*|funktioniert nicht"
    r"|problemas?|fallos?|falla\w*|errores|defectuos\w*|devolucion\w*|reembolsos?"
    r"|garantia|reparacion|reemplazo|no funciona"
    r"|defeituos\w*|devolucao|troca|reparo|substituicao|nao funciona)\b"
)
# What one already has, named as such: bought, ordered, subscribed to, invoiced, in use. The
# labelling rule's billing (renewing or paying for what one has) and support (a change to what
# one uses), never a buyer's first question. Past tenses and possessives only: "in stock now"
# or "once bought" say nothing of the sender, nor does "my order" (a buyer asks when to pick
# it up); what is in use counts only when it is the seller's ("we use your app"): a buyer who
# switches from a competitor says "we currently use X" too.
OWNED = re.compile(
    r"\b(?:i (?:have |had )?(?:recently |just |already )?(?:bought|purchased|ordered)"
    r"|(?:my|our) (?:recent |current |existing |annual |monthly )?(?:subscriptions?|accounts?"
    r"|invoices?|licen[cs]es?|contracts?)|invoic\w*|charged|billed|renew\w*"
    r"|(?:we|i) (?:have been |are currently |am currently |currently |already )?us(?:e|ing) your"
    r"|already (?:have|own|bought|purchased|paid)|existing customer"
    r"|j.ai (?:recemment |deja )?(?:achete|commande)|(?:mon|ma|notre) (?:abonnement|compte"
    r"|facture|licence|contrat)|factur\w*|(?:nous utilisons|j.utilise) (?:actuellement "
    r"|deja )?(?:votre|vos)|deja client"
    r"|(?:habe|haben) [^.]{0,60}\b(?:gekauft|bestellt|erworben)|kurzlich (?:gekauft|bestellt"
    r"|erworben)|(?:mein|meine|meinen|unser|unsere|unseren) (?:abonnements?|abos?|kontos?"
    r"|rechnung|lizenz|vertrag)|rechnung\w*|austausch\w*|(?:nutzen|verwenden)"
    r" (?:derzeit |bereits )?(?:ihr|ihre|ihren)|bestandskund\w*"
    r"|(?:he|hemos) (?:comprado|adquirido|pedido)|(?:mi|mis|nuestra?|nuestras?) (?:suscripcion"
    r"|cuenta|factura|licencia|contrato)|factura\w*|(?:usamos|utilizamos)"
    r" (?:actualmente )?(?:su|sus)|ya soy cliente"
    r"|comprei|adquiri|(?:minha|nossa|meu|nosso) (?:assinatura|conta|fatura|licenca"
    r"|contrato)|fatura\w*|(?:temos|tenho) (?:utilizado|usado) (?:seu|seus|sua|suas)"
    r"|ja sou cliente)\b"
)
BUYING = ("sales", "buy", "price", "volume", "interest")
CHARS = 1000  # a buyer says so early; reading all of a long message costs time for nothing
NAMES = list(CUES)
PATTERNS = [re.compile(pattern) for pattern in CUES.values()]


def _alternatives(pattern: str) -> list[str]:
    """The words of a cue, ``\\b(?:word|word...)\\b``, each a regular expression."""
    if not (pattern.startswith(r"\b(?:") and pattern.endswith(r")\b")):
        raise ValueError(f"a cue is \\b(?:...|...)\\b: {pattern[:40]}")
    inner, depth, start, found = pattern[5:-3], 0, 0, []
    for i, char in enumerate(inner):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            found.append(inner[start:i])
            start = i + 1
    return [*found, inner[start:]]


def _one_pass(patterns: list[str]) -> re.Pattern[str]:
    """Every word of every cue in one expression, grouped by first letter: at each word the
    engine tries some twenty letters, not 150 words (twice as fast on the public mailbox)."""
    by_letter: dict[str, list[str]] = {}
    other = []
    for pattern in patterns:
        for word in _alternatives(pattern):
            if word[0].isalpha() and word[1:2] not in ("?", "*", "+", "{"):
                by_letter.setdefault(word[0], []).append(word[1:])
            else:
                other.append(word)
    grouped = [f"{letter}(?:{'|'.join(rest)})" for letter, rest in sorted(by_letter.items())]
    return re.compile(r"\b(?:" + "|".join(grouped + other) + r")\b")


# Any cue at all, in one pass: most mail has none, and then one search says so where six
# would (the features' slowest part); a text it finds something in is searched cue by cue.
ANY = _one_pass(list(CUES.values()))


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def asks_to_buy(text: str) -> bool:
    """Whether ``text`` has a word of the buying cues (in its first ``CHARS`` characters)."""
    folded = fold(text[:CHARS])
    return any(PATTERNS[NAMES.index(name)].search(folded) for name in BUYING)


def reports_problem(text: str) -> bool:
    """Whether ``text`` names a problem with what one has, or what one already has (in its
    first ``CHARS`` characters)."""
    folded = fold(text[:CHARS])
    return PROBLEM.search(folded) is not None or OWNED.search(folded) is not None
