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
  neither has trailing whitespace.  ``folded == ""`` means nothing was folded;
  ``visible == ""`` means the message holds no new text at all (only quoted or
  forwarded mail): callers should then show ``folded`` open.

The heuristics are learnt from discourse/email_reply_trimmer (give each line a
kind, then let rules over the sequence of kinds pick the cut), adapted to a
single cut so that the folded part reads as one contiguous block.  A reply
written *below* the quote therefore stays wholly visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from handoff.lib.quote_kinds import B, D, E, H, Q, S, T, classify

__all__ = ["Folded", "fold"]


@dataclass(frozen=True, slots=True)
class Folded:
    visible: str  # the new text of this message, shown first
    folded: str  # quoted mail, attribution lines, forwarded mail, signatures


_INLINE_TEXT = 7  # this much text after a quote means it was answered inline
_SHORT_TAIL = 12  # at most this many lines after a rule make a signature


def _prev_solid(kinds: list[str], i: int, skip: str) -> int:
    """Index of the nearest line before ``i`` whose kind is not in ``skip``."""
    i -= 1
    while i >= 0 and kinds[i] in skip:
        i -= 1
    return i


def _cut(kinds: list[str], roles: list[str | None]) -> int:
    """The first folded line.  Each rule may only move the cut up."""
    end = len(kinds)
    # 1. After the first delimiter ("-- ", "____", "-----") comes a signature
    #    or an embedded message, once some content came before it.
    #    A decorative rule ("=====", "+----+") followed by a long plain body
    #    is a section break in a newsletter or notification: keep going.
    after = [0] * (end + 1)  # non-blank lines from i on
    for i in range(end - 1, -1, -1):
        after[i] = after[i + 1] + (kinds[i] != E)
    seen = False
    for i, k in enumerate(kinds):
        if k == D and seen:
            soon = [x for x in kinds[i + 1 : i + 12] if x != E][:3]
            if roles[i] == "-" or after[i + 1] <= _SHORT_TAIL or {B, H, Q} & set(soon):
                end = i
                break
        seen = seen or k in (T, Q, H)
    # 2. "Sent from my iPhone" ends the new text if no more text follows it.
    text_before, i = False, 0
    while i < end:
        if kinds[i] == S and text_before:
            j = i + 1
            while j < end and kinds[j] in (E, S):
                j += 1
            if j == end or kinds[j] != T:
                end = i
                break
            i = j  # the signature lines before j would all fail the same way
            continue
        text_before = text_before or kinds[i] == T
        i += 1
    ks = [E if k == S else k for k in kinds[:end]]  # leftover signatures: blank
    # 3. An attribution after some text and no quote after it: the rest is the
    #    earlier message pasted unquoted, or a forward.
    last_q = max((i for i in range(end) if ks[i] == Q), default=-1)
    for j in range(last_q + 1, end):
        if ks[j] == B and (p := _prev_solid(ks, j, E)) >= 0 and ks[p] == T:
            end = p + 1
            break
    # 4. An attribution after some text, then only quotes, headers and a short
    #    text tail (a signature, a list footer): fold from the attribution.
    tail = end
    while tail > 0 and ks[tail - 1] in (T, E):
        tail -= 1
    if sum(1 for k in ks[tail:end] if k == T) < _INLINE_TEXT:
        bad = _prev_solid(ks, tail, E + Q + B + H)
        if bad >= 0 and ks[bad] == T:
            j = bad + 1
            while j < tail and ks[j] == E:
                j += 1
            if j < tail and ks[j] == B:
                end = bad + 1
    # 5. An Outlook-style header block ("From: / Sent: / To: / Subject:")
    #    after some text, quotes allowed between.  Wrapped values may add up
    #    to two text lines between fields.
    i = 0
    while i < end:
        if ks[i] != H:
            i += 1
            continue
        start, heads, loose = i, 0, 0
        found: set[str | None] = set()
        while i < end and ks[i] in (H, T) and loose <= 2:
            heads, loose = (heads + 1, 0) if ks[i] == H else (heads, loose + 1)
            found.add(roles[i])
            i += 1
        if heads >= 3 and "f" in found and found & {"j", "s"}:
            p = _prev_solid(ks, start, E + Q)
            if p >= 0 and ks[p] == T:
                end = p + 1
                break
    # 6. Quotes and markers after the last line of text are the old thread.
    last_t = _prev_solid(ks, end, E + Q + B + H)
    if last_t >= 0 and ks[last_t] == T:
        if any(k in (Q, B) for k in ks[last_t + 1 : end]):
            end = last_t + 1
    elif last_t < 0 and next((k for k in ks[:end] if k != E), E) == B:
        end = 0  # 7. no new text at all, it opens on an attribution or banner
    return end


def fold(text: str) -> Folded:
    """Split ``text`` into the new message and the folded rest (see module doc)."""
    norm = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = norm.split("\n")
    kinds, roles = classify(lines)
    cut = _cut(kinds, roles)
    offsets = [0] * (len(lines) + 1)
    for i, line in enumerate(lines):
        offsets[i + 1] = offsets[i] + len(line) + 1
    # Blank by str.strip()'s definition (not _BLANK's), so the gaps promised
    # above are whitespace even where a line holds only zero-width characters.
    first = next((i for i in range(cut) if lines[i].strip()), cut)
    rest = next((i for i in range(cut, len(lines)) if lines[i].strip()), len(lines))
    return Folded(
        visible=norm[offsets[first] : offsets[cut]].rstrip(),
        folded=norm[min(offsets[rest], len(norm)) :].rstrip(),
    )
