"""The log of notices sent to patrons: what was sent, to whom, and never twice.

Imported at the end of models.py so that Django sees the model in the circulation app.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    HOLD_READY = "hold_ready", _("hold ready")
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")


class NoticeLog(models.Model):
    """One notice about one loan or one hold. The unique indexes are what keeps a notice from
    being sent twice, even by two runs at once."""

    patron = models.ForeignKey(
        "patrons.Patron",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("patron"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NoticeKind.choices)
    loan = models.ForeignKey(
        "circulation.Loan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("loan"),
    )
    hold = models.ForeignKey(
        "circulation.Hold",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("hold"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=250)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "kind"],
                condition=models.Q(loan__isnull=False),
                name="one_notice_per_loan_and_kind",
            ),
            models.UniqueConstraint(
                fields=["hold", "kind"],
                condition=models.Q(hold__isnull=False),
                name="one_notice_per_hold_and_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(loan__isnull=True) | models.Q(hold__isnull=True),
                name="notice_about_a_loan_or_a_hold",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.sent_at:%Y-%m-%d})"
