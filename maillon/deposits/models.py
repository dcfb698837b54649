"""The departmental library's deposits (dépôts): its documents lent to a library for a period,
exchanged at sessions (bibliobus visit, choice at the MD, shipment by the shuttle).

A deposited item stays the MD's (owner) and belongs to the library (home) while deposited: it
circulates there like the library's own; its owner tells MD stock from own stock everywhere
(``maillon.catalogue.models.md_stock``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Audience, Item, ItemType
from maillon.network.models import Library


class DepositLevel(models.Model):
    """How the MD classes a library (niveau 1, 2, 3, point lecture): its quotas follow."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), default=1, help_text=_("1 is the highest."))
    period_months = models.PositiveSmallIntegerField(
        _("deposit period (months)"),
        default=12,
        help_text=_("How long an item stays in a deposit before it is due back."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("deposit level")
        verbose_name_plural = _("deposit levels")
        ordering = ["rank", "code"]

    def __str__(self) -> str:
        return self.name


class DepositAllowance(models.Model):
    """At most `max_items` deposited items of this audience and medium (empty: any) for a
    library of this level; 0 means none at this level (DVDs for the upper levels only)."""

    level = models.ForeignKey(DepositLevel, on_delete=models.CASCADE, related_name="allowances")
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, blank=True)
    item_type = models.ForeignKey(
        ItemType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("medium")
    )
    max_items = models.PositiveIntegerField(_("at most"))
    strict = models.BooleanField(
        _("refuse beyond"),
        default=True,
        help_text=_("Beyond the quota an item is refused; otherwise the staff are warned."),
    )

    class Meta:
        verbose_name = _("deposit quota")
        verbose_name_plural = _("deposit quotas")
        ordering = ["level", "item_type__name", "audience"]

    def __str__(self) -> str:
        return f"{self.level.code} {self.label()} ≤ {self.max_items}"

    def label(self) -> str:
        parts = [str(self.item_type) if self.item_type_id else str(_("all media"))]
        if self.audience:
            parts.append(str(Audience(self.audience).label))
        return ", ".join(parts)

    def covers(self, audience: str, item_type_id: int) -> bool:
        return (not self.audience or self.audience == audience) and (
            self.item_type_id is None or self.item_type_id == item_type_id
        )


class Deposit(models.Model):
    """The MD's documents at one library. One open deposit per library."""

    md = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("departmental library")
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("library")
    )
    level = models.ForeignKey(DepositLevel, on_delete=models.PROTECT, verbose_name=_("level"))
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["library__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["library"],
                condition=Q(closed_on__isnull=True),
                name="deposit_one_open_per_library",
            )
        ]

    def __str__(self) -> str:
        return f"{self.md.code} → {self.library.code}"


class ExchangeSession(models.Model):
    """One exchange of a deposit: items chosen go out, items brought back come in."""

    class Kind(models.TextChoices):
        BIBLIOBUS = "bibliobus", _("bibliobus visit")
        ON_SITE = "on_site", _("choice at the departmental library")
        SHUTTLE = "shuttle", _("requests sent by the shuttle")

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="sessions")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("exchange session")
        verbose_name_plural = _("exchange sessions")
        ordering = ["-day", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["library", "day"], name="deposit_session_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.library.code} {self.day}"


class DepositEntry(models.Model):
    """An item in a deposit, from the session that lent it to the one that took it back.
    One open entry per item (a partial unique index backs the check made under its lock)."""

    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    lent_in = models.ForeignKey(ExchangeSession, on_delete=models.PROTECT, related_name="lent")
    lent_on = models.DateField(_("deposited on"))
    due_on = models.DateField(_("due back"))
    returned_in = models.ForeignKey(
        ExchangeSession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returned",
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        ordering = ["lent_on", "pk"]
        indexes = [models.Index(fields=["deposit", "returned_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=Q(returned_on__isnull=True),
                name="deposit_item_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deposit_id}:{self.item_id}"


class DepositRequest(models.Model):
    """A library asks the MD for a title or a theme between sessions; the MD answers by the
    shuttle."""

    class State(models.TextChoices):
        OPEN = "open", _("to answer")
        SENT = "sent", _("sent by the shuttle")
        DECLINED = "declined", _("declined")

    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="requests")
    text = models.CharField(_("what is asked"), max_length=300)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    session = models.ForeignKey(
        ExchangeSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    # The items the MD sent in answer (on deposit at this library when answered).
    items = models.ManyToManyField(
        "catalogue.Item", blank=True, related_name="+", verbose_name=_("items sent")
    )

    class Meta:
        verbose_name = _("deposit request")
        verbose_name_plural = _("deposit requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.text
