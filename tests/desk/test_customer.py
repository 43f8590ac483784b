"""The customer panel beside a conversation: their other conversations by address and by
company (never by a mailbox provider's domain), their language and local time (from their
Date header), the answers promised them; only what the reader may see."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handoff.routing.actions import route
from handoff.routing.models import Clock
from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def raw_with_date(message_id: str, sender: str, subject: str, date: str) -> bytes:
    return mail(message_id, sender=sender, subject=subject).replace(
        b"Date: Mon, 02 Nov 2026 09:00:00 +0000", f"Date: {date}".encode()
    )


def panel(page: str) -> str:
    start = page.index('<aside class="customer"')
    return page[start : page.index("</aside>", start)]


def test_the_customer_at_a_glance(people) -> None:
    first, second, colleague, gmail_one, gmail_two = deliver(
        mail("a1@acme-client.example", sender="Ana Lima <ana@acme-client.example>", subject="Invoice"),
        raw_with_date("a2@acme-client.example", "Ana Lima <ana@acme-client.example>", "Export",
                      "Mon, 02 Nov 2026 06:00:00 -0300"),
        mail("b1@acme-client.example", sender="Bruno <bruno@acme-client.example>", subject="Login"),
        mail("g1@gmail.com", sender="Zoe <zoe@gmail.com>", subject="Hello"),
        mail("g2@gmail.com", sender="Yann <yann@gmail.com>", subject="Refund"),
    )  # fmt: skip
    decided(None, lane="team", category="support")
    route([m.conversation_id for m in (first, second, colleague, gmail_one, gmail_two)])
    page = logged_in(people["chris"]).get(f"/c/{second.conversation_id}/").content.decode()
    shown = panel(page)
    assert "Ana Lima" in shown
    assert "ana@acme-client.example" in shown
    assert f'href="/c/{first.conversation_id}/"' in shown  # by address
    assert "Others at acme-client.example" in shown
    assert f'href="/c/{colleague.conversation_id}/"' in shown  # by company
    assert "where they are" in shown  # UTC-3 from the Date header
    assert "Answers promised" in shown
    gmail = panel(
        logged_in(people["chris"]).get(f"/c/{gmail_one.conversation_id}/").content.decode()
    )
    assert f"/c/{gmail_two.conversation_id}/" not in gmail  # gmail.com is not a company
    assert "None: this is their first." in gmail


def test_the_panel_lists_only_what_the_reader_may_see(people) -> None:
    team, board = deliver(
        mail("t@fund.example", sender="Vera <vera@fund.example>", subject="Our account"),
        mail("f@fund.example", sender="Vera <vera@fund.example>", subject="Term sheet"),
    )
    decided(team, lane="team", category="support")
    decided(board, lane="founder", category="founder")
    agent = panel(logged_in(people["chris"]).get(f"/c/{team.conversation_id}/").content.decode())
    assert f"/c/{board.conversation_id}/" not in agent
    head = panel(logged_in(people["sophie"]).get(f"/c/{team.conversation_id}/").content.decode())
    assert f"/c/{board.conversation_id}/" in head


def test_the_answers_promised_soonest_first(people) -> None:
    one, two = deliver(
        mail("p1@c.example", sender="ana@c.example", subject="One"),
        mail("p2@c.example", sender="ana@c.example", subject="Two"),
    )
    decided(None, lane="team", category="support")
    route([one.conversation_id, two.conversation_id])
    clock = Clock.objects.get(conversation=one.conversation_id)
    Clock.objects.filter(conversation=two.conversation_id).update(
        is_open=True, respond_by=(clock.respond_by or clock.updated_at) - timedelta(hours=1)
    )
    shown = panel(logged_in(people["sophie"]).get(f"/c/{one.conversation_id}/").content.decode())
    promised = shown[shown.index("Answers promised") :]
    assert promised.index(f"/c/{two.conversation_id}/") < promised.index("this one")
