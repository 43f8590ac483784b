"""The demo company's delegation ledger, told as plans (pure; ``handoff.ops.demo_ledger``
writes them): about sixty tasks of the last four months, in French and English.

A plan is what happened to a task: who owned it when, the check-in dates agreed and how
each went, the founder's hours, how it ended. Told without a database, each story is
coherent by construction (a check-in is answered or missed once its day has come, a task
is done after its last hour) and tests read it directly. Moments are days from today (0:
today, -1: yesterday) and minutes on the founder's clock; one seed, one day, one ledger.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from handoff.demo.cast import TEAM

FOUNDER, HEAD = "camille", "sophie"
BANDS = {10: "Admin", 100: "Operations", 1000: "Growth", 10000: "Vision"}
CURRENCY = "EUR"
LANGUAGE = {p.email.split("@")[0]: p.language for p in TEAM}
# Whom the founder and the head hand work to, by the language the task is written in.
SPEAKERS = {
    lang: tuple(p.email.split("@")[0] for p in TEAM if p.role != "founder" and p.language == lang)
    for lang in ("fr", "en")
}
SOURCES = ("desk", "desk", "desk", "email", "email", "command")
STATUSES, STATUS_WEIGHTS = ("on_track", "needs_help", "blocked"), (65, 20, 15)
LAST_MINUTE = 23 * 60 + 59
SATURDAY = 5
HISTORY_DAYS = 118  # the oldest task: four months ago

# D: delegated to the team; X: delegated, then dropped; U: nobody owns it yet; K: the
# founder keeps it, with her estimate in minutes ("-": none), the minutes it really took
# and how it ends. Then the language, the value band ("-": none), title | outcome
# expected. An indented line under a task is its description.
TASKS = """
D fr 100 Refaire la FAQ facturation (TVA, autoliquidation) | Une page à jour, relue par le comptable
D en 10 Clean up duplicate accounts in the CRM | No duplicates left, the merge rules written down
D fr 10 Relancer les factures impayées depuis 30 jours | Chacune payée, ou un échéancier noté
D en 100 Write the help article on view-only client access | Published, with screenshots
D fr 100 Trier les demandes de fonctionnalités du trimestre | Un tableau classé par clients
D en 100 Set up a public status page | Incidents posted by the team, without me
D fr 10 Mettre à jour les mentions légales et les CGV | Nouvelle adresse partout, ancienne archivée
D en 1000 Run the customer interviews on the new pricing | Eight interviews, notes shared, a summary
  Agencies of every size, at least two that left us last year.
D fr 100 Trouver un freelance pour les traductions allemandes | Deux devis comparés, 2 000 € au plus
D en 10 Book the venue for the team offsite | Six people, two days, under €1,500
D fr 100 Préparer l'arrivée des nouveaux agents | Accès, planning de la semaine, un binôme chacun
D en 100 Test the HubSpot connector before the release | Bugs filed, go or no-go on Thursday
D fr 10 Commander les ordinateurs des nouveaux | Deux portables livrés et configurés
D en 100 Build the churn report for last quarter | Who left, why, and the reasons that come back
D fr 100 Rédiger les réponses types aux erreurs de connecteur | Six macros relues, adoptées par tous
D en 10 Renew the domain names and certificates | All renewed for two years, reminders set
D fr 10 Résilier les abonnements logiciels inutilisés | Cinq outils résiliés, l'économie chiffrée
D en 100 Answer the security questionnaire from Northwind | Sent back, answers kept for next time
D fr 1000 Renégocier le contrat d'hébergement | Même prix ou moins, sortie possible à 3 mois
  Le contrat actuel se renouvelle tout seul pour deux ans si on ne dit rien.
