"""What a desk recorded while the server could not be reached, and what became of it.

One row per operation (a checkout or a check-in) from the offline desk page, or per line of an
imported Koha (.koc) or PMB ("prêt secouru") file. `desk` and `seq` name it: the desk page's
own id and counter, or the file's digest and line number. The unique constraint on the pair
is what makes a replay change nothing. An operation the circulation services refused is kept
as a conflict until a librarian applies it (with an override) or dismisses it with a reason:
never dropped.

Card numbers stay here until the operation is settled; the review list shows them only to staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.circulation.models import Loan
from maillon.network.models import Library


class Source(models.TextChoices):
    DESK = "desk", _("offline desk")
    KOHA = "koc", _("Koha file (.koc)")
    PMB = "pmb", _("PMB file (prêt secouru)")


class Kind(models.TextChoices):
    CHECKOUT = "checkout", _("checkout")
    CHECKIN = "checkin", _("check-in")
    UNREADABLE = "unreadable", _("unreadable line")


class Status(models.TextChoices):
    APPLIED = "applied", _("applied")
    CONFLICT = "conflict", _("to review")
    RESOLVED = "resolved", _("applied after review")
    DISMISSED = "dismissed", _("dismissed")


class OfflineFile(models.Model):
    """An imported file; the same content imported again is recognised by its digest."""

    source = models.CharField(_("format"), max_length=10, choices=Source.choices)
    name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    lines = models.PositiveIntegerField(_("operations"), default=0)

    class Meta:
        verbose_name = _("offline circulation file")
        verbose_name_plural = _("offline circulation files")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class OfflineOperation(models.Model):
    desk = models.CharField(_("desk"), max_length=80)
    seq = models.PositiveIntegerField(_("sequence number"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    kind = models.CharField(_("operation"), max_length=12, choices=Kind.choices)
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    card = models.CharField(_("card"), max_length=40, blank=True)
    barcode = models.CharField(_("barcode"), max_length=40, blank=True)
    # Empty for PMB files, which carry no time: the operation counts from its import.
    happened_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    file = models.ForeignKey(
        OfflineFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operations",
        verbose_name=_("file"),
    )
    line = models.TextField(_("line as read"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    code = models.CharField(_("refusal code"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    loan = models.ForeignKey(
        Loan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    resolution = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("offline operation")
        verbose_name_plural = _("offline operations")
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "seq"], name="offline_one_operation_per_seq")
        ]
        indexes = [models.Index(fields=["library", "status"], name="offline_library_status")]

    def __str__(self) -> str:
        return f"{self.desk} #{self.seq}"
