"""Circulation: the rules as data, loans, holds and transfers between libraries.

Rows here are only written by the services of this package (invariant 4). What a row implies
about its item is kept true by them (invariant 1):

* an open loan (``returned_at`` empty) ⇔ the item is ``on_loan``;
* an active transfer (neither received nor cancelled) ⇔ the item is ``in_transit``;
* a hold ``ready`` whose ``target`` is the item ⇔ the item is ``on_hold_shelf``.

The partial unique indexes below are the database's own guard for the first two and for "one
captured item serves one hold"; they work on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item, ItemType, Record
from maillon.core.prepared import Prepared
from maillon.network.models import Library
from maillon.patrons.models import Patron, PatronCategory

# How much each criterion a rule sets weighs when rules compete: the library outweighs the
# patron category, which outweighs the item type. A rule for (library, any, any) therefore beats
# (any, category, item type): the library's own policy comes before network-wide defaults.
LIBRARY_WEIGHT, CATEGORY_WEIGHT, ITEM_TYPE_WEIGHT = 4, 2, 1
RULE_SCOPE_TAKEN = _(
    "A rule already exists for this library, patron category and item type: "
    "change that one instead."
)


class LoanRule(models.Model):
    """(library or any) × (patron category or any) × (item type or any) → loan conditions."""

    library = models.ForeignKey(
        Library,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loan_rules",
        verbose_name=_("library"),
        help_text=_("Empty: every library."),
    )
    patron_category = models.ForeignKey(
        PatronCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loan_rules",
        verbose_name=_("patron category"),
        help_text=_("Empty: every category."),
    )
    item_type = models.ForeignKey(
        ItemType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="loan_rules",
        verbose_name=_("item type"),
        help_text=_("Empty: every item type."),
    )
    loan_days = models.PositiveSmallIntegerField(
        _("loan length (days)"), default=21, validators=[MinValueValidator(1)]
    )
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    max_loans = models.PositiveSmallIntegerField(
        _("maximum loans"),
        null=True,
        blank=True,
        help_text=_(
            "Per patron at a library, for the item type of this rule (or all types). "
            "Empty: no limit beyond the network's."
        ),
    )
    holds_allowed = models.BooleanField(_("holds allowed"), default=True)
    hold_shelf_days = models.PositiveSmallIntegerField(
        _("days on the hold shelf"), default=10, validators=[MinValueValidator(1)]
    )
    may_travel = models.BooleanField(
        _("may travel for holds"),
        default=True,
        help_text=_(
            "Unticked: the shuttle does not carry these items to fill holds "
            "(e.g. new titles); they can be held for pickup at their home library."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("loan rule")
        verbose_name_plural = _("loan rules")
        constraints = [
            # NULL means "any": two rules for the same three criteria would make the choice
            # arbitrary, so NULLs count as equal here (Coalesce; no NULLS NOT DISTINCT on SQLite).
            models.UniqueConstraint(
                Coalesce("library", models.Value(0)),
                Coalesce("patron_category", models.Value(0)),
                Coalesce("item_type", models.Value(0)),
                name="one_loan_rule_per_scope",
                violation_error_message=RULE_SCOPE_TAKEN,
            ),
            models.CheckConstraint(
                condition=models.Q(loan_days__gte=1), name="loan_rule_positive_days"
            ),
            models.CheckConstraint(
                condition=models.Q(hold_shelf_days__gte=1), name="loan_rule_positive_shelf_days"
            ),
        ]

    def __str__(self) -> str:
        return " · ".join(self.scope_labels())

    def scope_labels(self) -> list[str]:
        return [
            self.library.name if self.library else str(_("any library")),
            self.patron_category.name if self.patron_category else str(_("any category")),
            self.item_type.name if self.item_type else str(_("any item type")),
        ]

    @property
    def specificity(self) -> int:
        return (
            LIBRARY_WEIGHT * (self.library_id is not None)
            + CATEGORY_WEIGHT * (self.patron_category_id is not None)
            + ITEM_TYPE_WEIGHT * (self.item_type_id is not None)
        )

    @property
    def is_default(self) -> bool:
        """The (any, any, any) rule: it always matches, so that every loan has a rule."""
        return self.specificity == 0

    def matches(
        self, library_id: int | None, category_id: int | None, item_type_id: int | None
    ) -> bool:
        return (
            (self.library_id is None or self.library_id == library_id)
            and (self.patron_category_id is None or self.patron_category_id == category_id)
            and (self.item_type_id is None or self.item_type_id == item_type_id)
        )


class NetworkPolicy(models.Model):
    """The network's circulation settings: a single row (pk 1), edited by the coordinator."""

    max_loans_per_library = models.PositiveSmallIntegerField(
        _("maximum loans per library"),
        null=True,
        blank=True,
        default=10,
        help_text=_("Open loans a patron may have from one library. Empty: no limit."),
    )
    max_loans_network = models.PositiveSmallIntegerField(
        _("maximum loans in the network"),
        null=True,
        blank=True,
        default=20,
        help_text=_("Open loans a patron may have in the whole network. Empty: no limit."),
    )
    collective_exempt = models.BooleanField(
        _("collective borrowers exempt from these limits"),
        default=True,
        help_text=_("Schools and care homes borrow by the crate: only the rules' limits apply."),
    )
    anonymise_after_days = models.PositiveSmallIntegerField(
        _("anonymise loan history after (days)"),
        default=30,
        help_text=_(
            "Days after the return (or the end of a hold) before the patron link is "
            "removed, unless the patron chose to keep their history."
        ),
    )
    due_soon_days = models.PositiveSmallIntegerField(
        _("“due soon” notice (days before)"), default=3
    )

    class Meta:
        verbose_name = _("network circulation policy")
        verbose_name_plural = _("network circulation policy")

    def __str__(self) -> str:
        return str(_("network circulation policy"))

    @classmethod
    def current(cls) -> NetworkPolicy:
        # Read at every checkout: compiled once (see maillon.core.prepared); created once.
        policy = _CURRENT_POLICY.first()
        if policy is None:
            policy, _created = cls.objects.get_or_create(pk=1)
        return policy


