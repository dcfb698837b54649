"""Lots (caisses): named sets of items that travel together between the network's libraries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item
from maillon.network.models import Library


class Lot(models.Model):
    """A crate of documents. It stands at its station (the library whose shelves its items
    belong to now) or travels to its destination; its items keep their owner."""

    class State(models.TextChoices):
        AT_STATION = "station", _("at its library")
        IN_TRANSIT = "transit", _("in transit")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    station = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="lots", verbose_name=_("library")
    )
    destination = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_lots",
        verbose_name=_("destination"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.AT_STATION)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LotItem(models.Model):
    """An item in a lot. One row per item at most: an item is in one lot at a time."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["item"], name="lot_item_once")]

    def __str__(self) -> str:
        return f"{self.lot_id}:{self.item_id}"
