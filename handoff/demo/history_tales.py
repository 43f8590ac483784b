"""The conversations of the demo's history, one story each (pure; see ``history_story``).

Most are the team's: a customer writes in one of five languages, the team answers, the
customer follows up, until it is solved (or the customer goes quiet); some get a nudge, an
out-of-office reply, a rating, a note, a peek from the founder, an escalation to her.
About one in a hundred is the founder's own business (investors, lawyers, press,
partners), and about one in seven is noise: newsletters, spam, auto-replies, bounces.
"""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from handoff.demo import history_content as hc
from handoff.demo import history_exchanges as hx
from handoff.demo import history_founder_noise as hf
from handoff.demo.cast import INVESTORS, LAW_FIRMS, MEDIA, NEWSLETTERS, PARTNERS
from handoff.demo.history_clockwork import ANSWER_MEDIAN, delay
from handoff.demo.history_mail import PARIS, UTC_ZONE, Letters, Thread
from handoff.demo.history_story import DAY, HOUR, MINUTE, Decided, Desk, Mail, Story

FOUNDER_SHARE, NOISE_SHARE = 0.01, 0.15
ROUNDS = 7.0  # mean follow-ups of a team conversation
NOTE, RATE = 0.05, 0.15
# The founder lets go as the months go by: fewer escalations to her, fewer times she
# answers in the team's place, fewer peeks (chances at the start and at the end).
ESCALATE, JUMP_IN, PEEK = (0.035, 0.005), (0.01, 0.001), (0.014, 0.002)
THANKS_LATER, ABANDON, AUTOREPLY = 0.2, 0.04, 0.025
FOUNDER_ORGS = {"investor": INVESTORS, "lawyer": LAW_FIRMS, "press": MEDIA, "partner": PARTNERS}
RELAY = "relay.mailhost.example"


