"""Give each line of a plain-text body a kind: the first step of
:func:`handoff.lib.quotes.fold`, whose rules then pick the cut from the sequence
of kinds.  The patterns recognise attributions, forward banners, mobile
signatures and the header fields of embedded mail, in many languages.
"""

from __future__ import annotations

import re

# Line kinds: blank, delimiter, mobile signature, marker (attribution or
# forward banner), header field, quoted, text.
E, D, S, B, H, Q, T = "edsbhqt"

# Attribution and header lines are short.  Bounding the length every pattern
# sees keeps the whole pass linear, even on a single 200 KB line.
_MAX_MARK = 300
_MAX_SIG = 160
_JOIN_WINDOW = 5  # "On <date>, <name> wrote:" wrapped over up to 6 lines
_BLANK = " \t\u00a0\u200b\u200c\u200d\u200e\u200f\ufeff"
_DELIM_CHARS = frozenset("-_=+~#*,ᐧ—–")


def _set(words: str) -> frozenset[str]:
    return frozenset(w.strip() for w in words.split("|"))


_START_RE = re.compile(
    r"(?:on|at|in\s+message|le|am|el|em|il|op|den|dnia|dňa|w\s+dniu|på)\s|在", re.I
)
# "... wrote:" as the line's last words.  Checked word-wise rather than with an
# end-anchored regex (which rescans from every position); "I wrote it" is text.
_LAST_VERBS = _set(
    "wrote|writes|schrieb|geschrieben|escribió|escribio|escreveu|scrisse|schreef|skrev"
    "|skrevet|napisał(a)|napisał|napisała|napisal|napisala|написал(а)|написал|написала"
    "|написав|пише|kirjoitti|írta|napsal|yazdı"
)
_LAST_PHRASES = _set("a écrit|a ecrit|ha scritto|schrieben sie|nous a dit|volgende geschreven")
# Verb before the name ("Am ... schrieb Max <m@x>:") or before the date
# ("Max <m@x> schrieb am <date>:").
_MID_VERB_RE = re.compile(
    r"(?<![^\W\d_])(?:wrote|schrieb|schreef|skrev|escribi[óo]|escreveu|napisa[łl])"
    r"(?![^\W\d_])\s*(on\s|am\s|le\s|el\s|em\s|op\s|den\s)?",
    re.I,
)
_DIGIT_RE = re.compile(r"\d")
_ADDRESS_RE = re.compile(r"\w@\w")  # an address, not an "@mention"
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_EMAIL_END_RE = re.compile(r"<[^<>\s@]+@[^<>\s]+>\s*[:：]?")
_ISO_GMT_RE = re.compile(r"(?:19|20)\d\d-\d\d-\d\d \d{1,2}:\d\d GMT[+-]\d{1,2}:?\d\d")
_ABOVE_RE = re.compile(  # help desks' own "reply above this line" banners
    r"(?:reply|write|type)\s+above\s+this\s+line|répon(?:dez|dre)\s+au-dessus\s+de\s+cette",
    re.I,
)
# Banners opening a forwarded or original message.  They need dashes or a
# colon around them, so a bare "Original message" sentence stays text.
_BANNERS = _set(
    "begin forwarded message|begin forwarded text|forwarded message|original message|reply message"
    "|début du message réexpédié|début du message transféré|message transféré"
    "|message d'origine|message original|message réexpédié|weitergeleitete nachricht"
    "|anfang der weitergeleiteten nachricht|ursprüngliche nachricht|originalnachricht"
    "|mensaje original|mensaje reenviado|inicio del mensaje reenviado|mensagem original"
    "|mensagem encaminhada|início da mensagem reencaminhada|messaggio originale"
    "|messaggio inoltrato|inizio messaggio inoltrato|oorspronkelijk bericht"
    "|origineel bericht|doorgestuurd bericht|ursprungligt meddelande|originalmeddelande"
    "|vidarebefordrat meddelande|opprinnelig melding|videresendt melding"
    "|original meddelelse|videresendt meddelelse|wiadomość oryginalna"
    "|oryginalna wiadomość|przekazana wiadomość|исходное сообщение"
    "|пересылаемое сообщение|пересланное сообщение|оригінальне повідомлення"
    "|переслане повідомлення|原始邮件|原始郵件|转发邮件|轉寄郵件"
)
# "Sent from my iPhone" and its kin, which end the new text.
_SIG_RE = re.compile(
    r"[\s(<\[*_]*(?:sent\s+(?:from|via|with|by|using)\s+\S|\w+\s+from\s+mobile\b"
    r"|from\s+my\s+(?:iphone|ipad|ipod|android|mobile|phone|cell|smartphone|samsung"
    r"|galaxy|blackberry|htc|nokia|pixel|huawei|tablet|windows\s+phone)"
    r"|get\s+outlook\s+for\s|envoy[ée]\s+(?:de|depuis|du|avec|via|à\s+partir\s+d)"
    r"|(?:obtenez|obtenir|t[ée]l[ée]charger)\s+outlook\s+pour\s"
    r"|provenance\s*:\s*courrier\s+pour\s+windows|von\s+meinem\s.{1,60}\sgesendet"
    r"|diese\s+nachricht\s+wurde\s+(?:von|mit)\s.{1,80}\sgesendet"
    r"|gesendet\s+(?:von|mit|vom)\s+(?:meinem|meiner|der|dem|iphone|ipad|android|outlook)"
    r"|inviato\s+(?:da|dal|dal\s+mio)\s|enviado\s+(?:desde|do|da|con|com)\s"
    r"|verzonden\s+(?:met|vanaf|vanuit|van\s+mijn)\s|verstuurd\s+(?:vanaf|met|van\s+mijn)\s"
    r"|sendt\s+fra\s|skickat\s+från\s|från\s+min\s|wysłan[eo]\s+z\s"
    r"|отправлено\s+(?:с|из)\s|надіслано\s+(?:з|із)\s"
    r"|(?:发自|來自|来自)我的|(?:從|从)我的.{0,40}(?:傳送|发送|發送)|.{1,40}から送信)",
    re.I,
)
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]{1,100})\]\([^()\s]{1,300}\)")
# Header fields of embedded mail by role: From, Sent, Date, To, Cc, Subject,
# Reply-To.  A block needs a From and a Subject or Sent, so a booking's
# "From: Paris / To: London / Date: 12 May" stays text.
_ROLES = {
    name: role
    for role, names in {
        "f": "from|de|von|da|van|fra|från|od|от|від|expéditeur|absender|发件人|寄件者|寄件人",
        "s": "sent|envoyé|envoyé le|gesendet|enviado|enviada em|inviato|verzonden|verstuurd"
        "|sendt|skickat|wysłano|wysłane|отправлено|надіслано|发送时间",
        "d": "date|datum|fecha|data|дата|日期|時間|时间",
        "t": "to|à|a|an|para|aan|til|till|do|кому|收件人|收件者|destinataire|destinatario",
        "c": "cc|bcc|cci|kopie|copie à|kopia|копия|копія|抄送|副本",
        "j": "subject|objet|betreff|asunto|assunto|oggetto|onderwerp|emne|ämne|temat|тема"
        "|主题|主旨|標題",
        "r": "reply-to|répondre à|risposta|antwort an|beantwoorden - aan|responder a",
    }.items()
    for name in _set(names)
}
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
    role = _ROLES.get(" ".join(m.group(1).casefold().split())) if m else None
    if m is None or role is None:
        return None
    # An empty "Subject:" or "Cc:" still belongs to a header block.
    return role if role in "jc" or any(c.isalnum() for c in s[m.end() : m.end() + 80]) else None


