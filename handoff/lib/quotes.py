"""Fold quoted text and signatures away from an email's plain-text body.

Nothing is ever deleted: the stored body keeps everything, this only decides
where the agent's "show quoted text" toggle goes.  The split is *prefix-based*:
everything before one cut line is ``visible``, everything from it on is
``folded``.

Guaranteed for every ``str`` input ``t`` (and tested, with hypothesis too):

* ``fold`` never raises and runs in time linear in ``len(t)``;
* with ``n = t.replace("\\r\\n", "\\n").replace("\\r", "\\n")``, ``visible`` and
  ``folded`` are two slices of ``n``, in that order, and whatever of ``n`` lies
  outside them (before, between, after) is whitespace only.  So
  ``visible + folded`` holds every non-whitespace character of ``t``, in order;
* ``visible`` starts at the first non-blank line, ``folded`` at a line start;
  both carry no trailing whitespace.  ``folded == ""`` means nothing was
  folded; ``visible == ""`` means the message holds no new text at all (only
  quoted or forwarded mail): callers should then show ``folded`` open.

The heuristics are learnt from discourse/email_reply_trimmer (each line gets a
kind, then rules over the sequence of kinds pick the cut), adapted to a single
cut so that the folded part reads as one contiguous block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Folded", "fold"]


@dataclass(frozen=True, slots=True)
class Folded:
    visible: str  # the new text of this message, shown first
    folded: str  # quoted mail, attribution lines, forwarded mail, signatures


# Line kinds.
EMPTY, DELIM, SIG, MARK, HEAD, QUOTE, TEXT = "e", "d", "s", "b", "h", "q", "t"

# Attribution and header lines are short; bounding the length every pattern
# sees keeps the whole pass linear even on a single 200 KB line.
_MAX_MARK = 300
_MAX_SIG = 160
_JOIN_WINDOW = 5  # "On <date>, <name> wrote:" wrapped over up to 6 lines
_INTERLEAVED_TEXT = 7  # this much text after a quote means inline replies
_BLANK = " \t\u00a0\u200b\u200c\u200d\u200e\u200f\ufeff"
_DELIM_CHARS = frozenset("-_=+~#*,ᐧ—–")

_START_RE = re.compile(
    r"(?:on|at|in\s+message|le|am|el|em|il|op|den|dnia|dňa|w\s+dniu|på)\s|在", re.I
)
_VERBS = (
    r"wrote|writes|a\s+[ée]crit|nous\s+a\s+dit|schrieb|schrieben\s+sie|geschrieben"
    r"|escribi[óo]|escreveu|ha\s+scritto|scrisse|schreef|skrev|skrevet"
    r"|napisa[łl]\(a\)|napisa[łl]a?|написал\(а\)|написала?|написав|пише"
    r"|kirjoitti|írta|napsal|yazdı"
)
# The verb must end the line ("... wrote:"), so "I wrote something" is text.
_END_VERB_RE = re.compile(
    rf"(?:(?<![^\W\d_])(?:{_VERBS})|写道|寫道)\s*[:：]?[\s.>]*$", re.I
)
_SAID_RE = re.compile(r"(?<![^\W\d_])(?:said|says)\s*:?[\s.]*$", re.I)
# Languages that put the name after the verb ("Am ... schrieb Max <m@x>:"),
# and "Max <m@x> schrieb am <date>:".
_MID_VERB_RE = re.compile(
    r"(?<![^\W\d_])(?:wrote|schrieb|schreef|skrev|escribi[óo]|escreveu|napisa[łl])"
    r"(?![^\W\d_])\s*(on\s|am\s|le\s|el\s|em\s|op\s|den\s)?",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_EMAIL_END_RE = re.compile(r"<[^<>\s@]+@[^<>\s]+>\s*[:：]?$")
_ISO_GMT_RE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d \d{1,2}:\d\d GMT[+-]\d{1,2}:?\d\d")
_ABOVE_RE = re.compile(
    r"(?:reply|write|type)\s+above\s+this\s+line|répon(?:dez|dre)\s+au-dessus\s+de\s+cette\s+ligne",
    re.I,
)
# Banners that open a forwarded or original message.  Dashed ones need their
# dashes (or a colon) so a bare "Original message" sentence stays text.
_BANNERS = frozenset(
    """begin forwarded message|forwarded message|original message|reply message
    début du message réexpédié|début du message transféré|message transféré
    message d'origine|message original|message réexpédié
    anfang der weitergeleiteten nachricht|weitergeleitete nachricht
    ursprüngliche nachricht|originalnachricht|mensaje original|mensaje reenviado
    inicio del mensaje reenviado|mensagem original|mensagem encaminhada
    início da mensagem reencaminhada|messaggio originale|messaggio inoltrato
    inizio messaggio inoltrato|oorspronkelijk bericht|origineel bericht
    doorgestuurd bericht|ursprungligt meddelande|originalmeddelande
    vidarebefordrat meddelande|opprinnelig melding|videresendt melding
    original meddelelse|videresendt meddelelse|wiadomość oryginalna
    oryginalna wiadomość|przekazana wiadomość|исходное сообщение
    пересылаемое сообщение|пересланное сообщение|оригінальне повідомлення
    переслане повідомлення|原始邮件|原始郵件|转发邮件|轉寄郵件""".replace("\n", "|")
    .replace("    ", "")
    .split("|")
)

# Mobile and webmail signature lines ("Sent from my iPhone" and its kin).
_SIG_RE = re.compile(
    r"[\s(<\[*_]*(?:"
    r"sent\s+(?:from|via|with|by|using)\s+\S"
    r"|\w+\s+from\s+mobile\b"
    r"|from\s+my\s+(?:iphone|ipad|ipod|android|mobile|phone|cell|smartphone|samsung"
    r"|galaxy|blackberry|htc|nokia|pixel|huawei|tablet|windows\s+phone)"
    r"|get\s+outlook\s+for\s"
    r"|envoy[ée]\s+(?:de|depuis|du|avec|via|à\s+partir\s+d)"
    r"|(?:obtenez|obtenir|t[ée]l[ée]charger)\s+outlook\s+pour\s"
    r"|provenance\s*:\s*courrier\s+pour\s+windows"
    r"|von\s+meinem\s.{1,60}\sgesendet"
    r"|diese\s+nachricht\s+wurde\s+(?:von|mit)\s.{1,80}\sgesendet"
    r"|gesendet\s+(?:von|mit|vom)\s+(?:meinem|meiner|der|dem|iphone|ipad|android|outlook)"
    r"|inviato\s+(?:da|dal|dal\s+mio)\s|enviado\s+(?:desde|do|da|con|com)\s"
    r"|verzonden\s+(?:met|vanaf|vanuit|van\s+mijn)\s|verstuurd\s+(?:vanaf|met|van\s+mijn)\s"
    r"|sendt\s+fra\s|skickat\s+från\s|från\s+min\s|wysłan[eo]\s+z\s"
    r"|отправлено\s+(?:с|из)\s|надіслано\s+(?:з|із)\s"
    r"|(?:发自|來自|来自)我的|(?:從|从)我的.{0,40}(?:傳送|发送|發送)|.{1,40}から送信"
    r")",
    re.I,
)
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]{1,100})\]\([^()\s]{1,300}\)")

# Header field names of embedded mail, by role: From, Sent/Date, To, Cc,
# Subject, Reply-To.  A block needs a From and a Subject or Sent to count.
_ROLES: dict[str, str] = {}
for _role, _names in {
    "f": "from|de|von|da|van|fra|från|od|от|від|expéditeur|absender|发件人|寄件者|寄件人",
    "s": "sent|date|envoyé|envoyé le|gesendet|datum|enviado|enviada em|fecha|data|inviato"
    "|verzonden|verstuurd|sendt|skickat|wysłano|wysłane|отправлено|дата|надіслано"
    "|发送时间|日期|時間|时间",
    "t": "to|à|a|an|para|aan|til|till|do|кому|收件人|收件者|destinataire|destinatario",
    "c": "cc|bcc|cci|kopie|copie à|kopia|копия|копія|抄送|副本",
    "j": "subject|objet|betreff|asunto|assunto|oggetto|onderwerp|emne|ämne|temat|тема"
    "|主题|主旨|標題",
    "r": "reply-to|répondre à|risposta|antwort an|beantwoorden - aan|responder a",
}.items():
    for _name in _names.split("|"):
        _ROLES[_name] = _role
_HEAD_RE = re.compile(r"[ \t*]*([^\W\d_][^:：\n]{0,24}?)[ \t*\u00a0]*[:：]")


def _is_delim(s: str) -> bool:
    # A lone "-", "*" or "+" is more likely an empty bullet than a separator.
    return all(c in _DELIM_CHARS for c in s) and s not in ("-", "*", "+")


def _is_sig(s: str) -> bool:
    if len(s) > _MAX_SIG:
        return False
    if "](" in s:  # "Get [Outlook for Android](https://aka.ms/...)"
        s = _MD_LINK_RE.sub(r"\1", s)
    return _SIG_RE.match(s) is not None


def _head_role(s: str) -> str | None:
    m = _HEAD_RE.match(s)
    if m is None:
        return None
    role = _ROLES.get(" ".join(m.group(1).casefold().split()))
    if role is None or not any(c.isalnum() for c in s[m.end() : m.end() + 80]):
        return None
    return role


def _is_marker(line: str) -> bool:
    """Does this (possibly joined) line open an earlier or forwarded message?"""
    s = line.strip(_BLANK + ">|*-_=~#")
    if not s or len(s) > _MAX_MARK:
        return False
    core = s.rstrip(_BLANK + ":：").casefold().replace("’", "'")
    if core in _BANNERS and ("--" in line or line.rstrip().endswith((":", "："))):
        return True
    if _ISO_GMT_RE.match(s) or (len(s) < 120 and _ABOVE_RE.search(s)):
        return True
    start = _START_RE.match(s) is not None
    digit = _DIGIT_RE.search(s) is not None
    tail = s[-60:]
    if _END_VERB_RE.search(tail):
        return start or digit or "@" in s or " via " in s
    if start and _SAID_RE.search(tail):
        return True
    if s[-1] in ":：" and digit:
        mid = _MID_VERB_RE.search(s)
        if mid and (start or "@" in s or s[0].isdigit() or mid.group(1)):
            return True
    # "2013/7/20 sam via Discourse Meta <info@discourse.org>"
    m = _EMAIL_END_RE.search(s[-120:])
    return m is not None and _YEAR_RE.search(s) is not None


def _may_start_marker(s: str) -> bool:
    """Could this line be the first of an attribution wrapped over lines?"""
    return len(s) <= 200 and (
        _START_RE.match(s) is not None
        or s[0].isdigit()
        or any(c in s for c in "@<")
        or " via " in s
    )


def _classify(lines: list[str]) -> tuple[list[str], list[str | None]]:
    n = len(lines)
    kinds = [TEXT] * n
    roles: list[str | None] = [None] * n
    # Lines inside ``` fences are code: "####" there is not a delimiter.
    code = [False] * n
    fences = [i for i, line in enumerate(lines) if line.lstrip().startswith("```")]
    for a, b in zip(fences[::2], fences[1::2], strict=False):
        for i in range(a, b + 1):
            code[i] = True
    for i, line in enumerate(lines):
        s = line.strip(_BLANK)
        if code[i]:
            continue
        if not s:
            kinds[i] = EMPTY
        elif _is_delim(s):
            kinds[i] = DELIM
        elif _is_sig(s):
            kinds[i] = SIG
        elif _is_marker(s):
            kinds[i] = MARK
        elif (role := _head_role(s)) is not None:
            kinds[i], roles[i] = HEAD, role
        elif s[0] == ">" or (s[0] == "|" and "|" not in s[1:]) or _tagged_quote(s):
            kinds[i] = QUOTE
    _join_wrapped_markers(lines, kinds, code)
    # "John Smith wrote:" with no date is only an attribution if a quote follows.
    for i in range(n):
        if kinds[i] == TEXT and len(lines[i]) <= 80 and _END_VERB_RE.search(lines[i]):
            j = i + 1
            while j < n and kinds[j] == EMPTY:
                j += 1
            if j < n and kinds[j] == QUOTE:
                kinds[i] = MARK
    return kinds, roles


def _tagged_quote(s: str) -> bool:
    # Old-style "Richard> text" and "C>" quoting.
    i = 0
    while i < len(s) and i <= 10 and s[i].isascii() and s[i].isalpha():
        i += 1
    return 0 < i <= 10 and i < len(s) and s[i] == ">" and (i + 1 == len(s) or s[i + 1] == " ")


def _join_wrapped_markers(lines: list[str], kinds: list[str], code: list[bool]) -> None:
    n = len(lines)
    i = 0
    while i < n:
        s = lines[i].strip(_BLANK + ">|-")
        if kinds[i] not in (TEXT, QUOTE) or code[i] or not s or not _may_start_marker(s):
            i += 1
            continue
        joined = s
        found = -1
        for j in range(i + 1, min(n, i + 1 + _JOIN_WINDOW)):
            if kinds[j] in (MARK, DELIM, SIG) or code[j]:
                break
            part = lines[j].strip(_BLANK + ">|-")
            if part:
                joined = f"{joined} {part}"
                if len(joined) > _MAX_MARK:
                    break
                if _is_marker(joined):
                    found = j
                    break
        if found < 0:
            i += 1
            continue
        for j in range(i, found + 1):
            kinds[j] = MARK
        i = found + 1


def _prev_solid(kinds: list[str], i: int, skip: str) -> int:
    """Index of the nearest line before ``i`` whose kind is not in ``skip``."""
    i -= 1
    while i >= 0 and kinds[i] in skip:
        i -= 1
    return i


def _cut(kinds: list[str], roles: list[str | None]) -> int:
    n = len(kinds)
    end = n
    # 1. Everything after the first delimiter ("-- ", "____", "-----") is a
    #    signature or an embedded message, once some content came before it.
    seen = False
    for i, k in enumerate(kinds):
        if k == DELIM and seen:
            end = i
            break
        seen = seen or k in (TEXT, QUOTE, HEAD)
    # 2. "Sent from my iPhone" ends the new text when no more text follows it.
    text_before = False
    for i in range(end):
        k = kinds[i]
        if k == SIG and text_before:
            j = i + 1
            while j < end and kinds[j] in (EMPTY, SIG):
                j += 1
            if j == end or kinds[j] != TEXT:
                end = i
                break
        text_before = text_before or k == TEXT
    # From here on signature lines left in the text count as blank.
    ks = [EMPTY if k == SIG else k for k in kinds[:end]]
    # 3. An attribution after some text, with no quote after it: the rest is
    #    the earlier message pasted unquoted (or a forward).
    last_q = max((i for i in range(end) if ks[i] == QUOTE), default=-1)
    for j in range(last_q + 1, end):
        if ks[j] == MARK and (p := _prev_solid(ks, j, EMPTY)) >= 0 and ks[p] == TEXT:
            end = p + 1
            break
    # 4. An attribution after some text, then only quotes, headers and a short
    #    text tail (a signature, a list footer): fold from the attribution.
    #    A long text tail means the quote was answered inline; keep it all.
    tail = end
    while tail > 0 and ks[tail - 1] in (TEXT, EMPTY):
        tail -= 1
    if sum(1 for k in ks[tail:end] if k == TEXT) < _INTERLEAVED_TEXT:
        bad = _prev_solid(ks, tail, EMPTY + QUOTE + MARK + HEAD)
        if bad >= 0 and ks[bad] == TEXT:
            j = bad + 1
            while j < tail and ks[j] == EMPTY:
                j += 1
            if j < tail and ks[j] == MARK:
                end = bad + 1
    # 5. An Outlook-style header block ("From: / Sent: / To: / Subject:")
    #    right after some text (quotes may sit between).
    i = 0
    while i < end:
        if ks[i] != HEAD:
            i += 1
            continue
        start, heads, run_text = i, 0, 0
        found: set[str | None] = set()
        while i < end and ks[i] in (HEAD, TEXT) and run_text <= 2:
            if ks[i] == HEAD:
                found.add(roles[i])
                heads, run_text = heads + 1, 0
            else:
                run_text += 1
            i += 1
        if heads >= 3 and "f" in found and found & {"j", "s"}:
            p = _prev_solid(ks, start, EMPTY + QUOTE)
            if p >= 0 and ks[p] == TEXT:
                end = p + 1
                break
    # 6. Quoted lines after the last line of text are the quoted thread.
    last_t = _prev_solid(ks, end, EMPTY + QUOTE + MARK + HEAD)
    if last_t >= 0 and ks[last_t] == TEXT:
        if any(k in (QUOTE, MARK) for k in ks[last_t + 1 : end]):
            end = last_t + 1
    elif last_t < 0:
        # 7. No new text at all: if it opens on an attribution or banner, it
        #    is only earlier mail.
        first = next((k for k in ks[:end] if k != EMPTY), EMPTY)
        if first == MARK:
            end = 0
    return end


def fold(text: str) -> Folded:
    """Split ``text`` into the new message and the folded rest (see module doc)."""
    norm = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = norm.split("\n")
    kinds, roles = _classify(lines)
    cut = _cut(kinds, roles)
    offsets = [0] * (len(lines) + 1)
    for i, line in enumerate(lines):
        offsets[i + 1] = offsets[i] + len(line) + 1
    # Blank by Python's own definition, so the whitespace-only gaps promised in
    # the module docstring hold even for zero-width characters.
    first = next((i for i in range(cut) if lines[i].strip()), cut)
    visible = norm[offsets[first] : offsets[cut]].rstrip()
    rest = next((i for i in range(cut, len(lines)) if lines[i].strip()), len(lines))
    folded = norm[min(offsets[rest], len(norm)) :].rstrip()
    return Folded(visible=visible, folded=folded)
