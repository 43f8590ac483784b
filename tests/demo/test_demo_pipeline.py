"""`handoff demo` makes its desk with the real parts: the demo company's configuration file,
then the one pipeline (parse, thread, triage, route) for every message."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from handoff.accounts.models import Role, User
from handoff.demo.cast import INVESTORS, LAW_FIRMS, MEDIA, PARTNERS, TEAM
from handoff.desk.access import visible_conversations
from handoff.ops.management.commands.demo import demo_config
from handoff.routing.config.apply import apply_text
from handoff.routing.models import Clock, Person
from handoff.routing.roster import Roster
from handoff.routing.time.calendar import is_open
from handoff.tickets.models import Conversation, Message
from handoff.triage import lanes
from handoff.triage.models import Decision, FounderRule

pytestmark = pytest.mark.django_db

TICKETS = 40
HEAD = "sophie@acme-reports.example"
FOUNDER_SUBJECTS = ("Board deck for Thursday", "Contrat de licence Datavue - nos observations")


def last(at: time) -> datetime:
    """The last Monday the clock showed ``at`` (UTC): the shifts differ by weekday."""
    now = datetime.now(UTC)
    moment = datetime.combine(now.date() - timedelta(days=now.weekday()), at, tzinfo=UTC)
    return moment if moment <= now else moment - timedelta(days=7)


# On a Monday, Inès (Paris) and Chris (Manila) are both on shift at 07:30 UTC, in every
# season, and nobody else is.
BOTH_AGENTS_WORK = time(7, 30)
# Only Inès is on shift at 11:00 UTC on a Monday, in every season (Jonas starts on
# Wednesdays, Sophie and Maria later in the day, Chris earlier).
ONLY_INES_WORKS = time(11, 0)


def run_demo(at: time = BOTH_AGENTS_WORK, tickets: int = TICKETS) -> datetime:
    """``handoff demo`` without its history, run on the last Monday the clock showed ``at``."""
    moment = last(at)
    with time_machine.travel(moment, tick=False):
        call_command("demo", tickets=tickets, history=0, stdout=StringIO())
    return moment


def user(name: str) -> User:
    return User.objects.get(email=f"{name}@acme-reports.example")


@pytest.fixture
def demo() -> datetime:
    return run_demo()


def test_the_demo_configuration_applies_cleanly_and_says_nothing_worrying() -> None:
    outcome = apply_text(demo_config(), timezone.now())
    assert outcome.ok, outcome.errors
    assert outcome.warnings == []
    assert apply_text(demo_config(), timezone.now()).changes == []  # idempotent


def test_the_team_follows_the_sun_around_the_clock_all_year() -> None:
    assert apply_text(demo_config(), timezone.now()).ok
    team = {p.email for p in TEAM if p.role in {"head", "agent"}}
    assert set(Person.objects.exclude(team=None).values_list("user__email", flat=True)) == team
    assert Person.objects.get(user__email=TEAM[0].email).team is None  # the founder
    members = Roster.load(datetime(2026, 1, 1, tzinfo=UTC)).members.values()
    schedules = [m.availability for m in members if m.team_id is not None]
    assert len(schedules) == len(team)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Every half hour of a year: both daylight-saving changes of both hemispheres.
    for step in range(365 * 48):
        at = start + timedelta(minutes=30 * step)
        assert any(s is not None and is_open(s, at) for s in schedules), at


def test_the_founder_rules_name_the_investors_lawyers_press_and_partners() -> None:
    assert apply_text(demo_config(), timezone.now()).ok
    domains = set(FounderRule.objects.filter(kind="domain").values_list("value", flat=True))
    for org in (*INVESTORS, *LAW_FIRMS, *MEDIA, *PARTNERS):
        assert org.domain in domains, org.name


def test_the_demo_logins_have_their_roles_time_zones_and_languages(demo) -> None:
    for person in TEAM:
        found = User.objects.get(email=person.email)
        assert found.role == person.role
        assert found.has_usable_password()
        assert (found.time_zone, found.language) == (person.time_zone, person.language)
    assert user("camille").role == Role.FOUNDER
    assert (user("camille").time_zone, user("camille").language) == ("Europe/Paris", "fr")
    zones = {p.time_zone for p in TEAM if p.role in {"head", "agent"}}
    assert zones == {"America/Montreal", "Europe/Paris", "Asia/Manila"}
    # The team's time zones are the ones their shifts are read in.
    for person in TEAM[1:]:
        assert Person.objects.get(user__email=person.email).time_zone == person.time_zone


def test_every_inbound_message_is_triaged(demo) -> None:
    inbound = Message.objects.filter(direction=Message.Direction.IN)
    assert inbound.count() > TICKETS
    assert not inbound.filter(triage__isnull=True).exists()
    assert Decision.objects.filter(message__in=inbound).count() == inbound.count()
    lanes = set(Decision.objects.values_list("lane", flat=True))
    assert lanes == {"founder", "team", "noise"}


def test_founder_mail_is_in_her_lane_and_hidden_from_the_agents(demo) -> None:
    founder_lane = Conversation.objects.filter(lanes.founder_lane())
    subjects = set(founder_lane.values_list("subject", flat=True))
    for subject in FOUNDER_SUBJECTS:
        assert subject in subjects
    agent_sees = visible_conversations(user("ines"))
    assert agent_sees.exists()
    assert not agent_sees.filter(pk__in=founder_lane).exists()
    assert not visible_conversations(user("chris")).filter(pk__in=founder_lane).exists()
    assert set(founder_lane) <= set(visible_conversations(user("camille")))
    # The founder holds them; no agent does.
    assert set(
        Clock.objects.filter(pk__in=founder_lane).values_list("assignee__email", flat=True)
    ) == {"camille@acme-reports.example"}


def test_open_team_conversations_go_to_people_on_shift_with_answer_by_times(demo) -> None:
    clocks = Clock.objects.filter(lane="team", is_open=True, routed=True)
    assert clocks.count() >= TICKETS // 2
    agents = {"ines@acme-reports.example", "chris@acme-reports.example"}  # on shift at 07:30
    holders = set(clocks.values_list("assignee__email", flat=True))
    assert holders == agents  # nobody left in the queue, the work shared
    for clock in clocks:
        assert clock.policy is not None, clock.pk
        assert clock.first_response_due is not None, clock.pk
    # What is still to be answered has an answer-by time, so it sorts in the queues.
    waiting = clocks.filter(first_responded_at=None)
    assert waiting.exists()
    for clock in waiting:
        assert clock.respond_by == clock.first_response_due
    assert clocks.exclude(respond_by=None).count() > waiting.count()


def test_a_buyer_is_owed_an_answer_within_the_hour_of_writing(demo) -> None:
    presales = Clock.objects.filter(category="presales", lane="team").select_related(
        "conversation", "policy"
    )
    assert presales.exists()
    for clock in presales:
        first = clock.conversation.messages.filter(direction=Message.Direction.IN).earliest(
            "received_at"
        )
        assert first.received_at == first.sent_at  # the demo's clock: mail arrives as dated
        assert clock.conversation.created_at == first.sent_at
        assert clock.policy.name == "presales"
        # 24/7: one hour on the calendar, night or weekend.
        assert clock.first_response_due - first.sent_at == timedelta(hours=1)


def test_the_demo_twice_stores_nothing_new(demo) -> None:
    counts = (Message.objects.count(), Conversation.objects.count(), Decision.objects.count())
    with time_machine.travel(demo, tick=False):
        call_command("demo", tickets=TICKETS, history=0, stdout=StringIO())
    assert (Message.objects.count(), Conversation.objects.count(), Decision.objects.count()) == (
        counts
    )


def test_the_head_corrected_what_the_desk_sorted_wrong(demo) -> None:
    from handoff.demo.scenarios import SCENARIOS
    from handoff.ops.demo_corrections import FIRST, correct_recent
    from handoff.triage.models import Label

    labels = Label.objects.filter(source=Label.Source.CORRECTION, by__email=HEAD)
    assert labels.exists()  # the starter model gets some of the demo's mail wrong
    for message in Message.objects.filter(message_id__contains="-0@").select_related("triage"):
        found = FIRST.match(message.message_id)
        kind = SCENARIOS[int(found["index"]) % len(SCENARIOS)].kind if found else "noise"
        if kind != "noise" and message.direction == Message.Direction.IN:
            assert message.triage.category == kind, message.message_id
    assert correct_recent(HEAD, seed=7) == 0  # again: nothing left to correct


def test_the_noise_audit_shows_founder_mail_that_came_as_a_list(demo) -> None:
    """The press agency's draft comes through its mailing tool (list headers: noise), and
    the classifier takes it for the founder's: the head's audit marks it and lists it first."""
    from tests.helpers import logged_in

    page = logged_in(user("sophie")).get("/?queue=noise&founder=1")
    assert [c.subject for c in page.context["page"]] == [
        "Projet de communiqué à valider : Acme Reports annonce sa levée de fonds"
    ]
    assert "founder-scored" in page.content.decode()


def test_the_quarantine_shows_a_message_whose_charset_lied(demo) -> None:
    """An old mail client labels its Latin-1 bytes US-ASCII: the desk reads the words right
    anyway, and the message shows in the head's quarantine with what was wrong."""
    from tests.helpers import logged_in

    damaged = list(Message.objects.exclude(warnings=[]))
    assert damaged  # the scenario comes round once in every few dozen tickets
    page = logged_in(user("sophie")).get("/quarantine/").content.decode()
    for message in damaged:
        assert message.warnings == ["text is not valid us-ascii"]
        assert message.text.startswith("Parfait, c'est fait. Merci pour l'explication!")
        assert f"/c/{message.conversation_id}/" in page
    assert "text is not valid us-ascii" in page
    assert logged_in(user("chris")).get("/quarantine/").status_code == 404  # the head's page
