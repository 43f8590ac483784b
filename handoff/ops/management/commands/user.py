"""handoff user add EMAIL --role ROLE: create a login; the password comes from standard input."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from handoff.accounts.models import Role, User


class Command(BaseCommand):
    help = "Manage logins."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create a login (password read from standard input)")
        add.add_argument("email", help="the login, an email address (stored in lower case)")
        add.add_argument(
            "--role", required=True, choices=Role.values, help="what the person sees and may do"
        )
        add.add_argument("--name", default="", help="the name the desk shows (default: none)")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not an email address") from None
        if User.objects.filter(email=email).exists():
            raise CommandError(f"{email} already has a login")
        password = _password()
        user = User(email=email, role=options["role"], name=options["name"])
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user.is_staff = options["role"] == Role.ADMIN
        user.is_superuser = options["role"] == Role.ADMIN
        user.set_password(password)
        user.save()
        self.stdout.write(f"created {email} ({options['role']})")


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise CommandError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")