def _ends_with_verb(s: str, said: bool = False) -> bool:
    """Does ``s`` end with "wrote" in some language (or "said"/"says")?"""
    low = s[-48:].rstrip(_BLANK + ".:：>-").casefold()
    if low.endswith(("写道", "寫道")):
        return not said
    words = low.split()
    if not words:
        return False
    if said:
        return words[-1] in ("said", "says")
    return words[-1] in _LAST_VERBS or " ".join(words[-2:]) in _LAST_PHRASES


def _is_marker(line: str) -> bool:
    """Does this (possibly joined) line open an earlier or forwarded message?"""
    s = line.lstrip(_BLANK + ">|*-_=~#").rstrip(_BLANK + "*-_=~#")
    if not s or len(s) > _MAX_MARK:
        return False
    if len(s) < 48:
        core = s.rstrip(_BLANK + ":：").casefold().replace("’", "'")
        if core in _BANNERS and ("--" in line or line.rstrip().endswith((":", "："))):
            return True
    if s[0].isdigit() and _ISO_GMT_RE.match(s):  # "2016-03-03 17:21 GMT+01:00 Some One"
        return True
    if len(s) < 120 and ("above" in s or "au-dessus" in s) and _ABOVE_RE.search(s):
        return True
    start = _START_RE.match(s) is not None
    digit = _DIGIT_RE.search(s) is not None
    if _ends_with_verb(s):
        return start or digit or "@" in s or " via " in s
    if start and _ends_with_verb(s, said=True):
        return True
    end = s[-1]
    if end in ":：" and digit:
        mid = _MID_VERB_RE.search(s)
        if mid and (start or "@" in s or s[0].isdigit() or mid.group(1)):
            return True
    # "2013/7/20 sam via Discourse Meta <info@discourse.org>"
    if end in ">:：" and "@" in s and (lt := s.rfind("<")) >= 0:
        return _EMAIL_END_RE.fullmatch(s, lt) is not None and _YEAR_RE.search(s) is not None
    return False


