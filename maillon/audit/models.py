"""One table of what happened: who did what, where, to which object, with what details.

Written only through ``maillon.audit.record``, by the services, in the transaction of the change
they record. Rows are never updated, except by anonymisation (patron links dropped, see
``maillon.audit.forget_patrons``) and deleted only by the retention purge.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library


class ActorKind(models.TextChoices):
    STAFF = "staff", _("staff member")
    PATRON = "patron", _("patron")
    API_TOKEN = "api_token", _("API token")
    TERMINAL = "terminal", _("terminal")
    SYSTEM = "system", _("system")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor_kind = models.CharField(
        _("actor kind"), max_length=10, choices=ActorKind.choices, default=ActorKind.SYSTEM
    )
    # The staff account, also behind an API token or a terminal when there is one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    # The patron, API token or terminal that acted (by kind): ids, not keys, so that this lower
    # app depends on none of theirs and an entry outlives the row.
    actor_id = models.PositiveBigIntegerField(_("actor id"), null=True, blank=True)
    library = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("library"),
    )
    action = models.CharField(_("action"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=30)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    # The patron the action concerned (a loan's borrower…): dropped by anonymisation.
    patron_id = models.PositiveBigIntegerField(_("patron"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object"),
            models.Index(fields=["patron_id", "-at"], name="audit_patron"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