D en 1000 Draft the partner programme | Terms, commission and a draft agreement to review
D fr 100 Traduire le guide de démarrage | Guide publié en français, captures d'écran à jour
D en 10 Tidy the shared drive into the new folders | Everything moved, old links still working
D fr 10 Envoyer l'attestation d'assurance au bailleur | Envoyée, l'accusé de réception classé
D en 100 Record the onboarding videos | Five short videos, subtitled, in the help centre
D fr 100 Mettre en place l'astreinte du week-end | Trois mois de planning validés par l'équipe
D en 100 Watch the Meta Ads tokens before they expire | An alert before the customers notice
D fr 1000 Monter le dossier de subvention Bpifrance | Dossier complet déposé avant la date limite
D en 100 Document the refund process | One page: who decides, up to what amount, how
D fr 10 Saisir les notes de frais du trimestre | Toutes saisies, justificatifs joints
D en 1000 Find and brief a PR freelancer | Three names, one chosen, a brief for the launch
D fr 100 Migrer la newsletter vers le nouvel outil | Liste importée, désinscriptions respectées
D en 10 Update the shift calendar for the holidays | Every day covered, the team agreed
D fr 100 Organiser le webinaire « rapports automatiques » | Date fixée, 50 inscrits, replay en ligne
D en 100 Clean up the onboarding checklist in the app | Ten steps, none out of date
X en 100 Launch a podcast about client reporting | Six episodes recorded before the launch
  Guests from three agency customers; budget €800.
K en 100 5 1500 done Just update the annual price on the pricing page | New price everywhere
  Five minutes, I thought. It is in four places, and the checkout keeps its own copy.
K fr 10 15 240 done Répondre à l'expert-comptable sur la TVA | Ses trois questions réglées
K fr 1000 240 270 done Préparer le point investisseurs trimestriel | Chiffres et faits marquants
K en 10000 960 1020 done Write the two-year product memo | Two pages the team can decide with
K fr 10 10 180 done Changer la carte bancaire sur tous les outils | Plus aucun paiement refusé
  Dix minutes… sauf qu'il y avait 23 abonnements, dont 4 avec validation par SMS.
K en 1000 180 200 done Negotiate the yearly deal with Brightside Media | Signed for 40 seats
K fr 100 60 720 done Refaire le tableau de bord des métriques | MRR, churn et activation à jour
  Une heure, pensais-je : les chiffres de l'ancien tableur ne collaient pas.
K en 10 5 95 done Fix the VAT line on the invoice template | Reverse charge shown for EU customers
K fr 1000 120 110 done Écrire la fiche de poste commercial | Publiée, relue par Sophie
K en 10000 300 330 done Rehearse the pitch for the seed extension | Twenty minutes, questions ready
K fr 10 5 960 done Mettre le nouveau logo dans les exports PDF | Le logo net sur tous les modèles
  Cinq minutes… puis deux jours : chaque modèle avait son propre en-tête.
K en 100 45 50 done Review the support macros before the holidays | Every macro current
K fr 10000 480 300 open Revoir la grille tarifaire des agences | Trois paliers testés sur 10 clients
K en 1000 240 90 open Prepare the board meeting | Deck and numbers sent a week before
K fr 10 - 120 open Faire le tri dans la boîte support partagée | Rien de plus d'un mois sans réponse
K en 100 120 0 open Rewrite the onboarding email sequence | Five emails, one goal each
K fr 1000 2400 240 dropped Traduire l'application en espagnol | L'application et l'aide en espagnol
  Pour les agences d'Espagne et d'Amérique latine qui nous écrivent.
