"""Presence: each page says it is there, hears who else is (and who is writing), forgets
those gone quiet; only on a conversation the person may read."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.helpers import decided, deliver, logged_in, mail

pytestmark = pytest.mark.django_db


def test_who_else_is_here_and_writing(people) -> None:
    (message,) = deliver(mail("p@client.example"))
    decided(message, lane="team", category="support")
    url = f"/c/{message.conversation_id}/presence/"
    chris, sophie = logged_in(people["chris"]), logged_in(people["sophie"])
    assert chris.post(url).json()["others"] == []
    assert sophie.post(url, {"typing": "1"}).json()["others"] == [
        {"name": "Chris", "typing": False}
    ]
    assert chris.post(url).json()["others"] == [{"name": "Sophie", "typing": True}]
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        assert chris.post(url).json()["others"] == []  # Sophie's page went quiet
    assert chris.get(url).status_code == 405


def test_only_on_a_conversation_the_person_may_read(people) -> None:
    (message,) = deliver(mail("f@fund.example"))
    decided(message, lane="founder", category="founder")
    answer = logged_in(people["chris"]).post(f"/c/{message.conversation_id}/presence/")
    assert answer.status_code == 404