_CURRENT_POLICY = Prepared(lambda: NetworkPolicy.objects.filter(pk=1))


class Loan(models.Model):
    """A loan; once anonymised, the patron link is gone but the statistics fields stay."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="loans", verbose_name=_("item")
    )
    patron = models.ForeignKey(
        Patron,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name=_("patron"),
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="loans", verbose_name=_("library")
    )
    checked_out_at = models.DateTimeField(_("checked out at"), default=timezone.now)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    loan_days = models.PositiveSmallIntegerField(_("loan length (days)"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    last_renewed_at = models.DateTimeField(_("last renewed"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned at library"),
    )
    override_reason = models.TextField(_("override reason"), blank=True)
    override_codes = models.JSONField(default=list, blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Statistics, copied at checkout so that they survive anonymisation and later edits.
    patron_category_code = models.CharField(max_length=20, blank=True)
    patron_age_band = models.CharField(max_length=10, blank=True)
    patron_home_library = models.ForeignKey(
        Library, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item_type_code = models.CharField(max_length=20, blank=True)
    medium = models.CharField(max_length=12, blank=True)  # the record's document type
    audience = models.CharField(max_length=10, blank=True)  # the item's
    md_stock = models.BooleanField(default=False)  # owned by the departmental library
    patron_commune = models.CharField(max_length=120, blank=True)
    # A pseudonym of the patron for the loan's year (see loans.statistics_key): active borrowers
    # are counted once per library and once in the network, even after anonymisation.
    patron_key = models.CharField(max_length=16, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-checked_out_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(returned_at__isnull=True),
                name="one_open_loan_per_item",
            ),
        ]
        indexes = [
            models.Index(fields=["patron", "returned_at"], name="loan_patron_returned"),
            models.Index(
                fields=["due_on"],
                condition=models.Q(returned_at__isnull=True),
                name="open_loan_due_on",
            ),
            models.Index(fields=["returned_at"], name="loan_returned_at"),
            models.Index(fields=["checked_out_at", "library"], name="loan_checked_out"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.patron_id} ({self.due_on})"

    @property
    def is_open(self) -> bool:
        return self.returned_at is None


class HoldStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    IN_TRANSIT = "in_transit", _("in transit")
    READY = "ready", _("ready for pickup")
    FULFILLED = "fulfilled", _("fulfilled")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")


ACTIVE_HOLD_STATUSES = (
    HoldStatus.WAITING,
    HoldStatus.IN_TRANSIT,
    HoldStatus.READY,
    HoldStatus.SUSPENDED,
)
CLOSED_HOLD_STATUSES = (HoldStatus.FULFILLED, HoldStatus.CANCELLED, HoldStatus.EXPIRED)


class Hold(models.Model):
    """A patron's request for a record (any copy) or for one item, picked up where they chose.

    ``target`` is the copy chosen to satisfy it: for a waiting hold, the available copy a library
    should pull off its shelf (advisory: check-in decides); for a hold in transit or ready, the
    copy travelling to it or waiting on the hold shelf (authoritative).
    """

    record = models.ForeignKey(
        Record, on_delete=models.PROTECT, related_name="holds", verbose_name=_("record")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="item_holds",
        verbose_name=_("specific item"),
    )
    patron = models.ForeignKey(
        Patron,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holds",
        verbose_name=_("patron"),
    )
    pickup_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="holds", verbose_name=_("pickup library")
    )
    created_at = models.DateTimeField(_("placed at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=HoldStatus.choices, default=HoldStatus.WAITING
    )
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    target = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="targeted_by_holds",
        verbose_name=_("chosen copy"),
    )
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    ready_until = models.DateField(_("waits until"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    patron_category_code = models.CharField(max_length=20, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(status__in=[HoldStatus.IN_TRANSIT, HoldStatus.READY]),
                name="one_hold_per_captured_item",
            ),
        ]
        indexes = [
            models.Index(fields=["record", "status", "created_at"], name="hold_record_queue"),
            models.Index(fields=["patron", "status"], name="hold_patron_status"),
            models.Index(fields=["pickup_library", "status"], name="hold_pickup_status"),
            # The statistics read the holds collected in a period (the days not summed up yet).
            models.Index(fields=["closed_at"], name="hold_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.patron_id} @ {self.pickup_library_id} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_HOLD_STATUSES


class TransferReason(models.TextChoices):
    HOLD = "hold", _("for a hold")
    RETURN_HOME = "return_home", _("going home")
    MANUAL = "manual", _("sent by hand")
    CLAIM = "claim", _("claimed from the offered items")
    WORKSHOP = "workshop", _("for the workshop")


class Transfer(models.Model):
    """An item travelling between two libraries by the shuttle."""

    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("item")
    )
    from_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    reason = models.CharField(_("reason"), max_length=12, choices=TransferReason.choices)
    hold = models.ForeignKey(
        Hold,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("hold"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received at library"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"],
                condition=models.Q(received_at__isnull=True, cancelled_at__isnull=True),
                name="one_active_transfer_per_item",
            ),
            models.CheckConstraint(
                condition=~models.Q(from_library=models.F("to_library")),
                name="transfer_between_two_libraries",
            ),
        ]
        indexes = [
            models.Index(
                fields=["from_library", "sent_at"],
                condition=models.Q(received_at__isnull=True, cancelled_at__isnull=True),
                name="transfer_to_send",
            ),
            models.Index(
                fields=["to_library"],
                condition=models.Q(received_at__isnull=True, cancelled_at__isnull=True),
                name="transfer_expected",
            ),
            # The statistics read the documents sent in a period (the days not summed up yet).
            models.Index(fields=["sent_at"], name="transfer_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_library_id} → {self.to_library_id}"

    @property
    def is_active(self) -> bool:
        return self.received_at is None and self.cancelled_at is None


class Capacity(models.Model):
    """How much a library (or one shelving location of it) holds at most, as data: items whose
    home it is, and copies of one record. Floating check-ins, lots and circulation plans keep
    to it (``circulation.capacity``); empty: no cap."""

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="capacities", verbose_name=_("library")
    )
    location = models.CharField(
        _("shelving location"),
        max_length=100,
        blank=True,
        help_text=_("Empty: the whole library."),
    )
    max_items = models.PositiveIntegerField(_("most items"), null=True, blank=True)
    max_copies = models.PositiveSmallIntegerField(
        _("most copies of one title"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("capacity")
        verbose_name_plural = _("capacities")
        ordering = ["library__name", "location"]
        constraints = [
            models.UniqueConstraint(fields=["library", "location"], name="capacity_once")
        ]

    def __str__(self) -> str:
        return f"{self.library_id}:{self.location or '*'}"


from maillon.circulation.notice_models import NoticeKind, NoticeLog  # noqa: E402, F401
