"""`[[mailbox]]` in `handoff config apply` / `dump`: a fresh desk gets its addresses, sending
name and IMAP settings from the file, matched by address; the secret is never in the file or
the database, only the name of where it lives."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from handoff.mailin.models import ImapCursor, Mailbox
from handoff.routing.config.apply import apply_text
from handoff.routing.config.dump import dump

NOW = datetime(2026, 11, 1, tzinfo=UTC)
pytestmark = pytest.mark.django_db

MAILBOXES = """\
[[mailbox]]
address = "support@acme.example"
name = "Acme"
acknowledge = true

[mailbox.imap]
host = "imap.acme.example"
security = "starttls"
folders = ["INBOX", "Support"]
move_to = "Done"
secret_env = "SUPPORT_IMAP_PASSWORD"

[[mailbox]]
address = "Sales@Acme.example"
imap = { host = "127.0.0.1", port = 1143, security = "none", user = "sales", secret_file = "/etc/handoff/sales" }

[[mailbox]]
address = "founder@acme.example"
"""


def test_apply_creates_the_mailboxes_then_changes_nothing_the_second_time(monkeypatch):
    monkeypatch.setenv("SUPPORT_IMAP_PASSWORD", "not-read-by-apply")
    first = apply_text(MAILBOXES, NOW)
    assert first.ok, first.errors
    assert first.changes == [
        "created mailbox support@acme.example",
        "created mailbox sales@acme.example",
        "created mailbox founder@acme.example",
    ]
    assert first.warnings == []
    support = Mailbox.objects.get(address="support@acme.example")
    assert (support.name, support.acknowledge, support.active) == ("Acme", True, True)
    assert (support.imap_host, support.imap_port, support.imap_security) == (
        "imap.acme.example",
        143,
        "starttls",
    )
    assert support.imap_user == "support@acme.example"  # the address, unless said otherwise
    assert (support.imap_folders, support.imap_move_to) == (["INBOX", "Support"], "Done")
    assert (support.secret_env, support.secret_file) == ("SUPPORT_IMAP_PASSWORD", "")
    sales = Mailbox.objects.get(address="sales@acme.example")
    assert (sales.imap_port, sales.imap_user, sales.secret_file) == (
        1143,
        "sales",
        "/etc/handoff/sales",
    )
    assert Mailbox.objects.get(address="founder@acme.example").imap_host == ""
    assert apply_text(MAILBOXES, NOW).changes == []


def test_dump_then_apply_is_a_round_trip():
    Mailbox.objects.create(address="Old@Acme.example", name="Acme (old)", active=False)
    Mailbox.objects.create(
        address="oauth@acme.example",
        imap_host="imap.gmail.com",
        imap_auth="xoauth2",
        token_command="/usr/local/bin/gmail-token oauth@acme.example",
    )
    assert apply_text(MAILBOXES, NOW).ok
    printed = dump()
    assert '[[mailbox]]\naddress = "support@acme.example"\nname = "Acme"' in printed
    assert '[mailbox.imap]\nhost = "imap.acme.example"\nport = 143' in printed
    assert 'address = "Old@Acme.example"\nname = "Acme (old)"\nactive = false' in printed
    again = apply_text(printed, NOW)
    assert again.ok, again.errors
    assert again.changes == []
    assert dump() == printed
    assert Mailbox.objects.count() == 5


def test_an_existing_mailbox_is_updated_by_its_address_whatever_its_case():
    Mailbox.objects.create(address="SUPPORT@acme.example", imap_host="old.example")
    outcome = apply_text(
        '[[mailbox]]\naddress = "support@acme.example"\nname = "Acme"\n'
        '[mailbox.imap]\nhost = "imap.acme.example"\nsecret_env = "SUPPORT_IMAP_PASSWORD"\n',
        NOW,
    )
    assert outcome.changes == [
        "updated mailbox support@acme.example: name, imap_host, imap_user, secret_env"
    ]
    row = Mailbox.objects.get()
    assert (row.address, row.name, row.imap_host) == (
        "SUPPORT@acme.example",
        "Acme",
        "imap.acme.example",
    )


def test_a_mailbox_left_out_is_deactivated_not_deleted_and_an_absent_section_is_left_alone():
    apply_text(MAILBOXES, NOW)
    support = Mailbox.objects.get(address="support@acme.example")
    ImapCursor.objects.create(mailbox=support, folder="INBOX", uidvalidity=7, last_uid=42)
    assert apply_text("team = []\n", NOW).ok
    assert Mailbox.objects.filter(active=True).count() == 3
    only_sales = '[[mailbox]]\naddress = "sales@acme.example"\n'
    assert apply_text(only_sales, NOW).changes == [
        "updated mailbox sales@acme.example: imap_host",  # no [mailbox.imap]: not fetched
        "deactivated mailbox founder@acme.example (not in the file; its fetch positions and "
        "sent mail stay)",
        "deactivated mailbox support@acme.example (not in the file; its fetch positions and "
        "sent mail stay)",
    ]
    assert ImapCursor.objects.get().last_uid == 42  # fetching again later resumes there
    assert apply_text(only_sales, NOW).changes == []
    assert apply_text("mailbox = []\n", NOW).changes == [
        "deactivated mailbox sales@acme.example (not in the file; its fetch positions and "
        "sent mail stay)"
    ]
    assert Mailbox.objects.count() == 3
    assert apply_text(MAILBOXES, NOW).changes == [
        "updated mailbox support@acme.example: active",
        "updated mailbox sales@acme.example: active, imap_host",
        "updated mailbox founder@acme.example: active",
    ]


def test_bad_mailboxes_are_refused_whole_by_key_and_line_and_a_secret_is_never_stored():
    bad = """\
