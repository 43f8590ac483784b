"""`handoff user`: list, change a password or a role, disable and enable a login, turn off
two-factor sign-in."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from handoff.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "a brand new passphrase"


def run(*args: str) -> str:
    out = StringIO()
    call_command("user", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> Any:
    """What the next command reads from standard input."""

    def type_in(text: str) -> None:
        monkeypatch.setattr("sys.stdin", StringIO(text))

    return type_in


def test_list_shows_every_login_in_email_order(people) -> None:
    people["chris"].is_active = False
    people["chris"].save()
    assert run("list").splitlines() == [
        "camille@acme.example  founder  enabled   Camille",
        "chris@acme.example    agent    disabled  Chris",
        "sophie@acme.example   head     enabled   Sophie",
    ]


def test_list_json_is_one_array_of_logins(people) -> None:
    rows = json.loads(run("list", "--json"))
    assert [r["email"] for r in rows] == [
        "camille@acme.example",
        "chris@acme.example",
        "sophie@acme.example",
    ]
    assert rows[0] == {
        "email": "camille@acme.example",
        "name": "Camille",
        "role": "founder",
        "active": True,
        "last_login": None,
    }


def test_list_of_no_logins_is_empty(db: None) -> None:
    assert run("list") == ""
    assert json.loads(run("list", "--json")) == []


def test_password_reads_the_new_one_from_stdin(people, typed) -> None:
    typed(f"{NEW}\n")
    assert run("password", "Chris@Acme.example") == "changed the password of chris@acme.example\n"
    chris = User.objects.get(email="chris@acme.example")
    assert chris.check_password(NEW)
    assert not chris.check_password(PASSWORD)


def test_password_refuses_a_weak_one_and_keeps_the_old(people, typed) -> None:
    typed("123\n")
    with pytest.raises(CommandError, match="too short"):
        run("password", "chris@acme.example")
    assert User.objects.get(email="chris@acme.example").check_password(PASSWORD)


def test_a_new_password_lifts_the_login_throttle(people, typed) -> None:
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=UTC), tick=False) as traveller:
        for _ in range(6):
            Client().post(reverse("login"), {"username": "chris@acme.example", "password": "x"})
        typed(f"{NEW}\n")
        run("password", "chris@acme.example")
        traveller.shift(timedelta(seconds=1))
        answer = Client().post(
            reverse("login"), {"username": "chris@acme.example", "password": NEW}
        )
    assert answer.status_code == 302


def test_disable_stops_signing_in_and_ends_open_sessions(people) -> None:
    session = Client()
    session.force_login(people["chris"])
    assert session.get(reverse("desk:inbox")).status_code == 200

    assert run("disable", "chris@acme.example") == "disabled chris@acme.example\n"
    assert session.get(reverse("desk:inbox")).status_code == 302
    login = {"username": "chris@acme.example", "password": PASSWORD}
    refused = Client().post(reverse("login"), login)
    assert refused.status_code == 200
    assert "Wrong email or password." in refused.content.decode()  # as for anyone

    assert run("disable", "chris@acme.example") == "chris@acme.example was already disabled\n"
    assert run("enable", "chris@acme.example") == "enabled chris@acme.example\n"
    assert Client().post(reverse("login"), login).status_code == 302


def test_two_factor_off_lets_the_password_alone_sign_in_again(people) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=people["camille"], name="lost phone", confirmed=True)
    login = {"username": "camille@acme.example", "password": PASSWORD}
    assert Client().post(reverse("login"), login).url == "/login/code/"
    assert run("two-factor-off", "Camille@acme.example") == (
        "turned off two-factor sign-in for camille@acme.example\n"
    )
    assert not TOTPDevice.objects.filter(user=people["camille"]).exists()
    assert Client().post(reverse("login"), login).url == "/start/"
    assert run("two-factor-off", "camille@acme.example") == (
        "camille@acme.example had no two-factor sign-in\n"
    )


def test_role_changes_what_the_login_may_do(people) -> None:
    assert run("role", "chris@acme.example", "admin") == "chris@acme.example is now admin\n"
    chris = User.objects.get(email="chris@acme.example")
    assert (chris.role, chris.is_staff, chris.is_superuser) == ("admin", True, True)
    run("role", "chris@acme.example", "head")
    chris.refresh_from_db()
    assert (chris.role, chris.is_staff, chris.is_superuser) == ("head", False, False)


@pytest.mark.parametrize(
    "args", [["password"], ["disable"], ["enable"], ["role", "agent"], ["two-factor-off"]], ids=str
)
def test_an_unknown_email_is_a_clear_error(people, typed, args: list[str]) -> None:
    typed(f"{NEW}\n")
    action, *rest = args
    with pytest.raises(CommandError, match=r"nobody@acme\.example has no login"):
        run(action, "nobody@acme.example", *rest)


def test_an_unknown_role_is_a_clear_error(people) -> None:
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        run("role", "chris@acme.example", "boss")
    assert User.objects.get(email="chris@acme.example").role == "agent"


def test_the_command_line_says_what_went_wrong_and_exits_non_zero(make_scratch_env) -> None:
    env = make_scratch_env()

    def handoff(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "handoff.cli", "user", *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
        )

    added = handoff("add", "lea@acme.example", "--role", "agent", stdin=f"{NEW}\n")
    assert added.returncode == 0, added.stderr
    assert handoff("role", "lea@acme.example", "head").returncode == 0
    assert (
        handoff("password", "lea@acme.example", stdin="another long passphrase\n").returncode == 0
    )
    assert handoff("disable", "lea@acme.example").returncode == 0
    listed = handoff("list", "--json")
    assert [(r["email"], r["role"], r["active"]) for r in json.loads(listed.stdout)] == [
        ("lea@acme.example", "head", False)
    ]

    unknown = handoff("disable", "nobody@acme.example")
    assert unknown.returncode != 0
    assert "nobody@acme.example has no login" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    bad_role = handoff("role", "lea@acme.example", "boss")
    assert bad_role.returncode != 0
    assert "invalid choice: 'boss'" in bad_role.stderr
