"""`handoff demo --history N` writes months of history in bulk: the rows must be the ones the
pipeline, routing's sweep and the desk would have written, so that nothing downstream (the
desk, routing, the cockpit) can tell them from mail that went through the pipeline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from handoff.cockpit.models import Outcome
from handoff.demo import history_content as hc
from handoff.demo.history_exchanges import EXCHANGES
from handoff.desk.models import Peek, Rating
from handoff.lib import rawmail
from handoff.lib.reading import read
from handoff.mailin.models import RawMessage
from handoff.ops.history import span_days
from handoff.ops.management.commands.demo import LIVE, split
from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.routing.sweep import sweep
from handoff.tickets import ingest, timeline
from handoff.tickets.models import Conversation, Event, Message, ThreadRef
from handoff.tickets.threading import parent_ids
from handoff.triage import lanes
from handoff.triage.models import ConversationLane, Decision

pytestmark = pytest.mark.django_db

CONVERSATIONS = 200


def make_history(conversations: int = CONVERSATIONS) -> str:
    out = StringIO()
    call_command("demo", tickets=0, history=conversations, stdout=out, stderr=StringIO())
    return out.getvalue()


# A fixed moment (a Wednesday morning in Paris, with the history's conversations still
# running there then): the rows depend on the time of day and week the history ends, and
# at some moments of the real clock no clock was running for the check below to read.
HISTORY_END = datetime(2026, 12, 2, 9, 10, tzinfo=UTC)


@pytest.fixture
def history() -> Iterator[str]:
    with time_machine.travel(HISTORY_END, tick=False):
        yield make_history()


def test_the_rows_agree_with_one_another(history: str) -> None:
    conversations = Conversation.objects.all()
    assert conversations.count() == CONVERSATIONS
    messages = Message.objects.count()
    assert messages > 5 * CONVERSATIONS  # long threads: the big history averages about ten
    assert f"{CONVERSATIONS:,} conversations, {messages:,} messages" in history
    counted = dict(conversations.annotate(n=Count("messages")).values_list("message_count", "n"))
    assert all(stored == found for stored, found in counted.items())
    assert Decision.objects.count() == messages
    assert not Decision.objects.exclude(received_at=F("message__received_at")).exists()
    kept = Decision.objects.values_list("scores", "founder_score")
    assert all(Decision.founder_of(scores) == score for scores, score in kept)
    assert any(score is not None for _, score in kept)
    assert RawMessage.objects.filter(state="done", source="demo-history").count() == messages
    assert not Message.objects.filter(raw=None).exists()
    assert ConversationLane.objects.count() == Clock.objects.count() == CONVERSATIONS
    assert Outcome.objects.count() == CONVERSATIONS  # the cockpit's roll-up, refreshed
    kinds = Counter(Event.objects.values_list("kind", flat=True))
    assert kinds["created"] == CONVERSATIONS
    assert kinds["message"] == kinds["triaged"] == messages
    firsts = conversations.values_list("created_at", flat=True)
    assert min(firsts) >= timezone.now() - timedelta(days=span_days(CONVERSATIONS) + 1)


def test_every_message_is_its_raw_bytes_as_the_pipeline_reads_them(history: str) -> None:
    own = ingest.own_context()
    ours = {a.lower() for a in own.addresses}
    sample = Message.objects.select_related("raw").order_by("?")[:80]
    noisy = Message.objects.select_related("raw").exclude(noise="")[:20]
    for message in [*sample, *noisy]:
        data = bytes(message.raw.data)
        envelope = rawmail.envelope(data)
        _, parsed, verdict = read((message.raw_id, data, envelope.message_id), own)
        assert message.raw.content_hash == envelope.content_hash
        assert message.message_id == parsed.message_id == envelope.message_id
        assert message.from_address == parsed.sender.email.lower()
        assert message.from_name == parsed.sender.name
        assert message.to == [[a.name, a.email] for a in parsed.to]
        assert message.subject == parsed.subject
        assert message.sent_at == message.received_at == parsed.date
        assert message.in_reply_to == parsed.in_reply_to
        assert message.references == parsed.references
        assert message.text == parsed.text
        assert message.headers == parsed.headers
        assert (message.noise, message.noise_reason) == (verdict.kind, verdict.reason)
        assert message.warnings == parsed.warnings == []
        assert message.direction == ("out" if message.from_address in ours else "in")
        parents = parent_ids(parsed.in_reply_to, parsed.references, verdict.bounced_ids)
        refs = ThreadRef.objects.filter(conversation_id=message.conversation_id, key__in=parents)
        assert set(refs.values_list("key", flat=True)) == set(parents)


def test_routing_and_triage_recompute_the_same_clocks_and_lanes(history: str) -> None:
    """What routing would store for each conversation, from its messages and its timeline's
    pauses, is what the history wrote; and it finds no clock start missing."""
    fields = [f.attname for f in Clock._meta.concrete_fields if f.attname != "updated_at"]
    ids = list(Clock.objects.values_list("pk", flat=True))
    written = list(Clock.objects.order_by("pk").values(*fields))
    lane_fields = ("conversation_id", "lane", "category", "language", "moved_to")
    written_lanes = list(ConversationLane.objects.order_by("pk").values(*lane_fields))
    last = Event.objects.aggregate(last=Max("id"))["last"]
    with transaction.atomic():
        route(ids, timezone.now())
        lanes.refresh(ids)
        routed = list(Clock.objects.order_by("pk").values(*fields))
        refreshed = list(ConversationLane.objects.order_by("pk").values(*lane_fields))
        more = Event.objects.filter(id__gt=last).count()
        transaction.set_rollback(True)
    assert routed == written
    assert refreshed == written_lanes
    assert more == 0
    # The answer-by time routing put on the timeline when the customer wrote is the one it
    # computes for the clock still running.
    running = Clock.objects.filter(is_open=True).exclude(next_response_due=None)
    assert running.exists()
    for clock in running:
        started = Event.objects.filter(conversation_id=clock.pk, kind="clock").order_by("at", "pk")
        assert started.last().data["due"] == clock.next_response_due.isoformat()


def test_the_sweep_finds_nothing_overdue() -> None:
    """Every reminder and breach due before the history's end is on the timeline already
    (the sweep runs at that very moment: a second later, something may fall due)."""
    end = timezone.now()
    with time_machine.travel(end, tick=False):
        make_history()
        result = sweep(end)
    assert (result.reminded, result.breached) == (0, 0)


def test_every_status_change_starts_from_the_status_the_pipeline_left(history: str) -> None:
    """A customer's mail reopens a conversation waiting on them or solved (their mail
    server's auto-reply does not: ``ingest.REOPENING``, nor a reply that only thanks), as the
    pipeline does: the history's status changes start from that, and a conversation ends in
    the status its last change gave it. (The story once kept "waiting on the customer" after
    they wrote: the desk had it open, its resolution clock running, and breached a third of
    the demo's conversations.)"""
    noise = dict(Message.objects.values_list("pk", "noise"))
    thanks = set(Message.objects.filter(thanks=True).values_list("pk", flat=True))
    status: dict[int, str] = {}
    for conversation, kind, data, message in Event.objects.filter(
        kind__in=["message", "status"]
    ).values_list("conversation_id", "kind", "data", "message_id"):
        now = status.get(conversation, "new")
        if kind == "message":
            reopens = data["direction"] == "in" and noise[message] in ingest.REOPENING
            reopens = reopens and message not in thanks  # a reply that only thanks
            if reopens and now in ("pending", "solved"):
                status[conversation] = "open"
            answers = data["direction"] == "out" and not noise[message]
            if answers and now == "new":  # the team's answer: no longer new
                status[conversation] = "open"
            continue
        assert data["from"] == now, (conversation, data)
        status[conversation] = data["to"]
    for pk, final in Conversation.objects.values_list("pk", "status"):
        assert final == status.get(pk, "new"), pk


def test_every_timeline_row_keeps_to_its_kind(history: str) -> None:
    for kind, data in Event.objects.values_list("kind", "data"):
        timeline.check(kind, data)
    for event in Event.objects.filter(kind__in=["assigned", "handover", "reassigned"]):
        assert event.person_id is not None, event


def test_the_history_tells_a_whole_desk(history: str) -> None:
    assert set(ConversationLane.objects.values_list("lane", flat=True)) == {
        "founder",
        "team",
        "noise",
    }
    categories = set(Decision.objects.values_list("category", flat=True))
    assert {"presales", "support", "bug", "billing", "feedback", "founder"} <= categories
    assert {"bulk", "spam"} & categories
    assert set(Decision.objects.values_list("language", flat=True)) >= {"fr", "en"}
    assert set(Message.objects.exclude(noise="").values_list("noise", flat=True)) >= {"list"}
    statuses = set(Conversation.objects.values_list("status", flat=True))
    assert {"solved", "pending"} <= statuses
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {"clock", "assigned", "status", "paused", "resumed", "reminded", "breached"} <= kinds
    assert Clock.objects.exclude(breached_at=None).exists()
    assert Clock.objects.exclude(first_responded_at=None).exists()
    # Breaches are the exception.
    assert Clock.objects.exclude(breached_at=None).count() < CONVERSATIONS / 2
    # What is still open is recent (noise stays open: nobody answers it).
    still_open = Clock.objects.filter(is_open=True, lane="team")
    recent = timezone.now() - timedelta(days=10)
    assert not still_open.filter(conversation__last_message_at__lt=recent).exists()
    # Ratings and peeks, each on its conversation's timeline.
    for rating in Rating.objects.all():
        assert Event.objects.filter(
            kind="rated", conversation_id=rating.conversation_id, message_id=rating.reply_id
        ).exists()
        assert rating.reply.direction == "out"
    assert Peek.objects.filter(kind="queue").exists()
    for peek in Peek.objects.filter(kind="conversation"):
        assert peek.conversation.lane.lane == "team"
        assert Event.objects.filter(kind="peek", conversation=peek.conversation).exists()
    assert Rating.objects.exists()


def test_founder_business_reads_as_founder_business(history: str) -> None:
    """An investor does not write "it all works now", and a conversation the founder has
    answered is no longer new (her reply leaves it waiting on them, or solved)."""
    founder = Conversation.objects.filter(lane__lane="founder", lane__moved_to="")
    assert founder.exists()
    support_words = [*hc.THANKS.values(), *(done.split("!")[0] for done in hc.DONE.values())]
    for conversation in founder:
        texts = list(conversation.messages.values_list("text", flat=True))
        assert not any(words in text for text in texts for words in support_words), texts
        if conversation.messages.filter(direction="out").exists():
            assert conversation.status != "new", conversation.pk


def test_a_long_conversation_does_not_say_the_same_thing_again_and_again(history: str) -> None:
    """The customer's follow-ups and the team's answers to them come each once before any
    comes back (a demo thread of twenty messages read like a stuck record)."""
    said = {  # the end of each text's first line -> its language
        text.splitlines()[0][-25:]: lang
        for lang, exchanges in EXCHANGES.items()
        for pair in exchanges
        for text in pair
    }
    checked = 0
    for conversation in Conversation.objects.filter(message_count__gte=8):
        found = []
        for direction, text in conversation.messages.order_by("received_at", "pk").values_list(
            "direction", "text"
        ):
            lines = text.splitlines()
            own = lines[0] if direction == "in" else lines[2] if len(lines) > 2 else ""
            if own[-25:] in said:  # the team's reply opens with a greeting and a blank line
                found.append(own)
        if not found:
            continue
        size = len(EXCHANGES[said[found[0][-25:]]]) * 2  # every follow-up and its answer
        for start in range(0, len(found), size):
            window = found[start : start + size]
            assert len(window) == len(set(window)), (conversation.pk, window)
        checked += 1
    assert checked >= 5


def test_a_bigger_history_escalates_rates_and_peeks() -> None:
    # At a fixed moment: at some moments of the real clock (01:07 UTC one night), the
    # history written then had no conversation handed to the founder.
    with time_machine.travel(HISTORY_END, tick=False):
        make_history(800)
    assert Event.objects.filter(kind="moved", data__to="founder").exists()
    assert ConversationLane.objects.filter(moved_to="founder", lane="founder").exists()
    assert Rating.objects.exclude(comment="").exists()
    assert Peek.objects.filter(kind="conversation").exists()
    assert set(Decision.objects.values_list("language", flat=True)) == {
        "fr",
        "en",
        "de",
        "es",
        "pt",
    }
    # Mail around the clock, less of it at weekends.
    firsts = Conversation.objects.values_list("created_at", flat=True)
    assert len({at.hour for at in firsts}) == 24
    weekend = sum(at.weekday() >= 5 for at in firsts)
    assert weekend < len(firsts) * 2 / 7


def test_the_demo_again_adds_no_history(history: str) -> None:
    counts = (Conversation.objects.count(), Message.objects.count(), Event.objects.count())
    again = make_history()
    assert "already has its history" in again
    assert (Conversation.objects.count(), Message.objects.count()) == counts[:2]


def test_conversations_above_a_thousand_mean_history() -> None:
    assert split(conversations=40, history=3000) == (40, 3000)
    assert split(conversations=1000, history=0) == (1000, 0)
    assert split(conversations=100_000, history=3000) == (LIVE, 100_000)


def test_the_history_is_searchable(history: str) -> None:
    from handoff.tickets import search
    from handoff.tickets.models import Message

    message = Message.objects.filter(direction="in").exclude(text="").order_by("pk").last()
    assert message is not None
    word = max(search.words(message.text), key=len)
    assert message.conversation_id in {h.conversation for h in search.find(word)}