def _opens_marker(s: str) -> bool:
    return _START_RE.match(s) is not None or s[0].isdigit()


def _may_start_marker(s: str) -> bool:
    """Could this line be the first of an attribution wrapped over lines?"""
    return len(s) <= 200 and (
        _opens_marker(s) or "<" in s or " via " in s or _ADDRESS_RE.search(s) is not None
    )


def _is_quote(s: str) -> bool:
    if s[0] == ">" or (s[0] == "|" and "|" not in s[1:]):  # one "|" is no table
        return True
    # Old-style "Richard> text" and "C>" quoting.
    i = 0
    while i < len(s) and i <= 10 and s[i].isascii() and s[i].isalpha():
        i += 1
    return 0 < i <= 10 and i < len(s) and s[i] == ">" and (i + 1 == len(s) or s[i + 1] == " ")


def _underlines(line: str, above: str) -> bool:
    # "Steps\n=====" is a heading, not a separator: about as long, right below.
    s, t = line.strip(), above.strip()
    same = len(t) / 2 <= len(s) <= len(t) * 1.5
    return len(s) >= 3 and len(set(s)) == 1 and s[0] in "=-" and same


def classify(lines: list[str]) -> tuple[list[str], list[str | None]]:
    n = len(lines)
    kinds = [T] * n
    roles: list[str | None] = [None] * n
    # Lines inside ``` fences are code: "####" there is not a delimiter.
    code = [False] * n
    fences = [i for i, line in enumerate(lines) if line.lstrip().startswith("```")]
    for a, b in zip(fences[::2], fences[1::2], strict=False):
        code[a : b + 1] = [True] * (b + 1 - a)
    for i, line in enumerate(lines):
        s = line.strip(_BLANK)
        if code[i]:
            continue
        if not s:
            kinds[i] = E
        elif _is_delim(s):
            underline = i > 0 and kinds[i - 1] == T and _underlines(s, lines[i - 1])
            kinds[i] = T if underline else D
            roles[i] = "-" if s == "--" else None  # the "-- " signature separator
        elif _is_sig(s):
            kinds[i] = S
        elif _is_marker(s):
            kinds[i] = B
        elif (role := _head_role(s)) is not None:
            kinds[i], roles[i] = H, role
        elif _is_quote(s):
            kinds[i] = Q
    _join_wrapped_markers(lines, kinds, code)
    # "John Smith wrote:", with no date or address, only if a quote follows.
    for i in range(n):
        line = lines[i]
        if kinds[i] == T and len(line) <= 80 and line.rstrip().endswith((":", "：")):
            j = i + 1
            while j < n and kinds[j] == E:
                j += 1
            if j < n and kinds[j] == Q and _ends_with_verb(line):
                kinds[i] = B
    return kinds, roles


def _join_wrapped_markers(lines: list[str], kinds: list[str], code: list[bool]) -> None:
    """Mark attributions wrapped over several lines, blank lines included."""
    n, i = len(lines), 0
    while i < n:
        s = lines[i].strip(_BLANK + ">|-")
        # A marker line whose "<address" goes on to the next line.
        open_mark = kinds[i] == B and s.count("<") > s.count(">")
        if not (open_mark or kinds[i] in (T, Q)) or code[i] or not s or not _may_start_marker(s):
            i += 1
            continue
        joined, found = s, -1
        for j in range(i + 1, min(n, i + 1 + _JOIN_WINDOW)):
            part = lines[j].strip(_BLANK + ">|-")
            if kinds[j] in (D, S) or code[j]:
                break
            # A marker on its own ("info@x.org> wrote:") is only a continuation
            # if it does not open one itself ("On Tue, ... wrote:").
            if kinds[j] == B and part and _opens_marker(part):
                break
            if part:
                joined = f"{joined} {part}"
                if len(joined) > _MAX_MARK:
                    break
                if open_mark:
                    done = joined.count("<") <= joined.count(">")
                else:  # only a line that ends like a marker can end a wrapped one
                    done = (part[-1] in ":：>" or _ends_with_verb(part)) and _is_marker(joined)
                if done:
                    found = j
                    break
            if kinds[j] == B:
                break
        if found < 0:
            i += 1
            continue
        # Start at the latest line that opens a marker by itself, so the text
        # just above a wrapped attribution is not swallowed into it.
        for k in range(i + 1, found + 1):
            head = lines[k].strip(_BLANK + ">|-")
            if head and _opens_marker(head):
                parts = (x.strip(_BLANK + ">|-") for x in lines[k : found + 1])
                if _is_marker(" ".join(p for p in parts if p)):
                    i = k
                    break
        kinds[i : found + 1] = [B] * (found + 1 - i)
        i = found + 1
