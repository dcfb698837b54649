"""The core collection (fonds de base): the network's demand per title and month, summed by a
daily refresh, and the lists computed from it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Audience, DocType, Record


class MonthlyDemand(models.Model):
    """Loans and holds of a record in one month, network-wide: the summary the lists read
    instead of the loans (10 M a year at a département's scale)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    loans = models.PositiveIntegerField(default=0)
    holds = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "record"], name="core_demand_once")]

    def __str__(self) -> str:
        return f"{self.record_id} {self.month:%Y-%m}"


class DemandRefresh(models.Model):
    """Where the summary stands: loans and holds up to these ids are counted in it. One row,
    locked by each refresh (two at once would count twice)."""

    last_loan_id = models.BigIntegerField(default=0)
    last_hold_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.last_loan_id}/{self.last_hold_id}"


class CoreList(models.Model):
    """A core collection computed over a period: the most demanded titles per audience and
    kind."""

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    per_group = models.PositiveSmallIntegerField(_("titles per audience and kind"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("core collection")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class CoreTitle(models.Model):
    core_list = models.ForeignKey(CoreList, on_delete=models.CASCADE, related_name="titles")
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    doc_type = models.CharField(max_length=12, choices=DocType.choices)
    rank = models.PositiveSmallIntegerField()  # within its audience and kind, 1 first
    loans = models.PositiveIntegerField()
    holds = models.PositiveIntegerField()
    libraries = models.PositiveSmallIntegerField()  # holding a copy when computed

    class Meta:
        ordering = ["audience", "doc_type", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["core_list", "record"], name="core_title_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} #{self.rank}"
