"""The first-run page: a fresh desk tells its head that it answers for no address, and
takes the first one (checked as ``handoff config apply`` checks it, never a password)."""

from __future__ import annotations

import pytest

from handoff.mailin.models import Mailbox
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

BANNER = "This desk answers for no address yet"


def test_a_fresh_desk_asks_its_head_for_a_mailbox(people) -> None:
    sophie = logged_in(people["sophie"])
    assert BANNER in sophie.get("/").content.decode()
    assert BANNER not in logged_in(people["chris"]).get("/").content.decode()
    assert "None yet" in sophie.get("/setup/").content.decode()

    answer = sophie.post(
        "/setup/",
        {
            "address": "Support@Acme.example",
            "name": "Acme",
            "imap_host": "imap.acme.example",
            "imap_port": "993",
            "imap_security": "tls",
            "imap_user": "support@acme.example",
            "secret_env": "SUPPORT_IMAP_PASSWORD",
        },
    )
    assert answer.status_code == 302
    mailbox = Mailbox.objects.get()
    assert (mailbox.address, mailbox.name, mailbox.imap_host, mailbox.secret_env) == (
        "support@acme.example",
        "Acme",
        "imap.acme.example",
        "SUPPORT_IMAP_PASSWORD",
    )
    assert BANNER not in sophie.get("/").content.decode()
    page = sophie.get("/setup/").content.decode()
    assert "IMAP imap.acme.example:993" in page
    assert "password in $SUPPORT_IMAP_PASSWORD" in page

    # A second address leaves the first as it was.
    sophie.post("/setup/", {"address": "ledger@acme.example", "purpose": "ledger"})
    assert dict(Mailbox.objects.values_list("address", "active")) == {
        "support@acme.example": True,
        "ledger@acme.example": True,
    }
    assert Mailbox.objects.get(address="ledger@acme.example").purpose == "ledger"


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"address": ""}, "The address the customers write to"),
        ({"address": "not an address"}, "not an email address"),
        ({"address": "a@acme.example", "imap_host": "imap.x", "imap_port": "x"}, "is a number"),
        ({"address": "a@acme.example", "imap_host": "imap.x", "imap_security": "ssl3"}, "security"),
    ],
)
def test_a_bad_mailbox_gets_a_clear_answer(people, form, says) -> None:
    answer = logged_in(people["sophie"]).post("/setup/", form)
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Mailbox.objects.exists()


def test_the_same_address_twice_is_refused(people) -> None:
    Mailbox.objects.create(address="support@acme.example")
    answer = logged_in(people["sophie"]).post("/setup/", {"address": "SUPPORT@acme.example"})
    assert answer.status_code == 400
    assert "twice" in answer.content.decode()
    assert Mailbox.objects.count() == 1


def test_only_the_head_and_the_admin_set_up(people) -> None:
    chris = logged_in(people["chris"])
    assert chris.get("/setup/").status_code == 404
    assert chris.post("/setup/", {"address": "x@acme.example"}).status_code == 404
    assert logged_in(people["camille"]).get("/setup/").status_code == 404
    assert not Mailbox.objects.exists()
