"""Mail for the ledger, taken out of the pipeline before it is threaded as a customer's:

- a reply to a check-in reminder (by In-Reply-To or References) is the owner's check-in:
  its first line says "on track", "needs help" or "blocked" (in English or French), and
  the rest of that line is the status's text;
- anything else sent to a ledger address (a mailbox of purpose "ledger"), or blind-copied
  to it, is a new task: the subject is its title, the body its description.

Only the desk's own people may write to the ledger (an agent's task is their own), a new
task only to the sender's own ledger address (``handoff.ledger.addresses``: the secret in
it says who wrote, which a From line cannot), and only the task's owner (or the founder
and the head) may check in. Anything else, an automatic reply, or mail whose sender the
receiving server found forged, goes to the quarantine with the reason: the bytes stay, the
head sees why, nothing is created."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from handoff.accounts.models import User
from handoff.ledger import actions, addresses, checkins
from handoff.ledger.actions import Draft, Refused
from handoff.ledger.models import CheckIn, Task
from handoff.lib.mime import ParsedMessage
from handoff.lib.quotes import fold
from handoff.mailin.models import RawMessage

log = logging.getLogger(__name__)


class Delivery(Protocol):
    """A stored message as the pipeline read it (``tickets.ingest.Parsed``)."""

    @property
    def raw_id(self) -> int: ...

    @property
    def message(self) -> ParsedMessage: ...


MOST_DESCRIPTION = 20_000
# What a receiving server writes when the sender's domain disowns the message.
_FORGED = re.compile(r"\bdmarc=fail\b", re.IGNORECASE)
_SPF_FAIL = re.compile(r"\bspf=(?:fail|softfail)\b", re.IGNORECASE)
_DKIM_PASS = re.compile(r"\bdkim=pass\b", re.IGNORECASE)


def take[D: Delivery](batch: Sequence[D]) -> list[D]:
    """Record the ledger's mail of ``batch``; returns the rest, for the conversations."""
    ledger = set(addresses.ledger_addresses())
    cited = {i for item in batch for i in (*item.message.in_reply_to, *item.message.references)}
    reminders = (
        dict(CheckIn.objects.filter(reminder_id__in=cited).values_list("reminder_id", "pk"))
        if cited
        else {}
    )
    if not ledger and not reminders:
        return list(batch)
    envelopes = _envelopes([item.raw_id for item in batch]) if ledger else {}
    rest = []
    for item in batch:
        message = item.message
        answered = next(
            (reminders[i] for i in (*message.in_reply_to, *message.references) if i in reminders),
            None,
        )
        tags = addresses.tags(_recipients(message, envelopes.get(item.raw_id, "")), ledger)
        if answered is None and tags is None:
            rest.append(item)
            continue
        _take(item, answered, tags or [])
    return rest


# "smtp:127.0.0.1 from=<a@x> to=<b@y>,<c@z>": the envelope the receiver kept with the bytes.
_ENVELOPE_TO = re.compile(r"\bto=((?:<[^<>\s]*>,?)+)\s*$")


def _envelopes(raw_ids: list[int]) -> dict[int, str]:
    """Each stored message's source line, which names the envelope's recipients."""
    rows = RawMessage.objects.filter(pk__in=raw_ids).values_list("pk", "source")
    return {pk: source for pk, source in rows if " to=<" in source}


def _recipients(message: ParsedMessage, source: str) -> list[str]:
    """Where the message went: To and Cc, and where a Bcc'd copy shows it (the envelope
    our own receiver kept, or the Delivered-To and X-Original-To its mail server wrote):
    blind-copying one's ledger address is how a mail one sends becomes a task."""
    found = [a.email for a in (*message.to, *message.cc)]
    for name in ("delivered-to", "x-original-to"):
        found += message.headers.get(name, "").strip(" <>").split()[:1]
    if envelope := _ENVELOPE_TO.search(source):
        found += re.findall(r"<([^<>\s]+)>", envelope[1])
    return found


def _take(item: Delivery, checkin_id: int | None, tags: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        claimed = RawMessage.objects.filter(pk=item.raw_id, state=RawMessage.State.PENDING)
        if not claimed.update(state=RawMessage.State.DONE):
            return  # another worker took it
        try:
            with transaction.atomic():
                sender = _sender(item.message)
                if checkin_id is None:
                    _check_address(sender, tags)
                    task = _new_task(item.message, sender)
                    log.info("ledger: task %s from %s", task.pk, sender.email)
                else:
                    _check_in(item.message, sender, checkin_id)
        except Refused as error:
            RawMessage.objects.filter(pk=item.raw_id).update(
                state=RawMessage.State.FAILED, error=_("Ledger: %(reason)s") % {"reason": error}
            )


def _sender(message: ParsedMessage) -> User:
    address = message.sender.email.lower() if message.sender else ""
    if message.headers.get("auto-submitted", "no").strip().lower() != "no":
        raise Refused(_("an automatic message (Auto-Submitted) is not a task or a check-in."))
    results = message.headers.get("authentication-results", "")
    if _FORGED.search(results) or (_SPF_FAIL.search(results) and not _DKIM_PASS.search(results)):
        raise Refused(
            _("the sender %(address)s failed the receiving server's checks (%(results)s).")
            % {"address": address, "results": results[:200]}
        )
    person = User.objects.filter(email=address, is_active=True).first() if address else None
    if person is None or person.role not in actions.OWNERS:
        raise Refused(
            _("%(address)s is not one of the desk's people; only they may write to the ledger.")
            % {"address": address or _("(no sender)")}
        )
    return person


def _check_address(sender: User, tags: list[str]) -> None:
    """A new task must come to the sender's own ledger address: a From line can be forged."""
    if not addresses.is_theirs(tags, sender):
        raise Refused(
            _(
                "a task by mail must be sent to %(address)s's own ledger address (on their "
                "Ledger page), not to the ledger's: a From line alone can be forged."
            )
            % {"address": sender.email}
        )


def _new_task(message: ParsedMessage, sender: User) -> Task:
    """The founder's and the head's tasks start with no owner (they delegate them); anyone
    else's is their own, the only tasks they see."""
    text = message.text.strip()
    if len(text) > MOST_DESCRIPTION:
        text = text[:MOST_DESCRIPTION] + "\n[…]"
    owner = "" if actions.can_manage(sender) else sender.email
    draft = Draft(title=message.subject, description=text, owner=owner)
    return actions.create(draft, actor=sender, source=Task.Source.EMAIL)


def _check_in(message: ParsedMessage, sender: User, checkin_id: int) -> None:
    checkin = CheckIn.objects.select_related("task__owner").get(pk=checkin_id)
    task = checkin.task
    if sender != task.owner and not actions.can_manage(sender):
        raise Refused(
            _("%(address)s does not own task T-%(task)s and may not check in for it.")
            % {"address": sender.email, "task": task.pk}
        )
    status, text = checkins.status_of(fold(message.text).visible)
    if not status:
        raise Refused(
            _("the reply does not start with on track, needs help or blocked: “%(line)s”.")
            % {"line": text[:120]}
        )
    checkins.answer(task, status, text, actor=sender, checkin=checkin)
