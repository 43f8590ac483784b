"""What is done to a login, whatever the door (the command line, the team file): one
function each, so a role and the admin rights that go with it never drift apart."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password

from handoff.accounts import throttle
from handoff.accounts.models import Role, User


def set_role(user: User, role: Role) -> None:
    """Give ``user`` a role (not saved): the admin role alone opens the Django admin."""
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN


def change_password(user: User, password: str) -> None:
    """Raises ValidationError when the password is too weak. The account's failed attempts
    are forgotten: they guessed at the old password."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    throttle.clear(throttle.account_key(user.email))


def set_active(user: User, active: bool) -> None:
    """A disabled login cannot sign in, and its open sessions stop working at once (Django's
    backend loads no inactive user); its conversations and history stay."""
    user.is_active = active
    user.save(update_fields=["is_active"])