U fr 100 Choisir un outil de signature électronique | Un outil choisi, moins de 30 € par mois
U en 1000 Look into a Looker Studio connector | How many customers ask, and what it would take
U fr 10 Renouveler la mutuelle d'entreprise | Contrat renouvelé, ou un meilleur devis signé
U en 100 Ask three customers for a case study | Three yeses, interviews booked
U fr - Idée : un programme de parrainage | Savoir si ça vaut la peine d'essayer
"""
# What owners say when they check in: their language, the status, the line.
LINES_TEXT = """
fr on_track premier jet fait, relecture jeudi
fr on_track ça avance, il me reste la partie facturation
fr on_track aux deux tiers, rien de bloquant
fr needs_help il me faut ton accord sur le budget avant d'aller plus loin
fr needs_help je n'ai pas les accès, tu peux me les transmettre ?
fr needs_help deux options possibles, j'ai besoin que tu tranches
fr blocked en attente du prestataire depuis lundi
fr blocked il faut ta signature, le compte est à ton nom
fr blocked pas de réponse du client, je relance demain
en on_track first draft done, review on Thursday
en on_track going well, only the billing part left
en on_track two thirds done, nothing in the way
en needs_help I need your OK on the budget before going further
en needs_help I don't have the access, can you share it?
en needs_help two ways to do it, I need you to pick one
en blocked waiting on the vendor since Monday
en blocked needs your signature, the account is in your name
en blocked no answer from the customer, chasing again tomorrow
"""


@dataclass(frozen=True, slots=True)
class Tale:
    """A task's words and value; the founder's own: her estimate, the time it took, its end."""

    kind: str
    lang: str
    band: int | None
    title: str
    outcome: str
    description: str = ""
    estimate: int | None = None
    spent: int = 0
    end: str = "open"


def read_tales(text: str) -> list[Tale]:
    tales: list[Tale] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" "):
            tales[-1] = replace(tales[-1], description=line.strip())
            continue
        kind, lang, band, rest = line.split(" ", 3)
        title, _, outcome = rest.partition(" | ")
        tale = Tale(kind, lang, None if band == "-" else int(band), title, outcome)
        if kind == "K":
            estimate, spent, end, title = title.split(" ", 3)
            number = None if estimate == "-" else int(estimate)
            tale = replace(tale, title=title, estimate=number, spent=int(spent), end=end)
        tales.append(tale)
    return tales


TALES = read_tales(TASKS)
LINES: dict[str, dict[str, list[str]]] = {"fr": {}, "en": {}}
for _lang, _status, _said in (line.split(" ", 2) for line in LINES_TEXT.strip().splitlines()):
    LINES[_lang].setdefault(_status, []).append(_said)
# Made from a demo conversation (found by subject): the tale, subject, maker, owner.
LINKED = (
    (Tale("L", "en", 1000, "Send the DPA and the hosting answers", "DPA countersigned, hosting "
          "questions answered", "They sign once our DPA is countersigned."),
     "Data hosting and DPA before we sign", HEAD, FOUNDER),
    (Tale("L", "fr", 10000, "Répondre aux observations de l'avocat sur le contrat Datavue",
          "Notre position article par article, envoyée à l'avocat", estimate=60),
     "Contrat de licence Datavue", FOUNDER, FOUNDER),
)  # fmt: skip


@dataclass(frozen=True, slots=True, order=True)
class Moment:
    day: int
    minute: int

    def later(self, minutes: int) -> Moment:
        """The same day, a little later: the day is what the ledger counts."""
        return Moment(self.day, min(self.minute + minutes, LAST_MINUTE))


@dataclass(frozen=True, slots=True)
class Handover:
    """The task given to ``to`` by ``by`` (``previous`` had it)."""

    at: Moment
    by: str
    to: str
    previous: str | None


@dataclass(slots=True)
class Check:
    """A check-in date, agreed by ``by``; ``owner`` is who owned the task when it came."""

    on: int
    agreed: Moment
    by: str
    owner: str = ""
    reminded: Moment | None = None
    missed: Moment | None = None
    answered: Moment | None = None
    status: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class Work:
    """The founder's time on the task: ``timed`` with the timer, else typed when done."""

    start: Moment
    minutes: int
    timed: bool

    @property
    def end(self) -> Moment:
        return self.start.later(self.minutes)


@dataclass(slots=True)
class Plan:
    tale: Tale
    source: str
    created: Moment
    creator: str
    conversation: str = ""  # the subject of the conversation it was made from
    owner: str | None = None
    due: int | None = None
    status: str = "open"
    closed: Moment | None = None
    closer: str = ""
    handovers: list[Handover] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    work: list[Work] = field(default_factory=list)
    moved: list[tuple[Moment, str]] = field(default_factory=list)  # due date changed

    def own(self, at: Moment, by: str, to: str) -> None:
        self.handovers.append(Handover(at, by, to, self.owner))
        self.owner = to

    def close(self, at: Moment, by: str, status: str) -> None:
        self.status, self.closed, self.closer = status, at, by


