"""The network's shared workshop (atelier d'équipement et de réparation): the library that is
the workshop, its queue of work orders, its batches, the label sheets it prints on."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item
from maillon.circulation.models import Transfer
from maillon.network.models import Library


class Workshop(models.Model):
    """The library that is the network's workshop (usually the head library)."""

    library = models.OneToOneField(
        Library, on_delete=models.PROTECT, related_name="workshop", verbose_name=_("library")
    )

    class Meta:
        verbose_name = _("workshop")

    def __str__(self) -> str:
        return self.library.name


class Task(models.TextChoices):
    COVER = "cover", _("cover")
    SPINE = "spine", _("spine label")
    RFID = "rfid", _("RFID tag")
    BARCODE = "barcode", _("barcode")
    MEND = "mend", _("mend")
    REBIND = "rebind", _("rebind")


class Batch(models.Model):
    """Items worked together ("train"): created, closed, sent home; received when every item
    has arrived."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        SENT = "sent", _("sent")

    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="batches")
    name = models.CharField(_("name"), max_length=100)
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("workshop batch")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class WorkOrder(models.Model):
    """One item's stay at the workshop: sent (a transfer), queued, worked in a batch, home."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("repair")
        EQUIP = "equip", _("equipping")

    class State(models.TextChoices):
        TRAVELLING = "travelling", _("on its way to the workshop")
        QUEUED = "queued", _("waiting at the workshop")
        IN_BATCH = "in_batch", _("in a batch")
        SENT = "sent", _("sent home")
        DONE = "done", _("back home")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    workshop = models.ForeignKey(Workshop, on_delete=models.PROTECT, related_name="orders")
    home = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("work"), max_length=8, choices=Kind)
    state = models.CharField(_("state"), max_length=10, choices=State)
    note = models.CharField(_("what is wrong"), max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    tasks = models.JSONField(_("done"), default=list, blank=True)  # Task codes
    minutes = models.PositiveIntegerField(_("minutes spent"), default=0)
    replace = models.BooleanField(
        _("replace rather than repair"),
        default=False,
        help_text=_("Still in print, indispensable, and cheaper to buy again than to repair."),
    )
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=~models.Q(state__in=["sent", "done"]),
                name="workshop_one_open_order_per_item",
            )
        ]
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} ({self.state})"


class LabelSheet(models.Model):
    """An A4 sheet of self-adhesive labels: its grid, in millimetres."""

    name = models.CharField(_("name"), max_length=100)
    columns = models.PositiveSmallIntegerField(
        _("columns"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    rows = models.PositiveSmallIntegerField(
        _("rows"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    label_width = models.DecimalField(_("label width (mm)"), max_digits=5, decimal_places=1)
    label_height = models.DecimalField(_("label height (mm)"), max_digits=5, decimal_places=1)
    top = models.DecimalField(_("top margin (mm)"), max_digits=5, decimal_places=1)
    left = models.DecimalField(_("left margin (mm)"), max_digits=5, decimal_places=1)
    column_gap = models.DecimalField(_("gap between columns (mm)"), max_digits=4, decimal_places=1)
    row_gap = models.DecimalField(_("gap between rows (mm)"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("label sheet")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