class Teller(Letters):
    """Tells the conversations, oldest first, with one random generator."""

    def __init__(
        self, desk: Desk, rng: random.Random, now: float, start: float, seed: int, version: int
    ) -> None:
        super().__init__(desk, rng, now, seed, version)
        self.start = start

    def chance(self, bounds: tuple[float, float], at: float) -> bool:
        """A draw whose chance moves from ``bounds[0]`` at the start to ``bounds[1]`` now."""
        progress = (at - self.start) / max(self.now - self.start, 1.0)
        return self.rng.random() < bounds[0] + (bounds[1] - bounds[0]) * progress

    def tell(self, index: int, at: float, zone: ZoneInfo, language: str) -> Story:
        chance = self.rng.random()
        if chance < FOUNDER_SHARE:
            return self.founder_business(index, at)
        if chance < FOUNDER_SHARE + NOISE_SHARE:
            return self.noise(index, at, language)
        return self.team(index, at, zone, language)

    # -- the team's conversations -------------------------------------------------------

    def team(self, index: int, at: float, zone: ZoneInfo, lang: str) -> Story:
        rng = self.rng
        category = rng.choices(hc.TEAM_CATEGORIES, hc.CATEGORY_WEIGHTS)[0]
        name, address, first, company = self.customer(lang)
        s = Story(index, "team", category, lang, address)
        s.target = self.desk.target("team", category)
        count = rng.randint(3, 40)
        ctx = {
            "first": first,
            "company": company,
            "n": str(count),
            "feature": rng.choice(hc.FEATURES),
            "amount": self.amount(lang, count),
            "invoice": f"AR-{datetime.fromtimestamp(at, UTC_ZONE).year}-{rng.randint(1000, 9999)}",
        }
        mailbox = self.desk.mailboxes["sales" if category == "presales" else "support"]
        subject = rng.choice(hc.SUBJECTS[lang][category]).format_map(ctx)
        t = Thread(s, name, address, zone, mailbox, subject, first)
        body = rng.choice(hc.OPENING[lang][category]).format_map(ctx)
        sign = rng.choice(hc.SIGN_CUSTOMER[lang])
        if self.from_customer(t, at, f"{hc.GREETING[lang]}\n\n{body}\n\n{sign}\n{first}") is None:
            return s
        rounds = min(24, int(rng.expovariate(1 / ROUNDS)))
        escalate = rng.randrange(rounds) if rounds and self.chance(ESCALATE, at) else -1
        jump_in = rng.randrange(rounds + 1) if self.chance(JUMP_IN, at) else -1
        asked, thanked = at, False
        # In an order of the conversation's own, from a generator of its own: the wording
        # chosen never changes the story (who answers when, escalations, ratings).
        exchanges = list(hx.EXCHANGES[lang])
        random.Random(f"{self.seed}.{index}").shuffle(exchanges)
        for number in range(rounds + 1):
            median = ANSWER_MEDIAN[category]
            if s.moved:
                answered = self.founder_time(s, max(asked, s.moved[0]))
            else:
                answered = self.answer(s, asked, median)
            if answered is None:
                break
            who = self.founder_id if s.moved or number == jump_in else s.assignee
            self.nudge(t, asked, answered)
            if number == 0:
                text = hc.ANSWER[lang][category][0]
            else:
                text = hc.DONE[lang] if thanked else exchanges[(number - 1) % len(exchanges)][1]
            reply = self.from_team(t, answered, who, text.format_map(ctx))
            if reply is None:
                break
            when = answered + rng.uniform(5.0, 240.0)
            if number == rounds:
                if self.set_status(s, "solved", when, who):
                    self.rate(s, reply, answered)
                    self.thanks_later(t, when)
                break
            if rng.random() < AUTOREPLY:
                self.out_of_office(t, answered + rng.uniform(2.0, 4.0))  # before any status
            if not self.set_status(s, "pending", when, who):
                break
            if rng.random() < ABANDON:  # the customer never writes back
                self.set_status(s, "solved", when + rng.uniform(3 * DAY, 7 * DAY), s.assignee)
                break
            asked = when + delay(rng, 5 * HOUR, 1.3)  # after the status the reply left
            thanked = number + 1 == rounds and rng.random() < 0.4
            words = hc.THANKS[lang] if thanked else exchanges[number % len(exchanges)][0]
            said = f"{words.format(agent=self.first_of(who))}\n\n{first}"
            wrote = self.from_customer(t, asked, said) is not None
            if wrote and number == escalate and category == "support":
                self.escalate(s, asked + delay(rng, HOUR))
            if s.stopped:
                break
        self.afterwards(s, at)
        return s

    def nudge(self, t: Thread, asked: float, answered: float) -> None:
        if answered - asked > 20 * HOUR and self.rng.random() < 0.6:
            at = asked + self.rng.uniform(20 * HOUR, answered - asked)
            self.from_customer(t, at, f"{hc.NUDGE[t.story.language]}\n\n{t.first}")

    def escalate(self, s: Story, at: float) -> None:
        """The head hands it to the founder: founder business after all."""
        if not self.step(s, "moved", at, {"to": "founder"}, actor=self.desk.head):
            return
        s.moved, s.lane = (at, self.desk.head), "founder"
        s.target = self.desk.target("founder", s.category)
        if s.target is None:
            s.wait = None
        if s.assignee is not None and s.assignee != self.desk.head:
            self.give(s, "queued", at, None, {"reason": "founder lane"})
        if s.assignee is None:
            self.give(s, "assigned", at, self.founder_id, {"rule": True})

    def founder_time(self, s: Story, at: float) -> float | None:
        """When Camille answers: within hours, in her waking hours."""
        when = at + delay(self.rng, 3 * HOUR, 1.0)
        hour = datetime.fromtimestamp(when, PARIS).hour
        if hour < 7 or hour >= 23:
            when += ((31 - hour) % 24) * HOUR + self.rng.uniform(0, 2 * HOUR)
        if when > self.now:
            s.stopped = True
            return None
        return when

    def rate(self, s: Story, reply: int, at: float) -> None:
        rng = self.rng
        if rng.random() > RATE:
            return
        weights = (40, 30, 30) if s.breached_at else (85, 10, 5)
        score = rng.choices(("good", "okay", "bad"), weights)[0]
        comment = hc.RATING_COMMENTS[score][s.language] if rng.random() < 0.25 else ""
        when = at + delay(rng, 3 * HOUR, 1.2)
        extra = {"comment": comment} if comment else {}
        if self.step(s, "rated", when, {"score": score, **extra}, mail=reply):
            s.ratings.append((reply, score, comment, when))

    def thanks_later(self, t: Thread, solved: float) -> None:
        """The customer thanks after it was solved: it reopens; someone solves it again."""
        s = t.story
        if self.rng.random() > THANKS_LATER:
            return
        at = solved + delay(self.rng, 2 * HOUR)
        if self.from_customer(t, at, f"{hc.THANKS[s.language]}\n\n{t.first}") is None:
            return
        seen = self.answer(s, at, 40 * MINUTE)
        if seen is not None:
            self.set_status(s, "solved", seen, s.assignee)

    def afterwards(self, s: Story, at: float) -> None:
        """A note for the team, and now and then the founder looking over their shoulder
        (less as the months go by)."""
        rng, last = self.rng, s.mails[-1].at
        if len(s.mails) > 1 and rng.random() < NOTE:
            who = s.assignee or self.desk.head
            when = rng.uniform(s.mails[1].at, last + HOUR)
            self.step(s, "note", when, {"text": rng.choice(hc.NOTES)}, actor=who)
        if s.moved is None and self.chance(PEEK, at):
            when = rng.uniform(at, last + DAY)
            if self.step(s, "peek", when, {"what": "conversation"}, actor=self.founder_id):
                s.peeks.append(when)

    # -- founder business and noise -----------------------------------------------------

    def founder_business(self, index: int, at: float) -> Story:
        rng = self.rng
        group = rng.choice(("investor", "investor", "lawyer", "press", "partner"))
        lang, subject, opening, answer = rng.choice(hf.FOUNDER_MAIL[group])
        org = rng.choice(FOUNDER_ORGS[group])
        first, last = rng.choice(hc.FIRST_NAMES[lang]), rng.choice(hc.LAST_NAMES[lang])
        address = f"{hc.ascii_part(first)}.{hc.ascii_part(last)}@{org.domain}"
        s = Story(index, "founder", "founder", lang, address)
        zone = PARIS if lang == "fr" else ZoneInfo("Europe/London")
        t = Thread(s, f"{first} {last}", address, zone, self.founder_address, subject, first)
        rule = f"founder rule: domain {org.domain}"
        decision = Decided("founder", "founder", lang, 1.0, "founder_rule", rule)
        if self.from_customer(t, at, opening.format(first=first), decision=decision) is None:
            return s
        self.give(s, "assigned", self.processed(at), self.founder_id, {"rule": True})
        asked, turns = at, rng.randint(1, 3)
        for turn in range(turns):
            answered = self.founder_time(s, asked)
            text = (answer if turn == 0 else hf.FOUNDER_CLOSE[lang]).format(first=first)
            if answered is None or self.from_team(t, answered, None, text, framed=False) is None:
                return s
            if turn == turns - 1:
                if rng.random() < 0.8:  # she rarely leaves her own mail open
                    solved = answered + rng.uniform(60.0, HOUR)
                    self.set_status(s, "solved", solved, self.founder_id)
                else:  # answered: waiting on them, as her reply leaves it
                    self.set_status(s, "pending", answered, self.founder_id)
                break
            self.set_status(s, "pending", answered, self.founder_id)
            asked = answered + 60.0 + delay(rng, 6 * HOUR)
            words = f"{hf.FOUNDER_THANKS[lang]}\n\n{first}"
            if self.from_customer(t, asked, words, decision=decision) is None:
                return s
        return s

    def noise(self, index: int, at: float, lang: str) -> Story:
        """Mail nobody answers: a newsletter, spam, an out-of-office reply to mail the
        founder sent from her own client, a bounce of one."""
        kind = self.rng.choices(("list", "spam", "autoreply", "bounce"), (40, 30, 15, 15))[0]
        lang = lang if kind == "autoreply" else "en"
        mail = self.machine(kind, index, at, lang)
        spam = kind == "spam"
        s = Story(index, "noise", mail.decision.category, lang, mail.sender[1] if spam else "")
        s.routed = False  # the demo's rule: noise stays out
        mail.msgid = self.msgid(s, mail.sender[1].rpartition("@")[2].lower())
        self.mail(s, mail, mail.text)
        return s

    def machine(self, kind: str, index: int, at: float, lang: str) -> Mail:
        rng = self.rng
        to = rng.choice((self.founder_address, self.desk.mailboxes["support"]))
        first = rng.choice(hc.FIRST_NAMES[lang])
        unknown = Decided("noise", "bulk", lang, 1.0, "noise", "")
        mail = Mail(at, False, ("", ""), ("", to), "", "", "", UTC_ZONE, unknown, kind=kind)
        mail.human = False
        if kind == "list":
            org, issue = rng.choice(NEWSLETTERS), index % 300 + 1
            mail.sender, mail.subject = (org.name, f"news@{org.domain}"), f"{org.name} #{issue}"
            mail.text = hf.NEWSLETTER[1].format(n=issue)
            mail.reason = f"List-Id: {org.name} <news.{org.domain}>"
        elif kind == "spam":
            address = f"{first.lower()}@rank-boost-{index % 97}.example"
            mail.sender, mail.subject = (f"{first} | Growth", address), hf.SPAM[0]
            mail.text = hf.SPAM[1].format(company="Acme Reports")
            confidence, scores, words = rng.choice(self.scores["spam"])
            said = f"{self.source}: noise {confidence:.2f}; words: {words}"
            mail.decision = Decided("noise", "spam", "en", confidence, "classifier", said, scores)
            mail.kind, mail.human = "", True  # no header says so: the classifier does
            return mail
        elif kind == "autoreply":
            name, address, first, _ = self.customer(lang)
            mail.sender = (name, address)
            mail.subject = hf.AUTOREPLY[lang][0].format(subject="Acme Reports")
            back = f"{datetime.fromtimestamp(at + 5 * DAY, UTC_ZONE):%d/%m}"
            mail.text = hf.AUTOREPLY[lang][1].format(day=back, first=first)
            mail.references = (f"{rng.getrandbits(64):016x}@{self.desk.domain}",)
            mail.reason = "Auto-Submitted: auto-replied"
        else:
            original = f"{rng.getrandbits(64):016x}@{self.desk.domain}"
            domain = f"{hc.ascii_part(rng.choice(hc.LAST_NAMES['en']))}.example"
            mail.sender = ("Mail Delivery System", f"MAILER-DAEMON@{RELAY}")
            mail.to, mail.subject = ("", self.founder_address), hf.BOUNCE[0]
            mail.text = (
                hf.BOUNCE[1].format(rcpt=f"{first.lower()}@{domain}", domain=domain)
                + f"\n--- Headers of the original message ---\nMessage-ID: <{original}>\n"
                f"From: {self.founder_name} <{self.founder_address}>"
            )
            mail.bounced, mail.reason = (original,), f"From mailer-daemon@{RELAY} (mail system)"
        category = {"list": "bulk", "autoreply": "autoreply", "bounce": "bounce"}[kind]
        why = f"noise ({kind}): {mail.reason}"
        mail.decision = Decided("noise", category, lang, 1.0, "noise", why)
        return mail
