"""Triage in the desk: each message's decision shown, corrected by a person, the head's queue."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation, Message
from handoff.triage.models import Decision, Label
from handoff.triage.pipeline import triage
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def triaged(*raws: bytes) -> list[Message]:
    messages = deliver(*raws)
    triage([m.pk for m in messages])
    return messages


def taken_for_support(message: Message) -> None:
    """What the classifier said, whatever the starter model thinks: team/support, routed so."""
    decided(message, lane="team", category="support")
    route([message.conversation_id])
    assert Clock.objects.get(conversation=message.conversation_id).category == "support"


def correct_url(message: Message) -> str:
    return reverse("desk:correct_triage", args=[message.conversation_id, message.pk])


def test_the_conversation_page_shows_each_decision_and_why(people) -> None:
    [message] = triaged(mail("q@c.example", subject="Price of 40 licences?"))
    decided(message, lane="team", category="presales", explanation="words: price, licences")
    page = logged_in(people["chris"]).get(
        reverse("desk:conversation", args=[message.conversation_id])
    )
    html = page.content.decode()
    assert "team · presales" in html
    assert 'title="words: price, licences"' in html
    assert '<option value="team/presales" selected>' in html


def test_an_agent_corrects_a_message_and_it_becomes_a_label(people) -> None:
    [message] = triaged(mail("q@c.example", body="Could you add a dark mode?"))
    taken_for_support(message)
    response = logged_in(people["chris"]).post(correct_url(message), {"choice": "team/feedback"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#m{message.pk}")
    decision = Decision.objects.get(message=message)
    assert (decision.lane, decision.category, decision.layer) == ("team", "feedback", "label")
    label = Label.objects.get()
    assert (label.by, label.source, label.category) == (people["chris"], "correction", "feedback")
    # Routing follows at once: the clocks are those of the category a person said.
    assert Clock.objects.get(conversation=message.conversation_id).category == "feedback"


def test_a_correction_that_is_not_a_lane_and_category_is_refused_clearly(people) -> None:
    [message] = triaged(mail("q@c.example"))
    client = logged_in(people["chris"])
    for bad in ("founder/billing", "team/urgent", "", "team"):
        response = client.post(correct_url(message), {"choice": bad})
        assert response.status_code == 400, bad
        assert b"Not a lane and category" in response.content
    assert not Label.objects.exists()
    assert client.get(correct_url(message)).status_code == 405


def test_nobody_corrects_what_they_cannot_see(people) -> None:
    [founder_mail, other] = triaged(
        mail("investor@c.example", subject="Term sheet"), mail("other@c.example", subject="Hi")
    )
    decided(founder_mail, lane="founder", category="founder")
    agent = logged_in(people["chris"])
    assert agent.post(correct_url(founder_mail), {"choice": "team/support"}).status_code == 404
    # A message named under another conversation's address is not found either.
    wrong = reverse("desk:correct_triage", args=[other.conversation_id, founder_mail.pk])
    assert agent.post(wrong, {"choice": "team/support"}).status_code == 404
    assert Client().post(correct_url(other), {"choice": "team/support"}).status_code == 302
    assert not Label.objects.exists()
    head = logged_in(people["sophie"])
    assert head.post(correct_url(founder_mail), {"choice": "team/support"}).status_code == 302


def test_an_agent_who_hands_a_message_to_the_founder_no_longer_reads_it(people) -> None:
    [message] = triaged(mail("board@c.example", subject="Board meeting"))
    decided(message, lane="team", category="support")
    agent = logged_in(people["chris"])
    response = agent.post(correct_url(message), {"choice": "founder/founder"})
    assert response.status_code == 302, (response.status_code, response.content[:300])
    assert response["Location"] == reverse("desk:inbox")
    page = reverse("desk:conversation", args=[message.conversation_id])
    assert agent.get(page).status_code == 404
    assert logged_in(people["camille"]).get(page).status_code == 200


def test_the_heads_queue_holds_the_mail_the_desk_was_unsure_of(people) -> None:
    [unsure, _sure] = triaged(
        mail("u@c.example", subject="Unsure one"), mail("s@c.example", subject="Sure one")
    )
    decided(unsure, needs_triage=True)
    queue = reverse("desk:inbox") + "?queue=triage"
    head_page = logged_in(people["sophie"]).get(queue).content.decode()
    assert "Unsure one" in head_page
    assert "Sure one" not in head_page
    assert f'href="{queue}"' in head_page  # the head's navigation leads there
    # An agent has no such queue: the parameter is ignored, the nav has no link.
    agent_page = logged_in(people["chris"]).get(queue).content.decode()
    assert "Sure one" in agent_page
    assert f'href="{queue}"' not in agent_page
    # Once a person said what it is, it leaves the queue.
    logged_in(people["sophie"]).post(correct_url(unsure), {"choice": "team/support"})
    assert "Unsure one" not in logged_in(people["sophie"]).get(queue).content.decode()


def test_the_heads_queue_puts_what_is_still_open_first(people) -> None:
    """A solved conversation's category only teaches the desk; an open one's still decides
    who answers and by when."""
    [older, newer] = triaged(
        mail("o@c.example", subject="Still open", sender="o@c.example"),
        mail("n@c.example", subject="Solved since", sender="n@c.example"),
    )
    for message in (older, newer):
        decided(message, needs_triage=True)
    Conversation.objects.filter(pk=newer.conversation_id).update(status=Conversation.Status.SOLVED)
    route([older.conversation_id, newer.conversation_id], timezone.now())
    page = logged_in(people["sophie"]).get(reverse("desk:inbox") + "?queue=triage")
    assert [c.subject for c in page.context["page"]] == ["Still open", "Solved since"]


def test_the_command_line_corrects_by_message_id() -> None:
    [message] = triaged(mail("cli@c.example", subject="Discount for 20 seats?"))
    taken_for_support(message)
    out = StringIO()
    call_command("triage", "correct", "<cli@c.example>", "team", "presales", stdout=out)
    assert json.loads(out.getvalue())["category"] == "presales"
    decision = Decision.objects.get(message=message)
    assert (decision.category, decision.layer) == ("presales", "label")
    assert Label.objects.get().by is None
    assert Clock.objects.get(conversation=message.conversation_id).category == "presales"
    with pytest.raises(CommandError, match="no message with the Message-ID"):
        call_command("triage", "correct", "nobody@c.example", "team", "support")
    with pytest.raises(CommandError, match="not in the noise lane"):
        call_command("triage", "correct", "cli@c.example", "noise", "billing")
