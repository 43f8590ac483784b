"""Two-factor sign-in: a person turns it on from their page (a QR code, the key to type,
one code back to confirm); then the password alone no longer logs them in, a second step
asks for the code from their app (throttled), and the right one logs them in, verified.
HANDOFF_REQUIRE_2FA holds founders and administrators at the enrolment page until they
have a device."""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from handoff.accounts.models import Role, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)  # a code is good once: the next one is a time step later


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(code_of(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def with_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_step(client: Client, email: str, **extra):
    return client.post("/login/", {"username": email, "password": PASSWORD, **extra})


def error_text(response) -> str:
    [text] = re.findall(r'<p class="error" role="alert">([^<]*)</p>', response.content.decode())
    return text


def verified(client: Client) -> bool:
    user = client.get("/me/").wsgi_request.user
    return user.is_authenticated and user.is_verified()


def test_turning_it_on_shows_a_qr_code_and_the_key_and_needs_one_code_back(people) -> None:
    chris = people["chris"]
    client = Client()
    client.force_login(chris)
    me = client.get("/me/").content.decode()
    assert "Turn on two-factor sign-in" in me
    with time_machine.travel(START, tick=False) as traveller:
        started = client.post("/me/two-factor/", {"action": "start"})
        assert started.status_code == 302
        assert started.url == "/me/two-factor/"
        device = TOTPDevice.objects.get(user=chris)
        assert not device.confirmed
        page = client.get("/me/two-factor/")
        html = page.content.decode()
        assert "<svg" in html
        assert page["Cache-Control"].startswith("max-age=0")
        key = b32encode(device.bin_key).decode().rstrip("=")
        shown = re.search(r'<code class="secret">([^<]*)</code>', html)[1]
        assert shown.replace(" ", "") == key

        wrong = client.post("/me/two-factor/", {"action": "confirm", "code": wrong_code(device)})
        assert wrong.status_code == 400
        assert error_text(wrong) == "Wrong code. Type the one your app shows now."
        device.refresh_from_db()
        assert not device.confirmed
        assert not verified(client)

        traveller.shift(STEP)
        right = client.post("/me/two-factor/", {"action": "confirm", "code": code_of(device)})
        assert right.status_code == 302
        assert right.url == "/me/"
    device.refresh_from_db()
    assert device.confirmed
    assert verified(client)  # this session was confirmed with the code
    assert "Manage" in client.get("/me/").content.decode()


def test_an_unconfirmed_device_does_not_ask_for_a_code_at_login(people) -> None:
    TOTPDevice.objects.create(user=people["chris"], name="phone", confirmed=False)
    client = Client()
    answer = password_step(client, "chris@acme.example")
    assert answer.status_code == 302
    assert answer.url == "/start/"
    assert "_auth_user_id" in client.session


def test_without_a_device_the_password_alone_logs_in(people) -> None:
    client = Client()
    answer = password_step(client, "chris@acme.example")
    assert answer.url == "/start/"
    assert client.get("/").status_code == 200
    assert not verified(client)


def test_with_a_device_the_password_leads_to_the_code_and_the_code_logs_in(people) -> None:
    device = with_device(people["camille"])
    client = Client()
    with time_machine.travel(START, tick=False):
        answer = password_step(client, "camille@acme.example", next="/ledger/")
        assert answer.status_code == 302
        assert answer.url == "/login/code/"
        assert "_auth_user_id" not in client.session
        assert client.get("/").status_code == 302  # not logged in yet
        assert client.get("/admin/").status_code == 302
        assert "6-digit code" in client.get("/login/code/").content.decode()

        done = client.post("/login/code/", {"code": code_of(device)})
        assert done.status_code == 302
        assert done.url == "/ledger/"  # where the login was going
    assert client.session["_auth_user_id"] == str(people["camille"].pk)
    assert verified(client)
    assert client.get("/").status_code == 200


def test_a_code_works_once(people) -> None:
    device = with_device(people["camille"])
    with time_machine.travel(START, tick=False):
        first = Client()
        password_step(first, "camille@acme.example")
        code = code_of(device)
        assert first.post("/login/code/", {"code": code}).status_code == 302
        second = Client()
        password_step(second, "camille@acme.example")
        again = second.post("/login/code/", {"code": code})
    assert again.status_code == 200
    assert error_text(again) == "Wrong code. Type the one your app shows now."
    assert "_auth_user_id" not in second.session


def test_wrong_codes_are_throttled_and_a_new_password_does_not_reset_the_count(people) -> None:
    device = with_device(people["camille"])
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        password_step(client, "camille@acme.example")
        answers = [client.post("/login/code/", {"code": wrong_code(device)}) for _ in range(5)]
        assert [a.status_code for a in answers] == [200] * 5
        refused = client.post("/login/code/", {"code": code_of(device)})
        assert refused.status_code == 429
        assert error_text(refused) == "Too many attempts. Try again in 15 minutes."
        assert refused["Retry-After"] == "900"
        assert "_auth_user_id" not in client.session

        # The right password again (another browser) buys no fresh guesses.
        other = Client()
        assert password_step(other, "camille@acme.example").url == "/login/code/"
        assert other.post("/login/code/", {"code": code_of(device)}).status_code == 429

        traveller.shift(timedelta(minutes=15))
        password_step(client, "camille@acme.example")
        done = client.post("/login/code/", {"code": code_of(device)})
        assert done.status_code == 302
    assert verified(client)


def test_bad_codes_get_a_clear_answer_never_a_500(people) -> None:
    with_device(people["camille"])
    client = Client()
    password_step(client, "camille@acme.example")
    for typed in ["", "abcdef", "12345", "1234567", "١٢٣٤٥٦", "x" * 5000]:
        answer = client.post("/login/code/", {"code": typed})
        assert answer.status_code == 400, typed
        assert error_text(answer) == "Type the 6 digits your authentication app shows."
    assert client.post("/login/code/", {}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_an_expired_or_missing_sign_in_asks_for_the_password_again(people) -> None:
    device = with_device(people["camille"])
    gone = "This sign-in has expired. Log in again with your password."
    assert error_text(Client().get("/login/code/")) == gone
    assert Client().post("/login/code/", {"code": "123456"}).status_code == 400
    client = Client()
    with time_machine.travel(START, tick=False) as traveller:
        password_step(client, "camille@acme.example")
        traveller.shift(timedelta(minutes=6))
        late = client.post("/login/code/", {"code": code_of(device)})
    assert late.status_code == 400
    assert error_text(late) == gone
    assert "_auth_user_id" not in client.session


def test_spaces_in_the_code_as_apps_show_it_are_fine(people) -> None:
    device = with_device(people["camille"])
    client = Client()
    with time_machine.travel(START, tick=False):
        password_step(client, "camille@acme.example")
        code = code_of(device)
        assert client.post("/login/code/", {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_the_admin_login_is_the_desks_with_both_steps(people) -> None:
    admin = User.objects.create_superuser("root@acme.example", PASSWORD)
    device = with_device(admin)
    client = Client()
    assert client.get("/admin/login/?next=/admin/").url == "/login/?next=/admin/"
    with time_machine.travel(START, tick=False):
        password_step(client, "root@acme.example", next="/admin/")
        assert client.get("/admin/").status_code == 302
        done = client.post("/login/code/", {"code": code_of(device)})
        assert done.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_turning_it_off_needs_a_current_code_or_the_password(people) -> None:
    chris = people["chris"]
    device = with_device(chris)
    client = Client()
    client.force_login(chris)
    with time_machine.travel(START, tick=False):
        nothing = client.post("/me/two-factor/", {"action": "turn_off"})
        assert nothing.status_code == 400
        assert error_text(nothing) == "Type a code from your app, or your password."
        letters = client.post("/me/two-factor/", {"action": "turn_off", "code": "abcdef"})
        assert letters.status_code == 400
        wrong = client.post("/me/two-factor/", {"action": "turn_off", "code": wrong_code(device)})
        assert wrong.status_code == 400
        assert error_text(wrong) == "Wrong code or password."
        bad_password = client.post("/me/two-factor/", {"action": "turn_off", "password": "nope"})
        assert bad_password.status_code == 400
        assert TOTPDevice.objects.filter(user=chris).exists()

        off = client.post("/me/two-factor/", {"action": "turn_off", "code": code_of(device)})
        assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=chris).exists()

    with_device(chris)
    off = client.post("/me/two-factor/", {"action": "turn_off", "password": PASSWORD})
    assert off.status_code == 302
    assert not TOTPDevice.objects.filter(user=chris).exists()
    assert password_step(Client(), "chris@acme.example").url == "/start/"


def test_odd_requests_on_the_page_are_400s(people) -> None:
    client = Client()
    client.force_login(people["chris"])
    assert client.post("/me/two-factor/", {"action": "launch"}).status_code == 400
    assert (
        client.post("/me/two-factor/", {"action": "confirm", "code": "123456"}).status_code == 400
    )
    assert client.post("/me/two-factor/", {"action": "turn_off"}).status_code == 400
    with_device(people["chris"])
    assert client.post("/me/two-factor/", {"action": "start"}).status_code == 400
    assert Client().get("/me/two-factor/").status_code == 302  # a login first


def test_required_for_founders_and_admins_not_for_agents(people, settings) -> None:
    settings.REQUIRE_2FA = True
    founder = Client()
    founder.force_login(people["camille"])
    held = founder.get("/")
    assert held.status_code == 302
    assert held.url == "/me/two-factor/"
    assert founder.get("/cockpit/").url == "/me/two-factor/"
    assert founder.get("/me/").url == "/me/two-factor/"
    assert founder.get("/me/two-factor/").status_code == 200

    admin = Client()
    admin.force_login(User.objects.create_superuser("root@acme.example", PASSWORD))
    assert admin.get("/admin/").url == "/me/two-factor/"

    agent = Client()
    agent.force_login(people["chris"])
    assert agent.get("/").status_code == 200
    head = Client()
    head.force_login(people["sophie"])
    assert head.get("/").status_code == 200

    with time_machine.travel(START, tick=False):
        founder.post("/me/two-factor/", {"action": "start"})
        device = TOTPDevice.objects.get(user=people["camille"])
        founder.post("/me/two-factor/", {"action": "confirm", "code": code_of(device)})
    assert founder.get("/").status_code == 200
    # Required: it cannot be turned off.
    kept = founder.post("/me/two-factor/", {"action": "turn_off", "password": PASSWORD})
    assert kept.status_code == 400
    assert TOTPDevice.objects.filter(user=people["camille"], confirmed=True).exists()


def test_required_a_session_without_the_code_must_sign_in_again(people, settings) -> None:
    settings.REQUIRE_2FA = True
    with_device(people["camille"])
    client = Client()
    client.force_login(people["camille"])  # e.g. opened before the device was confirmed
    answer = client.get("/")
    assert answer.status_code == 302
    assert answer.url == "/login/?next=/"
    assert "_auth_user_id" not in client.session


def test_a_founder_role_change_is_held_at_once(people, settings) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    client.force_login(people["chris"])
    assert client.get("/").status_code == 200
    User.objects.filter(pk=people["chris"].pk).update(role=Role.ADMIN)
    assert client.get("/").url == "/me/two-factor/"


def test_the_code_step_speaks_french(people) -> None:
    with_device(people["camille"])
    client = Client(headers={"accept-language": "fr"})
    password_step(client, "camille@acme.example")
    answer = client.post("/login/code/", {"code": "abc"})
    assert answer["Content-Language"] == "fr"
    assert (
        error_text(answer)
        == "Saisissez les 6 chiffres qu’affiche votre application d’authentification."
    )
