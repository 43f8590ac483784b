"""handoff digest --print | --send: the weekly digest, shown here or sent now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from handoff.accounts.models import User
from handoff.cockpit.digest import build
from handoff.cockpit.send import READERS, readers, send
from handoff.cockpit.weeks import BadWeek, parse_week
from handoff.mailout.outbox import CannotSend


class Command(BaseCommand):
    help = (
        "The founder's weekly digest: print it here, or send it now. By default the last "
        "full week, to every founder (and the people with a digest schedule)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--print", action="store_true", help="write the digest here")
        what.add_argument("--send", action="store_true", help="send it now through the outbox")
        parser.add_argument(
            "--week",
            default=None,
            help="the ISO week to cover, YYYY-Www such as 2026-W49 (default: the last full "
            "week in the reader's time zone)",
        )
        parser.add_argument(
            "--user",
            default=None,
            metavar="EMAIL",
            help="only this person's digest, in their language and time zone",
        )
        parser.add_argument(
            "--html", action="store_true", help="with --print: the HTML version, not the text"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        week = options["week"]
        if week is not None:
            try:
                parse_week(week)
            except BadWeek as error:
                raise CommandError(f"--week: {error}") from None
        if options["html"] and not options["print"]:
            raise CommandError("--html goes with --print")
        people = [_person(options["user"])] if options["user"] else [u for u, _ in readers()]
        if not people:
            raise CommandError(
                "nobody gets the digest: add a founder with `handoff user add EMAIL --role founder`"
            )
        now = timezone.now()
        for person in people:
            if options["print"]:
                content = build(person, week, now)
                if options["html"]:
                    self.stdout.write(content.html)
                else:
                    self.stdout.write(f"To: {person.email}\nSubject: {content.subject}\n\n")
                    self.stdout.write(content.text)
                continue
            try:
                sent = send(person, now, week)
            except CannotSend as error:
                raise CommandError(f"not sent: {error}") from None
            self.stdout.write(f"queued the digest of {sent.content.week} for {person.email}")


def _person(email: str) -> User:
    person = User.objects.filter(email=email.strip().lower()).first()
    if person is None:
        raise CommandError(f"nobody has the login {email}")
    if person.role not in READERS:
        raise CommandError(
            f"{person.email} is an agent: the digest is for the founder, the head and admins"
        )
    return person
