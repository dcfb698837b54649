"""Inventory (récolement): a shelf section scanned, compared with what the catalogue says."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item
from maillon.network.models import Library


class Inventory(models.Model):
    """One section of one library's shelves: call numbers from … to …, optionally one
    shelving location. Open while scanning; closed once the missing items are settled."""

    class State(models.TextChoices):
        OPEN = "open", _("scanning")
        CLOSED = "closed", _("closed")

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="inventories", verbose_name=_("library")
    )
    name = models.CharField(_("section"), max_length=200)
    call_from = models.CharField(_("call numbers from"), max_length=100, blank=True)
    call_to = models.CharField(_("call numbers to"), max_length=100, blank=True)
    location = models.CharField(_("shelving location"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The ids of the library's items of the section, listed when it starts: the page shown
    # after each scan reads these (a few thousand) instead of the library's whole stock;
    # closing lists the section again.
    section_items = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """A barcode read at the shelf, in the order read (the order shows misfiled items)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="scans")
    barcode = models.CharField(_("barcode"), max_length=100)
    item = models.ForeignKey(Item, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["inventory", "barcode"], name="inventory_scan_once")
        ]

    def __str__(self) -> str:
        return self.barcode
