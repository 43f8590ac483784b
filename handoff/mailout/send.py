"""Hand outbox rows to the mail server and record what happened.

No network inside a transaction: the row was committed when queued; here we
send, then record the outcome. A 4xx or a network error is retried with
backoff; a 5xx (or a provider's refusal) is final and shown on the conversation.
"""

from __future__ import annotations

import logging
import smtplib
import socket
from datetime import timedelta

from django.core.mail import mailers
from django.utils import timezone

from handoff.mailout.compose import email_of
from handoff.mailout.models import Outgoing
from handoff.tickets import timeline
from handoff.tickets.models import Event, Message

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)


class Transient(Exception):
    """Try again later."""


class Permanent(Exception):
    """Will never work: tell a person."""


def classify(error: Exception) -> Exception:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        kind: type[Exception] = Permanent if codes and min(codes) >= 500 else Transient
        return kind(f"recipients refused: {error.recipients}")
    if isinstance(error, smtplib.SMTPResponseException):
        kind = Permanent if error.smtp_code >= 500 else Transient
        return kind(f"{error.smtp_code} {error.smtp_error!r}")
    if isinstance(error, (smtplib.SMTPException, ConnectionError, socket.timeout, OSError)):
        return Transient(f"{type(error).__name__}: {error}")
    status = getattr(error, "status_code", None)  # anymail's provider errors
    if isinstance(status, int):
        return (Permanent if 400 <= status < 500 else Transient)(f"provider said {status}: {error}")
    if type(error).__module__.startswith("anymail"):
        return Permanent(f"{type(error).__name__}: {error}")
    return Transient(f"{type(error).__name__}: {error}")


def send(outgoing_id: int) -> str:
    """Send one row if it is due; returns its state afterwards."""
    outgoing = Outgoing.objects.filter(pk=outgoing_id, state=Outgoing.State.QUEUED).first()
    if outgoing is None:
        return "gone"
    # Claim it: a second worker holding the same job finds it no longer queued.
    claimed = Outgoing.objects.filter(
        pk=outgoing.pk, state=Outgoing.State.QUEUED, attempts=outgoing.attempts
    ).update(attempts=outgoing.attempts + 1)
    if not claimed:
        return "claimed elsewhere"
    outgoing.attempts += 1
    try:
        mailers.default.send_messages([email_of(outgoing)])
    except ValueError as caught:  # an address or header the email package refuses: always will
        return _failed(outgoing, Permanent(f"cannot be written as mail: {caught}"))
    except Exception as caught:  # noqa: BLE001 - every failure is classified and recorded
        return _failed(outgoing, classify(caught))
    outgoing.state = Outgoing.State.SENT
    outgoing.sent_at = timezone.now()
    outgoing.last_error = ""
    outgoing.save(update_fields=["state", "sent_at", "last_error"])
    _mark_message(outgoing, "sent", "")
    return outgoing.state


def _failed(outgoing: Outgoing, error: Exception) -> str:
    reason = str(error)[:2000]
    if isinstance(error, Transient) and outgoing.attempts < MAX_ATTEMPTS:
        wait = min(FIRST_RETRY * 2 ** (outgoing.attempts - 1), LONGEST_WAIT)
        outgoing.next_attempt_at = timezone.now() + wait
        outgoing.last_error = reason
        outgoing.save(update_fields=["next_attempt_at", "last_error"])
        _mark_message(outgoing, "retrying", reason)
        log.warning("outgoing %s: will retry in %s: %s", outgoing.pk, wait, reason)
        return "retrying"
    if isinstance(error, Transient):
        reason = f"gave up after {outgoing.attempts} attempts: {reason}"
    outgoing.state = Outgoing.State.FAILED
    outgoing.last_error = reason
    outgoing.save(update_fields=["state", "last_error"])
    _mark_message(outgoing, "failed", reason)
    if outgoing.conversation_id:
        timeline.append(
            outgoing.conversation_id,
            Event.Kind.DELIVERY_FAILED,
            to=outgoing.recipient,
            reason=reason,
        )
    log.error("outgoing %s failed: %s", outgoing.pk, reason)
    return outgoing.state


def _mark_message(outgoing: Outgoing, state: str, error: str) -> None:
    if outgoing.record_id is not None:
        Message.objects.filter(pk=outgoing.record_id).update(
            delivery_state=state, delivery_error=error
        )
