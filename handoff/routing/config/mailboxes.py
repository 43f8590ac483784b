"""``[[mailbox]]``: the addresses the desk answers for and sends from, with their IMAP settings.

Never a secret, in the file or in the database: ``[mailbox.imap]`` names where
``handoff fetchmail`` finds the password or token when it connects (``secret_env``,
``secret_file`` or ``token_command``), as the Mailbox row does. Matched by address, whatever
its case. A mailbox that a present ``[[mailbox]]`` section leaves out is deactivated, not
deleted: the desk stops answering for it and fetching it, and its fetch positions and the
mail it sent stay (``dump`` writes it back with ``active = false``).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from handoff.mailin.imap import _is_loopback
from handoff.mailin.models import Mailbox
from handoff.routing.config.reader import Problem, Reader

MAILBOX_KEYS = {"address", "name", "purpose", "active", "acknowledge", "imap"}
IMAP_KEYS = {
    "host", "port", "security", "user", "auth", "folders", "move_to",
    "secret_env", "secret_file", "token_command",
}  # fmt: skip
SECRET_SOURCES = ("secret_env", "secret_file", "token_command")
# Keys someone may write a secret under: refused with a way out, never stored.
SECRET_KEYS = {"password", "pass", "passwd", "secret", "token", "imap_password"}
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAY_WHERE_IT_LIVES = (
    "never a secret in the file: name the environment variable that holds it "
    '(secret_env = "SUPPORT_IMAP_PASSWORD"), or use secret_file or token_command'
)


@dataclass
class ImapPlan:
    host: str
    port: int = 993
    security: str = Mailbox.Security.TLS.value
    user: str = ""
    auth: str = Mailbox.Auth.PASSWORD.value
    folders: list[str] = field(default_factory=list)  # empty: INBOX
    move_to: str = ""
    secret_env: str = ""
    secret_file: str = ""
    token_command: str = ""


@dataclass
class MailboxPlan:
    address: str
    name: str = ""
    active: bool = True
    acknowledge: bool = False
    imap: ImapPlan | None = None  # None: not fetched (mail comes by SMTP or a webhook)
    # "desk" (customers' mail) or "ledger" (tasks and check-ins from the desk's people)
    purpose: str = Mailbox.Purpose.DESK.value


def _without_secrets(table: Any, path: tuple[str | int, ...], errors: list[Problem]) -> Any:
    if not isinstance(table, dict):
        return table
    for key in table.keys() & SECRET_KEYS:
        errors.append(((*path, key), _SAY_WHERE_IT_LIVES))
    return {k: v for k, v in table.items() if k not in SECRET_KEYS}


def parse_mailboxes(items: list[Any], errors: list[Problem]) -> list[MailboxPlan]:
    plans = []
    for position, table in enumerate(items):
        path = ("mailbox", position)
        read = Reader(_without_secrets(table, path, errors), path, errors, MAILBOX_KEYS)
        plans.append(_mailbox(read))
    counts = Counter(plan.address for plan in plans)
    for position, plan in enumerate(plans):
        if plan.address and counts[plan.address] > 1:
            errors.append((("mailbox", position, "address"), f"{plan.address!r} appears twice"))
    return plans


def _mailbox(read: Reader) -> MailboxPlan:
    plan = MailboxPlan(read.text("address", required=True).lower())
    if plan.address:
        try:
            validate_email(plan.address)
        except ValidationError:
            read.fail("address", f"{plan.address!r} is not an email address")
    plan.name = read.text("name")
    plan.purpose = read.text("purpose", plan.purpose)
    if plan.purpose not in Mailbox.Purpose.values:
        read.fail("purpose", f"one of: {', '.join(Mailbox.Purpose.values)}")
    plan.active = bool(read.get("active", bool, True))
    plan.acknowledge = bool(read.get("acknowledge", bool, False))
    if "imap" in read.table:
        path = (*read.path, "imap")
        if isinstance(read.table["imap"], dict):
            table = _without_secrets(read.table["imap"], path, read.errors)
            plan.imap = _imap(Reader(table, path, read.errors, IMAP_KEYS), plan.address)
        else:
            read.fail("imap", "expected a table: [mailbox.imap] or imap = { host = ... }")
    return plan


def _imap(read: Reader, address: str) -> ImapPlan:
    plan = ImapPlan(read.text("host", required=True))
    if " " in plan.host or "/" in plan.host:
        read.fail("host", f"{plan.host!r} is not a host name")
    plan.security = read.text("security", plan.security)
    if plan.security not in Mailbox.Security.values:
        read.fail("security", f"one of: {', '.join(Mailbox.Security.values)}")
    elif plan.security == Mailbox.Security.NONE and plan.host and not _is_loopback(plan.host):
        read.fail("security", f"plain-text IMAP is refused for {plan.host}: use tls or starttls")
    default_port = 993 if plan.security == Mailbox.Security.TLS else 143
    plan.port = int(read.get("port", int, default_port))
    if not 0 < plan.port < 65536:
        read.fail("port", "a port between 1 and 65535 (993 for tls, 143 for starttls)")
    plan.user = read.text("user", address)
    plan.auth = read.text("auth", plan.auth)
    if plan.auth not in Mailbox.Auth.values:
        read.fail("auth", f"one of: {', '.join(Mailbox.Auth.values)}")
    plan.folders = [f for f in read.texts("folders") if f]
    plan.move_to = read.text("move_to")
    plan.secret_env = read.text("secret_env")
    plan.secret_file = read.text("secret_file")
    plan.token_command = read.text("token_command")
    given = [key for key in SECRET_SOURCES if getattr(plan, key)]
    if len(given) != 1:
        read.fail(
            given[1] if len(given) > 1 else "",
            "give exactly one of secret_env, secret_file or token_command: where fetchmail "
            "finds the password or token (never the secret itself)",
        )
    if plan.secret_env and not _ENV_NAME.fullmatch(plan.secret_env):
        read.fail("secret_env", f"{plan.secret_env!r} is not an environment variable name")
    return plan


def mailbox_warnings(plans: list[MailboxPlan]) -> list[Problem]:
    """Valid, but fetchmail will fail as things stand here."""
    found: list[Problem] = []
    for position, plan in enumerate(plans):
        imap = plan.imap
        if plan.active and imap and imap.secret_env and not os.environ.get(imap.secret_env):
            found.append(
                (
                    ("mailbox", position, "imap", "secret_env"),
                    f"{imap.secret_env} is not set here: handoff fetchmail needs it in its "
                    "environment",
                )
            )
    return found


def _values(plan: MailboxPlan) -> dict[str, Any]:
    values: dict[str, Any] = {
        "address": plan.address,
        "name": plan.name,
        "purpose": plan.purpose,
        "active": plan.active,
        "acknowledge": plan.acknowledge,
        "imap_host": plan.imap.host if plan.imap else "",
    }
    if plan.imap is None:
        # Not fetched: without a host nothing reads the other IMAP settings, which are
        # kept as they are (so that dump, which leaves them out, round-trips).
        return values
    return values | {
        "imap_port": plan.imap.port,
        "imap_security": plan.imap.security,
        "imap_user": plan.imap.user,
        "imap_auth": plan.imap.auth,
        "imap_folders": plan.imap.folders,
        "imap_move_to": plan.imap.move_to,
        "secret_env": plan.imap.secret_env,
        "secret_file": plan.imap.secret_file,
        "token_command": plan.imap.token_command,
    }


def save_mailboxes(plans: list[MailboxPlan], changes: list[str]) -> None:
    for plan in plans:
        values = _values(plan)
        row = Mailbox.objects.filter(address__iexact=plan.address).first()
        if row is None:
            Mailbox.objects.create(**values)
            changes.append(f"created mailbox {plan.address}")
            continue
        # The address as first written stays: it matched, whatever its case.
        differ = [k for k, v in values.items() if k != "address" and getattr(row, k) != v]
        if differ:
            for key in differ:
                setattr(row, key, values[key])
            row.save(update_fields=differ)
            changes.append(f"updated mailbox {plan.address}: {', '.join(differ)}")
    listed = {plan.address for plan in plans}
    for row in Mailbox.objects.filter(active=True).order_by("address"):
        if row.address.lower() not in listed:
            row.active = False
            row.save(update_fields=["active"])
            changes.append(
                f"deactivated mailbox {row.address} (not in the file; its fetch positions "
                "and sent mail stay)"
            )


def load_mailboxes() -> list[MailboxPlan]:
    plans = []
    for row in Mailbox.objects.order_by("address"):
        imap = None
        if row.imap_host:
            imap = ImapPlan(
                host=row.imap_host,
                port=row.imap_port,
                security=row.imap_security,
                user=row.imap_user,
                auth=row.imap_auth,
                folders=[str(folder) for folder in row.imap_folders],
                move_to=row.imap_move_to,
                secret_env=row.secret_env,
                secret_file=row.secret_file,
                token_command=row.token_command,
            )
        plans.append(
            MailboxPlan(row.address, row.name, row.active, row.acknowledge, imap, row.purpose)
        )
    return plans