class Teller:
    """Tells the ledger with one random generator, oldest task first."""

    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today

    def workday(self, day: int, step: int = -1) -> int:
        """``day``, or the nearest working day before it (after it, with ``step=1``)."""
        while (self.today + timedelta(days=day)).weekday() >= SATURDAY:
            day += step
        return day

    def moment(self, day: int, first: int = 9 * 60, last: int = 18 * 60) -> Moment:
        return Moment(day, self.rng.randint(first, last))

    def start(self, tale: Tale, day: int, creator: str, source: str = "") -> Plan:
        at = self.moment(day, 8 * 60 + 30, 12 * 60)
        return Plan(tale, source or self.rng.choice(SOURCES), at, creator)

    def delegated(self, tale: Tale, day: int) -> Plan:
        rng, drop = self.rng, tale.kind == "X"
        plan = self.start(tale, day, FOUNDER if rng.random() < 0.75 else HEAD)
        end = self.workday(day + rng.randint(8, 35))
        if rng.random() < 0.8:
            plan.due = end + rng.randint(0, 5)
        lang = tale.lang if rng.random() < 0.85 else {"fr": "en", "en": "fr"}[tale.lang]
        plan.own(plan.created, plan.creator, rng.choice(SPEAKERS[lang]))
        if plan.creator == FOUNDER and rng.random() < 0.6:
            plan.work.append(Work(plan.created.later(5), rng.choice((15, 20, 30, 45)), False))
        closing = drop or (end < 0 and rng.random() < 0.9)
        if closing or rng.random() < 0.85:  # else: nobody agreed a check-in date
            self.follow(plan, plan.created.later(3), end if closing else None)
        if closing:
            closer, status = (FOUNDER, "dropped") if drop else (plan.owner or FOUNDER, "done")
            plan.close(self.moment(end, 16 * 60, 18 * 60 + 30), closer, status)
        return plan

    def follow(self, plan: Plan, at: Moment, end: int | None) -> None:
        """Check-in dates one after the other, each agreed once the one before was answered
        or missed: until the task ends, or up to one still to come on an open task."""
        by = plan.creator
        on = self.workday(at.day + self.rng.randint(4, 10), 1)
        while end is None or on < end:
            check = Check(on, at, by)
            plan.checks.append(check)
            if on >= 0:
                return  # today or still to come: the desk's worker reminds the owner
            at, by = self.resolve(plan, check, end)
            on = self.workday(at.day + self.rng.randint(4, 10), 1)

    def resolve(self, plan: Plan, check: Check, end: int | None) -> tuple[Moment, str]:
        """A past check-in: reminded the day before, answered on its day, or missed (and
        sometimes answered late). Returns when, and by whom, the next one is agreed."""
        on, draw = check.on, self.rng.random()
        check.owner = plan.owner or FOUNDER
        check.reminded = self.moment(on - 1, 7 * 60, 9 * 60)
        if draw < 0.7:
            return self.answer(plan, check, self.moment(on, 9 * 60, 16 * 60 + 30))
        missed = check.missed = self.moment(on + 1, 6 * 60 + 30, 7 * 60 + 30)
        if draw < 0.85 and on + 2 <= (-1 if end is None else min(-1, end - 1)):
            return self.answer(plan, check, self.moment(on + 2, 9 * 60, 16 * 60 + 30))
        if plan.tale.kind != "X" and self.rng.random() < 0.3:
            others = [s for s in SPEAKERS[LANGUAGE[check.owner]] if s != check.owner]
            plan.own(missed.later(150), HEAD, self.rng.choice(others))
        return missed.later(180), HEAD

    def answer(self, plan: Plan, check: Check, at: Moment) -> tuple[Moment, str]:
        """The owner's answer, in their own language, and what the founder does about it;
        she (or the head) agrees the next date right after."""
        rng = self.rng
        status = "blocked" if plan.tale.kind == "X" else rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        check.answered, check.status = at, status
        check.text = rng.choice(LINES[LANGUAGE[check.owner]][status])
        if status == "needs_help":
            plan.work.append(Work(at.later(45), rng.choice((20, 30, 45, 60)), False))
        elif status == "blocked" and plan.due is not None and rng.random() < 0.5:
            plan.due = max(plan.due, at.day) + 7
            plan.moved.append((at.later(30), plan.creator))
        return at.later(10), plan.creator

    def kept(self, tale: Tale, end: int) -> Plan:
        """Worked a few hours a day up to ``end``: done or dropped then, or open since."""
        rng, day, days = self.rng, end, list[int]()
        chunks = self.chunks(tale.spent)
        for _ in chunks:
            days.insert(0, day)
            day = self.workday(day - rng.choice((1, 1, 2, 3)))
        plan = self.start(tale, days[0] if days else self.workday(-rng.randint(3, 15)), FOUNDER)
        plan.own(plan.created, FOUNDER, FOUNDER)
        last = plan.created
        for worked, minutes in zip(days, chunks, strict=True):
            latest = 20 * 60 - minutes
            first = min(last.minute + 10, latest) if worked == last.day else 9 * 60
            start, timed = self.moment(worked, first, max(first, latest)), rng.random() < 0.5
            work = Work(start, minutes, timed=timed and worked < 0)  # today's may be squeezed
            plan.work.append(work)
            last = work.end
        if tale.end != "open":
            plan.close(last.later(5), FOUNDER, tale.end)
        return plan

    def ended(self, tale: Tale, index: int) -> int:
        """One of the founder's tasks in two finished this month (the cockpit compares her
        estimates of the month), the others before; open ones were worked on lately."""
        this_month = self.today.day - 1  # days of this month before today
        if tale.end == "open":
            return -self.rng.randint(0, 3)
        if tale.end == "dropped":
            return self.workday(-70)
        if index % 2 == 0:
            return -self.rng.randint(0, this_month)
        return self.workday(-self.rng.randint(this_month + 1, HISTORY_DAYS - 10))

    def chunks(self, minutes: int) -> list[int]:
        """A day's work at a time: two to seven hours, in quarter hours."""
        parts = []
        while minutes > 0:
            parts.append(min(minutes, self.rng.randint(8, 28) * 15))
            minutes -= parts[-1]
        return parts

    def unowned(self, tale: Tale) -> Plan:
        creator = self.rng.choice((FOUNDER, HEAD))
        return self.start(tale, self.workday(-self.rng.randint(1, 20)), creator)

    def linked(self, tale: Tale, subject: str, creator: str, owner: str) -> Plan:
        """Made today from a demo conversation; the writer moves its rows to just after
        the conversation's last message, whenever that was."""
        plan = self.start(tale, 0, creator, "conversation")
        plan.conversation, plan.due = subject, self.workday(10, 1)
        plan.own(plan.created, creator, owner)
        plan.checks.append(Check(self.workday(self.rng.randint(2, 6), 1), plan.created, creator))
        return plan


def ledger_plans(seed: int, today: date) -> list[Plan]:
    """Every task of the demo ledger, oldest first; ``today`` is the founder's."""
    teller = Teller(seed, today)
    team = [t for t in TALES if t.kind == "D"]
    spread = [-HISTORY_DAYS + i * (HISTORY_DAYS - 6) // len(team) for i in range(len(team))]
    plans = [
        teller.delegated(tale, teller.workday(day + teller.rng.randint(-2, 2)))
        for tale, day in zip(team, spread, strict=True)
    ]
    plans += [teller.delegated(t, teller.workday(-60)) for t in TALES if t.kind == "X"]
    kept = [t for t in TALES if t.kind == "K"]
    plans += [teller.kept(t, teller.ended(t, i)) for i, t in enumerate(kept)]
    plans += [teller.unowned(t) for t in TALES if t.kind == "U"]
    plans += [teller.linked(*linked) for linked in LINKED]
    return sorted(plans, key=lambda p: p.created)