[[team]]
name = "customer-happiness"

[[mailbox]]
address = "support at acme"
password = "hunter2"

[mailbox.imap]
host = "imap.acme.example"
port = 99999
security = "none"
secret_env = "MY-VAR"
secret_file = "/etc/handoff/support"

[[mailbox]]
name = "Acme"
imap = "imap.acme.example"

[[mailbox]]
address = "sales@acme.example"
imap = { host = "imap.acme.example", auth = "kerberos", token = "abc" }

[[mailbox]]
address = "SALES@acme.example"
"""
    outcome = apply_text(bad, NOW)
    assert outcome.errors == [
        "line 5: mailbox[0].address: 'support at acme' is not an email address",
        "line 6: mailbox[0].password: never a secret in the file: name the environment "
        'variable that holds it (secret_env = "SUPPORT_IMAP_PASSWORD"), or use secret_file '
        "or token_command",
        "line 10: mailbox[0].imap.port: a port between 1 and 65535 (993 for tls, 143 for starttls)",
        "line 11: mailbox[0].imap.security: plain-text IMAP is refused for "
        "imap.acme.example: use tls or starttls",
        "line 12: mailbox[0].imap.secret_env: 'MY-VAR' is not an environment variable name",
        "line 13: mailbox[0].imap.secret_file: give exactly one of secret_env, secret_file or "
        "token_command: where fetchmail finds the password or token (never the secret itself)",
        "line 15: mailbox[1].address: is required",
        "line 17: mailbox[1].imap: expected a table: [mailbox.imap] or imap = { host = ... }",
        "line 20: mailbox[2].address: 'sales@acme.example' appears twice",
        "line 21: mailbox[2].imap: give exactly one of secret_env, secret_file or "
        "token_command: where fetchmail finds the password or token (never the secret itself)",
        "line 21: mailbox[2].imap.auth: one of: password, xoauth2",
        "line 21: mailbox[2].imap.token: never a secret in the file: name the environment "
        'variable that holds it (secret_env = "SUPPORT_IMAP_PASSWORD"), or use secret_file '
        "or token_command",
        "line 24: mailbox[3].address: 'sales@acme.example' appears twice",
    ]
    assert not Mailbox.objects.exists()
    assert not apply_text(bad, NOW).changes  # nothing of the good parts either


def test_a_secret_variable_missing_here_is_a_warning(monkeypatch):
    monkeypatch.delenv("SUPPORT_IMAP_PASSWORD", raising=False)
    outcome = apply_text(MAILBOXES, NOW)
    assert outcome.ok
    assert outcome.warnings == [
        "line 11: mailbox[0].imap.secret_env: SUPPORT_IMAP_PASSWORD is not set here: "
        "handoff fetchmail needs it in its environment"
    ]
    assert Mailbox.objects.count() == 3


def test_the_command_says_what_it_did_and_refuses_a_password(tmp_path, monkeypatch):
    monkeypatch.setenv("SUPPORT_IMAP_PASSWORD", "x")
    good = tmp_path / "desk.toml"
    good.write_text(MAILBOXES)
    out = StringIO()
    call_command("config", "apply", str(good), stdout=out, stderr=StringIO())
    assert "created mailbox support@acme.example\n" in out.getvalue()
    assert out.getvalue().endswith("applied: 3 change(s)\n")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[mailbox]]\naddress = "new@acme.example"\n[mailbox.imap]\nhost = "imap.example"\n'
        'imap_password = "hunter2"\n'
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("config", "apply", str(bad), stdout=StringIO(), stderr=err)
    assert "line 5: mailbox[0].imap.imap_password: never a secret in the file" in err.getvalue()
    assert not Mailbox.objects.filter(address="new@acme.example").exists()


def test_the_readmes_mailbox_example_applies_as_it_says(monkeypatch):
    monkeypatch.setenv("SUPPORT_IMAP_PASSWORD", "x")
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Configuration file", 1)[1]
    example = section.split("```toml\n", 1)[1].split("[[team]]", 1)[0]
    outcome = apply_text(example, NOW)
    assert outcome.ok, outcome.errors
    assert outcome.warnings == []
    row = Mailbox.objects.get()
    assert (row.address, row.name, row.imap_move_to) == ("support@acme.example", "Acme", "Handled")
    assert "secret_env" in dump()


def test_the_demo_company_declares_its_mailboxes_in_its_configuration():
    from handoff.ops.management.commands.demo import DEMO_MAILBOXES, demo_config

    assert apply_text(demo_config(), NOW).ok
    names = dict(Mailbox.objects.filter(active=True).values_list("address", "name"))
    assert set(names) == set(DEMO_MAILBOXES)
    assert names["support@acme-reports.example"] == "Acme Reports"  # "Chris — Acme Reports"


def test_a_ledger_mailbox_is_declared_by_its_purpose_and_round_trips():
    text = '[[mailbox]]\naddress = "ledger@acme.example"\npurpose = "ledger"\n'
    assert apply_text(text, NOW).ok
    assert Mailbox.objects.get().purpose == Mailbox.Purpose.LEDGER
    printed = dump()
    assert 'address = "ledger@acme.example"\npurpose = "ledger"' in printed
    assert apply_text(printed, NOW).changes == []
    wrong = apply_text('[[mailbox]]\naddress = "x@acme.example"\npurpose = "tasks"\n', NOW)
    assert not wrong.ok
    assert "one of: desk, ledger" in " ".join(wrong.errors)
