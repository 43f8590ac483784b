"""Actions on a selection of a queue, and the head's noise queue: each through the desk's
one-action functions, on what the person may read only, with a clear answer to bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from handoff.routing.actions import route
from handoff.routing.models import Clock
from handoff.tickets.models import Conversation
from handoff.triage.models import Label
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(people) -> list[Conversation]:
    messages = deliver(
        *(
            mail(f"b{i}@c.example", subject=f"Question {i}", sender=f"c{i}@c.example")
            for i in range(5)
        )
    )
    decided(None, lane="team", category="support")
    route([m.conversation_id for m in messages])
    return [m.conversation for m in messages]


def bulk(client, ids, **data):
    return client.post("/bulk/", {"ids": [str(i) for i in ids], **data})


def test_solve_assign_and_snooze_a_selection(people, team) -> None:
    sophie = logged_in(people["sophie"])
    ids = [c.pk for c in team]
    answer = bulk(sophie, ids[:3], action="solve", next="/?queue=unassigned")
    assert answer.status_code == 302
    assert answer.url == "/?queue=unassigned"
    assert (
        list(
            Conversation.objects.filter(pk__in=ids).order_by("pk").values_list("status", flat=True)
        )
        == ["solved"] * 3 + ["new"] * 2
    )
    bulk(sophie, ids[3:], action="assign", assignee=str(people["chris"].pk))
    assert set(
        Clock.objects.filter(conversation__in=ids[3:]).values_list("assignee", flat=True)
    ) == {people["chris"].pk}
    bulk(logged_in(people["chris"]), ids[3:4], action="snooze", hours="4")
    assert Clock.objects.get(conversation=ids[3]).snoozed_until is not None
    assert bulk(sophie, ids, action="assign", assignee="me").status_code == 302


def test_a_selection_with_mail_the_person_may_not_read_is_refused_whole(people, team) -> None:
    (founder,) = deliver(mail("vc@fund.example", subject="Term sheet", sender="vera@fund.example"))
    decided(founder, lane="founder", category="founder")
    chris = logged_in(people["chris"])
    assert bulk(chris, [team[0].pk, founder.conversation_id], action="solve").status_code == 404
    assert Conversation.objects.get(pk=team[0].pk).status == "new"
    assert bulk(chris, [team[0].pk], action="noise").status_code == 400  # the head's to say


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"ids": [], "action": "solve"}, "Select at least one conversation"),
        ({"action": "explode"}, "Not an action: explode"),
        ({"action": "snooze", "hours": "5000"}, "Not a snooze: 5000"),
        ({"action": "assign", "assignee": "99999"}, "Nobody of that name"),
        ({"ids": ["1; DROP"], "action": "solve"}, "at most 200"),
    ],
)
def test_bad_input_gets_a_clear_answer(people, team, data, says) -> None:
    data = {"ids": [str(team[0].pk)], **data}
    answer = logged_in(people["sophie"]).post("/bulk/", data)
    assert answer.status_code == 400
    assert says in answer.content.decode()


def test_the_noise_queue_and_not_noise_in_one_click(people, team) -> None:
    (spam,) = deliver(
        mail(
            "s@bulk.example",
            subject="Cheap watches",
            sender="promo@bulk.example",
            date=timezone.now(),
        )
    )
    decided(spam, lane="noise", category="spam")
    sophie = logged_in(people["sophie"])
    page = sophie.get("/?queue=noise")
    assert [c.subject for c in page.context["page"]] == ["Cheap watches"]
    assert f"/c/{spam.conversation_id}/not-noise/" in page.content.decode()
    # An agent has no noise queue (the whole list instead) and no button.
    agent = logged_in(people["chris"]).get("/?queue=noise").content.decode()
    assert "not-noise" not in agent
    assert (
        logged_in(people["chris"]).post(f"/c/{spam.conversation_id}/not-noise/").status_code == 404
    )

    answer = sophie.post(f"/c/{spam.conversation_id}/not-noise/", {"next": "/?queue=noise"})
    assert answer.status_code == 302
    assert Label.objects.get(message=spam).lane == "team"  # the desk learns from it
    assert spam.conversation.lane.__class__.objects.get(pk=spam.conversation_id).lane == "team"
    assert Clock.objects.get(conversation=spam.conversation_id).is_open  # routed at once
    assert [c.subject for c in sophie.get("/?queue=noise").context["page"]] == []
    assert "Cheap watches" in sophie.get("/?queue=unassigned").content.decode()


def test_the_noise_queue_marks_and_lists_first_what_may_be_the_founders(people) -> None:
    """Mail that went to noise though the classifier gave it a founder score of at least
    the audit's floor: marked, listed first (likeliest first), and alone with founder=1."""
    from handoff.triage.engine.decide import FOUNDER_AUDIT

    subjects = ["Dividends memo", "Cheap watches", "Press release draft", "Unscored bounce"]
    scores = [FOUNDER_AUDIT + 0.05, FOUNDER_AUDIT / 2, FOUNDER_AUDIT + 0.1, None]
    now = timezone.now()
    for minutes, (subject, score) in enumerate(zip(subjects, scores, strict=True)):
        (message,) = deliver(
            mail(
                f"n{minutes}@x.example",
                subject=subject,
                sender=f"s{minutes}@x{minutes}.example",
                date=now - timedelta(minutes=60 - minutes),
            )
        )
        found = {} if score is None else {"founder": score, "spam": 1 - score}
        decided(message, lane="noise", category="spam", scores=found)
    sophie = logged_in(people["sophie"])
    page = sophie.get("/?queue=noise")
    # Founder-scored first, the likeliest first; then the rest, the latest first.
    assert [c.subject for c in page.context["page"]] == [
        "Press release draft",
        "Dividends memo",
        "Unscored bounce",
        "Cheap watches",
    ]
    html = page.content.decode()
    assert html.count("founder-scored") == 2  # the two marks
    assert "The founder’s? 0.20" in html
    assert "The founder’s? 0.15" in html
    assert "?queue=noise&amp;founder=1" in html
    only = sophie.get("/?queue=noise&founder=1")
    assert [c.subject for c in only.context["page"]] == ["Press release draft", "Dividends memo"]
    # The founder, whose digest links here, has the queue; an agent still has not.
    founder = logged_in(people["camille"]).get("/?queue=noise&founder=1")
    assert [c.subject for c in founder.context["page"]] == ["Press release draft", "Dividends memo"]
    agent = logged_in(people["chris"]).get("/?queue=noise&founder=1").content.decode()
    assert "founder-scored" not in agent
