"""Login throttling: so many failed passwords per account (the email typed, whether or not
it has a login) and per client address in a sliding window, then every attempt is refused,
the right password included, until the oldest failure leaves the window.

An attempt is written down before its password is checked, and let through only if the
count, itself included, is within the limit: concurrent guesses cannot all pass the check
before any of them is counted. A refused attempt is not kept (it checked nothing, and must
not lengthen the wait); a successful one clears the account's failures, not the address's
(else one valid login would reset an address that guesses at others).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from handoff.accounts.models import LoginAttempt

WINDOW = timedelta(minutes=15)
LIMITS = {LoginAttempt.Scope.ACCOUNT: 5, LoginAttempt.Scope.ADDRESS: 20}


@dataclass(frozen=True)
class Attempt:
    """An attempt let through: its rows, to clear or keep once the password is checked."""

    account_key: str
    row_ids: tuple[int, ...]


@dataclass(frozen=True)
class Refused:
    retry_at: datetime

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds() / 60))

    @property
    def message(self) -> str:
        """The words a refused person reads (the same whether or not the account exists)."""
        minutes = self.minutes
        return ngettext(
            "Too many attempts. Try again in %(minutes)d minute.",
            "Too many attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}

    @property
    def seconds(self) -> int:
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


def _key(scope: str, value: str) -> str:
    return salted_hmac(f"handoff.accounts.throttle.{scope}", value, algorithm="sha256").hexdigest()


def account_key(email: str, step: str = "") -> str:
    """The account's key for one step of signing in: the password (``step`` empty) or the
    two-factor code (``"code"``). Each step counts its own failures, so the right password
    does not wipe the wrong codes typed after it (else each login would buy five guesses)."""
    value = email.strip().lower()
    return _key(LoginAttempt.Scope.ACCOUNT, f"{step}:{value}" if step else value)


def begin(email: str, address: str, step: str = "") -> Attempt | Refused:
    """Count an attempt for ``email`` (at ``step``, see ``account_key``) from ``address``,
    or refuse it."""
    now = timezone.now()
    LoginAttempt.objects.filter(at__lte=now - WINDOW).delete()
    keys = {LoginAttempt.Scope.ADDRESS: _key(LoginAttempt.Scope.ADDRESS, address)}
    if email.strip():
        keys[LoginAttempt.Scope.ACCOUNT] = account_key(email, step)
    rows = LoginAttempt.objects.bulk_create(
        LoginAttempt(scope=scope, key=key, at=now) for scope, key in keys.items()
    )
    row_ids = tuple(row.pk for row in rows)
    waits = [at for scope, key in keys.items() if (at := _retry_at(scope, key, LIMITS[scope], now))]
    if waits:
        LoginAttempt.objects.filter(pk__in=row_ids).delete()
        return Refused(max(waits))
    return Attempt(keys.get(LoginAttempt.Scope.ACCOUNT, ""), row_ids)


def succeeded(attempt: Attempt) -> None:
    LoginAttempt.objects.filter(pk__in=attempt.row_ids).delete()
    if attempt.account_key:
        clear(attempt.account_key)


def clear(key: str) -> None:
    """Forget an account's failures (``account_key(email)``)."""
    LoginAttempt.objects.filter(scope=LoginAttempt.Scope.ACCOUNT, key=key).delete()


def _retry_at(scope: str, key: str, limit: int, now: datetime) -> datetime | None:
    """When the count within the window (this attempt included) is over the limit: the
    moment enough earlier failures have left it for one more attempt."""
    times = list(
        LoginAttempt.objects.filter(scope=scope, key=key, at__gt=now - WINDOW)
        .order_by("at")
        .values_list("at", flat=True)
    )
    if len(times) <= limit:
        return None
    # Without this attempt there are len - 1; one more is allowed once len - limit have gone.
    return times[len(times) - 1 - limit] + WINDOW
