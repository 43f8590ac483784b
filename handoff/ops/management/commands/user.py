"""handoff user add|list|password|disable|enable|role|two-factor-off: manage logins from the
command line.
Passwords come from standard input (asked twice on a terminal), never from the arguments."""

from __future__ import annotations

import getpass
import json
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from handoff.accounts import logins, two_factor
from handoff.accounts.models import Role, User

LOGIN = "the login's email address (any case)"


class Command(BaseCommand):
    help = "Manage logins: add, list, change a password or a role, disable or enable."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a login (password read from standard input)")
        add.add_argument("email", help="the login, an email address (stored in lower case)")
        add.add_argument(
            "--role", required=True, choices=Role.values, help="what the person sees and may do"
        )
        add.add_argument("--name", default="", help="the name the desk shows (default: none)")
        listing = sub.add_parser("list", help="every login: email, role, enabled or not, name")
        listing.add_argument("--json", action="store_true", help="print one JSON array")
        password = sub.add_parser(
            "password", help="set a login's password (read from standard input)"
        )
        password.add_argument("email", help=LOGIN)
        for action, does in [
            ("disable", "stop a login from signing in (its open sessions end too)"),
            ("enable", "let a disabled login sign in again"),
            ("two-factor-off", "turn off a login's two-factor sign-in (a lost phone)"),
        ]:
            sub.add_parser(action, help=does).add_argument("email", help=LOGIN)
        role = sub.add_parser("role", help="change what a login sees and may do")
        role.add_argument("email", help=LOGIN)
        role.add_argument("role", choices=Role.values, help="the new role")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self.add(options["email"], Role(options["role"]), options["name"])
        elif action == "list":
            self.list_logins(as_json=options["json"])
        elif action == "password":
            user = _existing(options["email"])
            try:
                logins.change_password(user, _password())
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(f"changed the password of {user.email}")
        elif action in {"disable", "enable"}:
            user = _existing(options["email"])
            active = action == "enable"
            if user.is_active == active:
                self.stdout.write(f"{user.email} was already {action}d")
                return
            logins.set_active(user, active)
            self.stdout.write(f"{action}d {user.email}")
        elif action == "two-factor-off":
            user = _existing(options["email"])
            if not two_factor.has_device(user):
                self.stdout.write(f"{user.email} had no two-factor sign-in")
                return
            two_factor.turn_off(user)
            self.stdout.write(f"turned off two-factor sign-in for {user.email}")
        elif action == "role":
            user = _existing(options["email"])
            logins.set_role(user, Role(options["role"]))
            user.save(update_fields=["role", "is_staff", "is_superuser"])
            self.stdout.write(f"{user.email} is now {user.role}")

    def add(self, email: str, role: Role, name: str) -> None:
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has a login")
        password = _password()
        user = User(email=email, name=name)
        logins.set_role(user, role)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        self.stdout.write(f"created {email} ({role})")

    def list_logins(self, as_json: bool) -> None:
        users = User.objects.order_by("email")
        if as_json:
            rows = [
                {
                    "email": u.email,
                    "name": u.name,
                    "role": u.role,
                    "active": u.is_active,
                    "last_login": u.last_login.isoformat() if u.last_login else None,
                }
                for u in users
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        width = max((len(u.email) for u in users), default=0)
        for u in users:
            state = "enabled" if u.is_active else "disabled"
            self.stdout.write(f"{u.email:<{width}}  {u.role:<7}  {state:<8}  {u.name}".rstrip())


def _existing(email: str) -> User:
    try:
        return User.objects.get(email=email.strip().lower())
    except User.DoesNotExist:
        raise CommandError(f"{email} has no login (see `handoff user list`)") from None


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")
