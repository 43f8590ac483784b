"""The desk at work in the demo's history (pure; the stories are ``history_story``'s): how
long the team takes to answer, and ``Clockwork``, the desk's machinery as a story sees it.

The team answers faster when several are on shift and slower alone; a conversation waits
in the queue while nobody on shift speaks its language (unless its answer is due before
anyone who does comes on shift: then whoever is on shift takes it), is handed over when
its holder's shift ends before it is due, and a breach passes it to someone else on shift.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from math import log
from typing import Any

from handoff.demo.history_story import DAY, HOUR, MINUTE, Desk, Mail, Story, Wait, holder_at
from handoff.lib.thanks import asks_nothing, counted

# Median answer times by category (seconds); one person alone on shift is slower.
ANSWER_MEDIAN = {
    "presales": 12 * MINUTE,
    "support": 35 * MINUTE,
    "bug": 30 * MINUTE,
    "billing": 45 * MINUTE,
    "feedback": 3 * HOUR,
}
ALONE, CROWD = 1.4, 0.8
CLOCK_NAMES = {"first_response": "first response", "next_response": "next response"}


def iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat()


def delay(rng: random.Random, median: float, sigma: float = 0.75) -> float:
    return min(rng.lognormvariate(log(median), sigma), 4 * DAY)


class Clockwork:
    """The desk's machinery as a story sees it: the pipeline's timeline rows, routing's
    holders and pauses, the sweep's reminders, breaches and handovers."""

    def __init__(self, desk: Desk, rng: random.Random, now: float) -> None:
        self.desk, self.rng, self.now = desk, rng, now

    def step(
        self,
        s: Story,
        kind: str,
        at: float,
        payload: dict[str, Any] | None = None,
        *,
        actor: int | None = None,
        person: int | None = None,
        mail: int | None = None,
    ) -> bool:
        """A timeline row at ``at``; False (and the story stops) when that is after now."""
        if at > self.now:
            s.stopped = True
            return False
        s.steps.append((kind, at, actor, person, mail, payload or {}))
        return True

    def mail(self, s: Story, mail: Mail, own: str) -> int | None:
        """A message through the pipeline: stored, threaded, triaged."""
        mail.at = float(int(mail.at))  # the Date header counts whole seconds
        if mail.at > self.now:
            s.stopped = True
            return None
        number = len(s.mails)
        s.mails.append(mail)
        s.own = own
        if mail.out and mail.human and not mail.kind and s.status == "new":
            s.status = "open"  # as the pipeline takes the team's answer (``ingest._touch``)
        if number == 0:
            s.steps.append(("created", mail.at, None, None, None, {}))
        sender = mail.sender[1].lower()
        direction = "out" if mail.out else "in"
        s.steps.append(
            ("message", mail.at, None, None, number, {"direction": direction, "sender": sender})
        )
        decided = mail.decision
        triaged: dict[str, Any] = {"lane": decided.lane, "category": decided.category}
        triaged |= {"layer": decided.layer, "confidence": round(decided.confidence, 3)}
        s.steps.append(("triaged", self.processed(mail.at), None, None, number, triaged))
        s.routed_at = self.processed(mail.at)
        return number

    @staticmethod
    def processed(at: float) -> float:
        return at + 1.5  # the pipeline's turn, a moment after the mail came

    def sweep(self, at: float) -> float:
        return at + self.rng.uniform(1.0, 59.0)  # the sweep runs every minute

    def give(
        self, s: Story, kind: str, at: float, to: int | None, data: dict[str, Any] | None = None
    ) -> bool:
        """Routing or the sweep gives the conversation to ``to`` (None: the queue)."""
        data = dict(data or {})
        if s.assignee is not None:
            data["from"] = s.assignee
        members = self.desk.members
        if to in members and not data.get("rule") and s.language not in members[to].languages:
            data["unread"] = s.language  # nobody who reads it on shift before it is due
        if not self.step(s, kind, at, data, person=to):
            return False
        s.assignee, s.assigned_at = to, (at if to is not None else None)
        return True

    def set_status(self, s: Story, to: str, at: float, actor: int | None) -> bool:
        """A person's status change (a no-op when it already is), and routing's pause."""
        if s.status == to:
            return True
        if not self.step(s, "status", at, {"from": s.status, "to": to}, actor=actor):
            return False
        s.status = to
        self.pause(s, at, to if to in ("pending", "solved") else "", at)
        return True

    def pause(self, s: Story, at: float, reason: str, end: float) -> None:
        """Routing's pauses as it keeps them: the status says why the clocks stop."""
        current = s.pauses[-1] if s.pauses and s.pauses[-1][1] is None else None
        if current is not None and current[2] != reason:
            current[1] = end
            s.steps.append(("resumed", at, None, None, None, {"end": iso(end)}))
            current = None
        if current is None and reason:
            s.pauses.append([at, None, reason])
            s.steps.append(("paused", at, None, None, None, {"reason": reason, "start": iso(at)}))
            s.wait = None  # waiting on the customer, or solved: no answer owed
        s.routed_at = at

    # -- who holds it, who answers, when ------------------------------------------------

    def eligible(
        self, at: float, language: str, exclude: int | None = None, due: float | None = None
    ) -> list[int]:
        """Who on shift can take it: who reads its language, or anyone when nobody who
        does is on shift before ``due`` (routing's rule: ``Roster.needs``)."""
        on, members = self.desk.on(at), self.desk.members
        readers = [u for u in on if language in members[u].languages]
        if due is None or readers:
            return [u for u in readers if u != exclude]
        back = self.next_shift(at, language)
        return [u for u in on if u != exclude] if back is None or due < back else []

    def next_shift(self, at: float, language: str | None, user: int | None = None) -> float | None:
        """The first moment from ``at`` when ``user`` is on (without one: anyone who reads
        ``language``, or anyone at all for None)."""
        start = at
        for _ in range(24 * 8):
            on = self.desk.on(at)
            if user is not None:
                found = user in on
            else:
                found = bool(on if language is None else self.eligible(at, language))
            if found:
                return start
            at = start = (at // HOUR + 1) * HOUR
        return None

    def shift_end(self, user: int | None, at: float) -> float | None:
        if user is None or user not in self.desk.members:
            return None
        hour = (at // HOUR + 1) * HOUR
        for _ in range(30):
            if user not in self.desk.on(hour):
                return hour
            hour += HOUR
        return None

    def pick(self, members: list[int]) -> int:
        return self.rng.choice(members)

    def hold(self, s: Story, at: float, arriving: bool = False) -> float | None:
        """From when someone who can answer holds the conversation: its holder on shift,
        or back before the answer is due; else whoever the sweep hands it over to, or
        takes it from the queue when someone who speaks the language comes on shift (anyone
        on shift, when the answer is due before that)."""
        holder = s.assignee
        if holder is not None and (holder in self.desk.on(at) or holder not in self.desk.members):
            return at
        due = s.wait.due if s.wait else None
        if holder is not None:
            back = self.next_shift(at, s.language, holder)
            if back is not None and (due is None or back <= due):
                return back
            others = self.eligible(at, s.language, holder, due)
            data = {"reason": "shift ended", "back": iso(back) if back else None}
            when = self.sweep(at)
            if others:
                return when if self.give(s, "handover", when, self.pick(others), data) else None
            if not self.give(s, "queued", when, None, data):
                return None
        start = self.next_shift(at, s.language)
        if due is not None and (start is None or due < start):
            start = self.next_shift(at, None)  # anyone on shift: the answer comes first
        if start is None:
            s.stopped = True
            return None
        taker = self.pick(self.eligible(start, s.language, due=due))
        if arriving and start == at:  # routing gives it to someone on shift at once
            when = self.processed(at)
            return when if self.give(s, "assigned", when, taker) else None
        when = self.sweep(start)  # the sweep takes it from the queue
        return when if self.give(s, "assigned", when, taker, {"from_queue": True}) else None

    def crowd(self, at: float) -> float:
        on = len(self.desk.on(at))
        return ALONE if on <= 1 else (1.0 if on == 2 else CROWD)

    def answer(self, s: Story, at: float, median: float) -> float | None:
        """When the customer's message of ``at`` is answered, by ``s.assignee`` then; the
        sweep's reminders, breaches, handovers on the way go on the timeline. None: not
        before now (the sweep's steps until now are there all the same)."""
        answered = self.answering(s, at, median)
        wait = s.wait
        if answered is None and wait is not None:
            if wait.stage == "" and wait.warn <= self.now:
                self.remind_or_breach(s, wait, "remind", wait.warn)
            if wait.stage != "breached" and wait.due <= self.now:
                self.remind_or_breach(s, wait, "breach", wait.due)
        return answered

    def answering(self, s: Story, at: float, median: float) -> float | None:
        start = self.hold(s, at, arriving=True)
        if start is None:
            return None
        answered = start + delay(self.rng, median) * self.crowd(start)
        for _ in range(12):
            wait, end = s.wait, self.shift_end(s.assignee, start)
            marks = [(answered, "answer")]
            if wait is not None and wait.stage == "" and wait.warn < answered:
                marks.append((wait.warn, "remind"))
            if wait is not None and wait.stage != "breached" and wait.due < answered:
                marks.append((wait.due, "breach"))
            if end is not None and end < answered:
                marks.append((end, "shift"))
            when, what = min(marks)
            if when > self.now:
                s.stopped = True
                return None
            if what == "answer":
                return answered
            if wait is not None and what != "shift":
                taken = self.remind_or_breach(s, wait, what, when)
                if taken is None:
                    return None
                if taken:  # passed on at the breach: the new holder answers soon
                    start, answered = taken, taken + delay(self.rng, 20 * MINUTE, 0.6)
                continue
            restart = self.hold(s, when)
            if restart is None:
                return None
            start = restart
            answered = max(answered, start + delay(self.rng, median / 2) * self.crowd(start))
        return answered

    def remind_or_breach(self, s: Story, wait: Wait, what: str, when: float) -> float | None:
        """The sweep's step on a late clock; when a breach passes the conversation to
        someone else on shift, the moment it did (0.0 if not; None: past ``now``)."""
        name = CLOCK_NAMES[wait.key.partition("@")[0]]
        kind = "reminded" if what == "remind" else "breached"
        at = min(self.sweep(when), self.now)
        holder = holder_at(s, at)
        if not self.step(s, kind, at, {"clock": name, "due": iso(wait.due)}, person=holder):
            return None
        wait.stage = kind
        if kind == "reminded":
            return 0.0
        s.breached_at = min(s.breached_at or wait.due, wait.due)
        others = self.eligible(when, s.language, holder, wait.due)
        if not others or holder != s.assignee or holder not in self.desk.members:
            return 0.0
        data = {"clock": name, "due": iso(wait.due)}
        return at if self.give(s, "reassigned", at, self.pick(others), data) else None

    # -- what the customer's message does to the clocks ---------------------------------

    def arrived(self, s: Story, number: int) -> None:
        """Routing after a customer's message: a new conversation gets its first clock and
        someone on shift; later, a pause ends and the next-response clock starts."""
        mail = s.mails[number]
        at, routed = mail.at, self.processed(mail.at)
        target = s.target
        if number == 0:
            if target is not None and target.first_response is not None:
                self.start_wait(s, "first_response", at, target.first_response, routed)
            if s.routed:
                if self.eligible(at, s.language, due=s.wait.due if s.wait else None):
                    self.hold(s, at, arriving=True)
                else:
                    self.step(s, "queued", routed)
            return
        if not mail.human:
            return
        if mail.thanks:
            # As the pipeline and routing take it: no reopening, and no clock after an answer.
            earlier = ((m.at, m.out, m.thanks) for m in s.mails[:number] if m.human)
            if s.status in ("solved", "pending") or asks_nothing(True, *counted(earlier)):
                return
        counts_from = at
        if s.status == "solved":
            s.status = "open"  # the pipeline reopens it; routing ends the pause when it looks
            self.pause(s, routed, "", routed)
            counts_from = routed
        elif s.status == "pending":
            s.status = "open"  # the pipeline reopens it too; the wait ends when they wrote
            self.pause(s, routed, "", at)
        answered = any(m.out and m.human for m in s.mails)
        if s.wait is None and answered and target is not None and target.next_response:
            key = f"next_response@{iso(at)}"
            self.start_wait(s, key, counts_from, target.next_response, routed)

    def start_wait(self, s: Story, key: str, at: float, target: float, routed: float) -> None:
        """A response clock counting from ``at`` (after any pause), set by routing."""
        assert s.target is not None
        share = s.target.remind_at
        s.wait = Wait(key, at, at + target * share, at + target)
        name = key.partition("@")[0]
        data = {"clock": name, "due": iso(at + target), "policy": s.target.policy}
        self.step(s, "clock", routed, data)
