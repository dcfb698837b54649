"""API tokens: a self-check machine or a portal acts as the staff account that owns its token.

Only the SHA-256 of a key is stored; the key itself is shown once, when it is issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.audit.models import ActorKind
from maillon.audit.services import Actor

# Writing last_used on every request would cost a write per call; once a minute is enough.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("What uses it, e.g. “self-check AAA”.")
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key start"),
        max_length=8,
        editable=False,
        help_text=_("The key's first characters, to tell tokens apart."),
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple[ApiToken, str]:
        """A new token for `user`, and its key (never stored, shown once)."""
        key = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[:8])
        return token, key

    @classmethod
    def user_for(cls, key: str):
        """The active owner of this key, or None; notes when the token was used."""
        if not key:
            return None
        token = cls.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_PRECISION:
            cls.objects.filter(pk=token.pk).update(last_used=now)
        # The audit log names the token beside its owner (see maillon.audit.services.actor_of).
        token.user.audit_actor = Actor(  # type: ignore[attr-defined]
            ActorKind.API_TOKEN, user_id=token.user_id, actor_id=token.pk
        )
        return token.user


class IdempotentRequest(models.Model):
    """A POST made with an `Idempotency-Key`, and the answer it got: the same request sent again
    (a kiosk or a portal retrying after a timeout) gets this answer instead of acting twice."""

    caller = models.CharField(max_length=40)  # "user:12": keys are per account
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path and body
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return self.key
