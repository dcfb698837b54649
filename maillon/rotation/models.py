"""Circulation plans (plans de circulation) and their exchange grids (grilles d'échange)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item
from maillon.lots.models import Lot
from maillon.network.models import Library


class Plan(models.Model):
    """Lots going round libraries on a schedule; the grid says who holds what after each date."""

    class Kind(models.TextChoices):
        CONTINUOUS = "continuous", _("continuous")
        ONCE_HOME = "once_home", _("once round, then home")
        ONCE_STAY = "once_stay", _("once round, then stay")

    class Unit(models.TextChoices):
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.CONTINUOUS)
    every = models.PositiveSmallIntegerField(_("every"), default=3)
    unit = models.CharField(_("unit"), max_length=6, choices=Unit, default=Unit.MONTHS)
    start = models.DateField(_("first exchange"))
    exchanges = models.PositiveSmallIntegerField(_("number of exchanges"), null=True, blank=True)
    end = models.DateField(_("last exchange no later than"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    generated_at = models.DateTimeField(_("grid generated"), null=True, blank=True)
    # What the generator told (dates moved, rules it had to break), as grid.Issue fields.
    notes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("circulation plan")
        verbose_name_plural = _("circulation plans")
        ordering = ["-start", "name"]

    def __str__(self) -> str:
        return self.name


class PlanLibrary(models.Model):
    """A library taking part, at its place in the ring, with its constraints."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="members")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    youth = models.BooleanField(_("youth section"), default=True)
    max_lots = models.PositiveSmallIntegerField(_("most lots per exchange"), null=True, blank=True)
    skips = models.JSONField(_("exchanges skipped"), default=list, blank=True)  # numbers from 1

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "library"], name="rotation_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.library_id}"


class PlanLot(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    youth_only = models.BooleanField(_("youth sections only"), default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "lot"], name="rotation_lot_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.lot_id}"


class Exchange(models.Model):
    """An exchange date of the plan (number 1, 2…) and whether it has been run."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="dates")
    number = models.PositiveSmallIntegerField()
    planned = models.DateField(_("planned date"))
    run_at = models.DateTimeField(null=True, blank=True)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="rotation_exchange_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.number}"


class Cell(models.Model):
    """Where a lot stands after exchange `number` (0: before the first), and, when it moved
    then, where from and on which days (leaves the sender, reaches the library)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cells")
    number = models.PositiveSmallIntegerField()
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    from_library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(null=True, blank=True)
    arrival = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number", "library_id", "lot_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number", "lot"], name="rotation_cell_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.number}:{self.lot_id}@{self.library_id}"


class ShuttleStop(models.Model):
    """The shuttle's stop order: its run sheets list libraries in this order (the others after,
    by name)."""

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}:{self.library_id}"


class ShuttleLimit(models.Model):
    """How much one shuttle run carries before the coordinator is warned (one row)."""

    max_items = models.PositiveIntegerField(_("most items per run"), default=300)
    max_crates = models.PositiveSmallIntegerField(_("most crates per run"), default=12)

    class Meta:
        verbose_name = _("shuttle limit")

    def __str__(self) -> str:
        return f"{self.max_items}/{self.max_crates}"

    @classmethod
    def current(cls) -> "ShuttleLimit":
        return cls.objects.order_by("pk").first() or cls(max_items=300, max_crates=12)


class Rota(models.Model):
    """Single items that move between libraries on a schedule (stock rotation): stages
    (library, days) in order; each item moves on when its days at a stage are done."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cyclical = models.BooleanField(
        _("starts over after the last stage"),
        default=True,
        help_text=_("Otherwise the items stay at the last stage."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rota")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RotaStage(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()  # 1 first
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        ordering = ["rota", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "position"], name="rota_stage_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.library_id} ({self.days})"


class RotaItem(models.Model):
    """An item on a rota (one rota at most): the stage it is at since a day, or none yet (it
    goes to the first stage at the next daily run)."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="entries")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="rota_entry")
    stage = models.ForeignKey(RotaStage, null=True, on_delete=models.SET_NULL, related_name="+")
    since = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rota", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} @ {self.stage_id}"


class KindLoans(models.Model):
    """Loans made at a library on one day, per item type (the item's when the loans are
    summed): what the proposals from usage read instead of the loans (maillon.rotation.kinds,
    refreshed daily)."""

    day = models.DateField()  # local
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="+")
    item_type = models.ForeignKey("catalogue.ItemType", on_delete=models.CASCADE, related_name="+")
    loans = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "library", "item_type"], name="rotation_kind_loans_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.library_id} {self.item_type_id}: {self.loans}"


class KindLoansRefresh(models.Model):
    """Where the summary stands: the loans up to this id are counted in it. One row, locked by
    each refresh (two at once would count twice)."""

    last_loan_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return str(self.last_loan_id)
