"""Login throttling: five failed passwords in 15 minutes for one email typed, or twenty
from one client address, and every attempt is refused for a while, the right password
included, with the same words whether or not the account exists."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from handoff.accounts.models import LoginAttempt
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
WRONG = "wrong password, sorry"


def attempt(client: Client, email: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def refused_text(response) -> str:
    [text] = re.findall(r'<p class="error" role="alert">([^<]*)</p>', response.content.decode())
    return text


def test_ten_wrong_passwords_then_the_right_one_is_refused_until_the_window_has_passed(
    people,
) -> None:
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        answers = [attempt(client, "chris@acme.example", WRONG) for _ in range(10)]
        assert [a.status_code for a in answers] == [200] * 5 + [429] * 5
        assert all("Wrong email or password." in a.content.decode() for a in answers[:5])
        assert refused_text(answers[5]) == "Too many attempts. Try again in 15 minutes."
        assert answers[5]["Retry-After"] == "900"

        traveller.shift(timedelta(minutes=10))
        right = attempt(client, "chris@acme.example", PASSWORD)
        assert right.status_code == 429
        assert refused_text(right) == "Too many attempts. Try again in 5 minutes."
        assert "_auth_user_id" not in client.session

        traveller.shift(timedelta(minutes=5))
        right = attempt(client, "chris@acme.example", PASSWORD)
        assert right.status_code == 302
        assert client.get(reverse("desk:inbox")).status_code == 200


def test_an_unknown_account_gets_the_same_answers_as_a_real_one(people) -> None:
    with time_machine.travel(START, tick=False):
        real = [attempt(Client(), "chris@acme.example", WRONG) for _ in range(6)]
        unknown = [attempt(Client(), "nobody@acme.example", WRONG) for _ in range(6)]
    assert [a.status_code for a in real] == [a.status_code for a in unknown]
    assert refused_text(real[-1]) == refused_text(unknown[-1])
    assert refused_text(real[0]) == refused_text(unknown[0]) == "Wrong email or password."


def test_the_refusal_is_in_the_persons_language(people) -> None:
    client = Client(headers={"accept-language": "fr"})
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(client, "chris@acme.example", WRONG)
        refused = attempt(client, "chris@acme.example", WRONG)
    assert refused.status_code == 429
    assert refused["Content-Language"] == "fr"


def test_the_email_is_counted_whatever_its_case_and_spaces(people) -> None:
    with time_machine.travel(START, tick=False):
        for typed in ["Chris@Acme.example", " chris@acme.example", "CHRIS@ACME.EXAMPLE"] * 2:
            last = attempt(Client(), typed, WRONG)
    assert last.status_code == 429


def test_a_capital_letter_in_the_email_still_signs_in(people) -> None:
    assert attempt(Client(), "Chris@Acme.example ", PASSWORD).status_code == 302


def test_twenty_failures_from_one_address_stop_it_whatever_the_account(people) -> None:
    with time_machine.travel(START, tick=False):
        for n in range(20):
            assert attempt(Client(), f"guess{n}@acme.example", WRONG).status_code == 200
        assert attempt(Client(), "chris@acme.example", PASSWORD).status_code == 429
        # Another address is not concerned.
        elsewhere = attempt(Client(), "chris@acme.example", PASSWORD, address="198.51.100.7")
        assert elsewhere.status_code == 302


def test_x_forwarded_for_is_not_trusted(people) -> None:
    with time_machine.travel(START, tick=False):
        for n in range(20):
            Client().post(
                reverse("login"),
                {"username": f"guess{n}@acme.example", "password": WRONG},
                REMOTE_ADDR="192.0.2.1",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            )
        assert attempt(Client(), "chris@acme.example", PASSWORD).status_code == 429


def test_signing_in_clears_the_accounts_failures_not_the_addresss(people) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            attempt(Client(), "chris@acme.example", WRONG)
        assert attempt(Client(), "chris@acme.example", PASSWORD).status_code == 302
        answers = [attempt(Client(), "chris@acme.example", WRONG) for _ in range(5)]
        assert [a.status_code for a in answers] == [200] * 5
    address_rows = LoginAttempt.objects.filter(scope=LoginAttempt.Scope.ADDRESS).count()
    assert address_rows == 9


def test_refused_attempts_do_not_lengthen_the_wait(people) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(Client(), "chris@acme.example", WRONG)
        for _ in range(10):
            traveller.shift(timedelta(minutes=1))
            assert attempt(Client(), "chris@acme.example", WRONG).status_code == 429
        traveller.shift(timedelta(minutes=5))
        assert attempt(Client(), "chris@acme.example", PASSWORD).status_code == 302


def test_the_window_slides_one_failure_at_a_time(people) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(Client(), "chris@acme.example", WRONG)
            traveller.shift(timedelta(minutes=2))
        # Failures at 0, 2, 4, 6, 8 minutes; now 10: the first leaves at 15.
        refused = attempt(Client(), "chris@acme.example", PASSWORD)
        assert refused_text(refused) == "Too many attempts. Try again in 5 minutes."
        traveller.shift(timedelta(minutes=5))
        assert attempt(Client(), "chris@acme.example", WRONG).status_code == 200
        # One attempt let through; the next failure to leave is the one at 2 minutes.
        refused = attempt(Client(), "chris@acme.example", PASSWORD)
        assert refused_text(refused) == "Too many attempts. Try again in 2 minutes."


def test_old_attempts_are_not_kept(people) -> None:
    with time_machine.travel(START, tick=False) as traveller:
        attempt(Client(), "chris@acme.example", WRONG)
        traveller.shift(timedelta(hours=1))
        attempt(Client(), "sophie@acme.example", WRONG)
    assert LoginAttempt.objects.filter(at__lt=START + timedelta(hours=1)).count() == 0


def test_the_email_typed_is_not_stored(people) -> None:
    attempt(Client(), "my secret password", WRONG)
    keys = LoginAttempt.objects.values_list("key", flat=True)
    assert len(keys) == 2
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)


def test_the_admins_login_form_is_the_throttled_one() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/admin/"
