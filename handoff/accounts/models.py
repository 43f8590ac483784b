from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FOUNDER = "founder", _("Founder")
    HEAD = "head", _("Head of customer happiness")
    AGENT = "agent", _("Agent")
    ADMIN = "admin", _("Administrator")


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # Logins are stored in lower case; a phone's capital first letter must still sign in.
        return self.get(email=(username or "").strip().lower())

    async def aget_by_natural_key(self, username: str | None) -> User:
        return await self.aget(email=(username or "").strip().lower())

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    # The person's own language and time zone (blank: the desk's); dates, the cockpit and
    # the mail the desk writes to them use them.
    language = models.CharField(_("language"), max_length=8, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # Added under each reply the person sends ("-- " line first, as mail clients do).
    signature = models.TextField(_("signature"), blank=True, max_length=2000)
    # Also by email when someone gives them a conversation (always shown in the desk).
    mail_when_assigned = models.BooleanField(
        _("mail me when I am given a conversation"), default=False
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def sees_founder_lane(self) -> bool:
        return self.role in {Role.FOUNDER, Role.HEAD, Role.ADMIN}


class LoginAttempt(models.Model):
    """One password tried and not (yet) known to be right, for login throttling.

    Rows rather than a cache counter: the default cache is per process, and each gunicorn
    worker would count on its own. ``key`` is a keyed hash of the email typed or of the
    client address: people type their password in the email field, and it is not kept.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    scope = models.CharField(max_length=8, choices=Scope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="login_attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]} {self.at:%Y-%m-%d %H:%M:%S}"
