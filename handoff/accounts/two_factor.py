"""Two-factor sign-in: a time-based code (TOTP) from an app on the person's phone, kept by
django-otp. A person has at most one device; only a confirmed one (a code typed back from
the app once) asks for codes at login. The device's key is the only secret: it lives in
django-otp's table, is shown once while enrolling, and is never logged."""

from __future__ import annotations

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from handoff.accounts.models import Role, User

# Who must have a device when HANDOFF_REQUIRE_2FA is on: the founder's business and the
# keys of the whole desk.
REQUIRED_ROLES = {Role.FOUNDER, Role.ADMIN}
DIGITS = 6
_SPACES = re.compile(r"[\s-]+")


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_device(user: User) -> TOTPDevice | None:
    """The device being enrolled: shown as a QR code until a code from it is typed back."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def required(user: User) -> bool:
    """Whether the operator's HANDOFF_REQUIRE_2FA asks ``user`` to have a device."""
    return bool(settings.REQUIRE_2FA) and user.role in REQUIRED_ROLES


def start(user: User) -> TOTPDevice:
    """A fresh unconfirmed device (a new key) in place of any earlier unconfirmed one; a
    confirmed device is left alone until this one is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Handoff", confirmed=False)


def clean_code(typed: str) -> str | None:
    """The code as digits (apps show "123 456"), or None when it is not six digits."""
    code = _SPACES.sub("", typed)
    return code if len(code) == DIGITS and code.isascii() and code.isdigit() else None


def confirm(request: HttpRequest, user: User, code: str) -> bool:
    """Confirm the pending device with a code from it: it replaces any earlier device, and
    this session counts as verified by it. False when the code is wrong (or none pending)."""
    device = pending_device(user)
    if device is None or not device.verify_token(code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def check(user: User, code: str) -> TOTPDevice | None:
    """The confirmed device when ``code`` is its current one (a code is good once)."""
    device = confirmed_device(user)
    if device is not None and device.verify_token(code):
        return device
    return None


def turn_off(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for an app without a camera."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (drawn here: the key goes nowhere)."""
    qr = segno.make(device.config_url, error="m")
    return qr.svg_inline(scale=4, dark="#000", light="#fff")
