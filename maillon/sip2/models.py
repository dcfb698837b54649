"""SIP2 terminal accounts: a self-check machine logs in (message 93) with one of these.

The account acts through a staff user of its own (a volunteer at its library), so every
circulation service checks its rights as for a desk, and the audit log names the terminal.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.audit.models import ActorKind
from maillon.audit.services import Actor
from maillon.network.models import Library


class Terminal(models.Model):
    login = models.CharField(_("login"), max_length=60, unique=True)
    password_hash = models.CharField(max_length=200, editable=False)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="sip2_terminals", verbose_name=_("library")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sip2_terminal"
    )
    can_checkout = models.BooleanField(_("may lend"), default=True)
    can_checkin = models.BooleanField(_("may take returns"), default=True)
    can_renew = models.BooleanField(_("may renew"), default=True)
    fallback_encoding = models.CharField(
        _("fallback encoding"),
        max_length=20,
        default="cp1252",
        help_text=_("Used for a message that is not valid UTF-8."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True, editable=False)
    last_login_from = models.CharField(
        _("last login from"), max_length=60, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("SIP2 terminal")
        verbose_name_plural = _("SIP2 terminals")
        ordering = ["login"]

    def __str__(self) -> str:
        return self.login

    def set_password(self, password: str | None = None) -> str:
        """Store `password` (a new random one if not given) hashed; return it."""
        password = password or secrets.token_urlsafe(12)
        self.password_hash = make_password(password)
        return password

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password(password, self.password_hash)

    def actor(self):
        """The user the services see, carrying the terminal as the audit log's actor."""
        user = self.user
        user.audit_actor = Actor(  # type: ignore[attr-defined]
            ActorKind.TERMINAL, user_id=user.pk, actor_id=self.pk
        )
        return user
