"""The team's notifications come from the desk's address, never from a person's."""

from __future__ import annotations

import pytest

from handoff.mailin.models import Mailbox
from handoff.mailout.outbox import notify_team

pytestmark = pytest.mark.django_db


def test_a_notification_is_sent_from_the_desk_not_from_the_founders_mailbox(people) -> None:
    Mailbox.objects.create(address="camille@acme.example", name="Camille")  # sorts first
    Mailbox.objects.create(address="support@acme.example", name="Acme")
    sent = notify_team(people["sophie"], "[Handoff] Reminder", "Conversation #1 is due", None)
    assert sent.mailbox.address == "support@acme.example"
