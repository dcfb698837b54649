"""Animation resources (outils d'animation) lent by the MD or a member library, the rules their
loans follow, and the bookings libraries make of them."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext_lazy as _

from maillon.network.models import WEEKDAYS, Library

MONTHS = list(MONTH_NAMES.items())


class ResourceKind(models.Model):
    """Exhibition, thematic kit, kamishibaï… a data table: the network adds its own kinds."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("resource kind")
        verbose_name_plural = _("resource kinds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def new_barcode() -> str:
    """A barcode for a new resource: « OA » and 8 random digits (the scan page reads it; the
    unique constraint refuses the rare repeat)."""
    return f"OA{secrets.randbelow(10**8):08d}"


class Resource(models.Model):
    class State(models.TextChoices):
        GOOD = "good", _("good condition")
        WORN = "worn", _("worn")
        DAMAGED = "damaged", _("damaged")
        REPAIR = "repair", _("under repair")

    kind = models.ForeignKey(
        ResourceKind, on_delete=models.PROTECT, related_name="resources", verbose_name=_("kind")
    )
    title = models.CharField(_("title"), max_length=200)
    barcode = models.CharField(_("barcode"), max_length=32, unique=True, default=new_barcode)
    description = models.TextField(_("description"), blank=True)
    contents = models.TextField(
        _("contents"), blank=True, help_text=_("One element per line (panels, books, puppets…).")
    )
    audience = models.CharField(_("audience"), max_length=100, blank=True)
    space_needed = models.CharField(_("space needed"), max_length=200, blank=True)
    insurance_value = models.DecimalField(
        _("insurance value (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    crates = models.PositiveSmallIntegerField(_("crates"), default=1)
    owner = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="resources", verbose_name=_("owner")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.GOOD)
    bookable = models.BooleanField(_("bookable"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def contents_list(self) -> list[str]:
        return [line.strip() for line in self.contents.splitlines() if line.strip()]


class ResourcePhoto(models.Model):
    """A photo of a resource (its panels set up, the kit's contents), checked to be an image
    when added (see services.add_photo); shown on its page in `position` order."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="photos", verbose_name=_("resource")
    )
    image = models.FileField(_("photo"), upload_to="bookings/photos/%Y/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource photo")
        verbose_name_plural = _("resource photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or f"{self.resource} #{self.pk}"


class DocumentKind(models.Model):
    """Convention, insurance certificate…: a data table of the documents rules may require."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LibraryDocument(models.Model):
    """A document a library has on file (a signed convention, its insurance certificate), valid
    from one day to another."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="booking_documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, verbose_name=_("document"))
    file = models.FileField(_("file"), upload_to="bookings/documents/%Y/")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    uploaded_at = models.DateTimeField(_("added"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["kind__name", "-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="library_document_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.library} ({self.valid_from}–{self.valid_until})"


class Delivery(models.TextChoices):
    SHUTTLE = "shuttle", _("by the shuttle")
    COLLECTION = "collection", _("collected at the owner's")


class BookingRule(models.Model):
    """The loan rules of a kind of resource at an owner. Empty kind or owner: any. The most
    specific row applies (kind and owner, then kind, then owner, then the network default)."""

    kind = models.ForeignKey(
        ResourceKind,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        verbose_name=_("kind"),
    )
    owner = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_rules",
        verbose_name=_("owner"),
    )
    lead_days = models.PositiveSmallIntegerField(_("minimum lead time (days)"), default=15)
    min_days = models.PositiveSmallIntegerField(_("minimum duration (days)"), default=7)
    max_days = models.PositiveSmallIntegerField(_("maximum duration (days)"), default=90)
    buffer_days = models.PositiveSmallIntegerField(
        _("days kept after each loan for checking"), default=7
    )
    max_per_library = models.PositiveSmallIntegerField(
        _("bookings at once per library"), null=True, blank=True, default=10
    )
    max_per_library_kind = models.PositiveSmallIntegerField(
        _("bookings of this kind at once per library"), null=True, blank=True
    )
    approval_needed = models.BooleanField(_("owner's approval needed"), default=True)
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery, default=Delivery.SHUTTLE
    )
    # ISO weekdays (1 = Monday) the owner hands over and takes back what is collected.
    collection_days = models.JSONField(_("collection days"), default=list, blank=True)
    documents = models.ManyToManyField(
        DocumentKind, blank=True, related_name="rules", verbose_name=_("documents required")
    )
    renewal_days = models.PositiveSmallIntegerField(_("days added by a renewal"), default=0)
    renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=0)

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")
        ordering = ["kind__name", "owner__name", "pk"]
        constraints = [
            # One rule per scope; an empty kind or owner is a scope too, so NULLs count as
            # equal (Coalesce: SQLite has no NULLS NOT DISTINCT). Settles two editors' race.
            models.UniqueConstraint(
                Coalesce("kind", models.Value(0)),
                Coalesce("owner", models.Value(0)),
                name="one_booking_rule_per_scope",
                violation_error_message=_(
                    "A rule already exists for this kind and this owner: change that one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or '*'} / {self.owner or '*'}"

    def collection_day_names(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[day]) for day in sorted(self.collection_days or []) if day in names]


class SeasonalLimit(models.Model):
    """At most `max_per_library` bookings per library meeting the season (months `month_from`
    to `month_to`, across the new year when `month_from` is later) each year, of a kind and/or
    an owner (empty: any). E.g. one thematic kit per library in December."""

    kind = models.ForeignKey(
        ResourceKind, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("kind")
    )
    owner = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("owner")
    )
    month_from = models.PositiveSmallIntegerField(_("from month"), choices=MONTHS)
    month_to = models.PositiveSmallIntegerField(_("to month"), choices=MONTHS)
    max_per_library = models.PositiveSmallIntegerField(_("bookings per library"), default=1)

    class Meta:
        verbose_name = _("seasonal limit")
        verbose_name_plural = _("seasonal limits")
        ordering = ["month_from", "pk"]

    def __str__(self) -> str:
        return f"{self.kind or '*'} / {self.owner or '*'} {self.month_from}–{self.month_to}"

    def seasons(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
        """The occurrences of the season that start..end meets."""
        found = []
        for year in range(start.year - 1, end.year + 1):
            first = dt.date(year, self.month_from, 1)
            last_year = year + (self.month_to < self.month_from)
            last = dt.date(last_year + (self.month_to == 12), self.month_to % 12 + 1, 1)
            last -= dt.timedelta(days=1)
            if first <= end and last >= start:
                found.append((first, last))
        return found


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    DELIVERED = "delivered", _("delivered")
    RETURNED = "returned", _("returned")
    CHECKED = "checked", _("checked")
    CANCELLED = "cancelled", _("cancelled")


# Bookings that hold their resource's dates (and buffer); refused and cancelled ones free them,
# checked ones hold them only until the check (see Booking.blocked_until).
HOLDING = [
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.DELIVERED,
    BookingStatus.RETURNED,
    BookingStatus.CHECKED,
]
# Bookings that count in a library's quota: the resource is promised to it or at its place.
AT_LIBRARY = [BookingStatus.REQUESTED, BookingStatus.APPROVED, BookingStatus.DELIVERED]


class Booking(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("library")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    # Last day the resource is taken: the end plus the checking days, then the day it was
    # checked once it is. A resource delivered and not back yet is taken longer (taken_until).
    blocked_until = models.DateField(_("taken until"))
    buffer_days = models.PositiveSmallIntegerField(_("checking days"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus, default=BookingStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    damaged = models.BooleanField(_("damaged"), default=False)
    check_notes = models.TextField(_("check notes"), blank=True)
    renewed = models.PositiveSmallIntegerField(_("renewals"), default=0)
    # The last day both sides were told the resource is late (the daily work tells them weekly).
    overdue_notice_on = models.DateField(_("late notice sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["resource", "start"]),
            models.Index(fields=["library", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="booking_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} → {self.library} ({self.start}–{self.end})"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def buffer_start(self) -> dt.date:
        return self.end + dt.timedelta(days=1)

    def is_overdue(self, today: dt.date) -> bool:
        """Delivered, and its last day has passed: the resource should be back."""
        return self.status == BookingStatus.DELIVERED and self.end < today

    def taken_until(self, today: dt.date) -> dt.date:
        """The last day the resource is taken: a resource not back yet needs its checking days
        after it comes back, so it is taken at least until today plus those days."""
        if self.status == BookingStatus.DELIVERED:
            return max(self.blocked_until, today + dt.timedelta(days=self.buffer_days))
        return self.blocked_until


def taking(start: dt.date, today: dt.date) -> models.Q:
    """Bookings still taking their resource on `start` or later (with `taken_until`'s rule for
    the ones not back yet), as one condition the database evaluates."""
    return models.Q(blocked_until__gte=start) | models.Q(
        status=BookingStatus.DELIVERED, buffer_days__gte=(start - today).days
    )


class Waiting(models.Model):
    """A library waiting for dates of a resource that are taken: a cancellation or refusal that
    frees them tells the first in line."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        OFFERED = "offered", _("told the dates are free")
        WITHDRAWN = "withdrawn", _("withdrawn")

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="waiting", verbose_name=_("resource")
    )
    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="+", verbose_name=_("library")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.WAITING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    offered_at = models.DateTimeField(_("told"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting library")
        verbose_name_plural = _("waiting list")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resource", "status"])]

    def __str__(self) -> str:
        return f"{self.library} ← {self.resource} ({self.start}–{self.end})"


class SubLoan(models.Model):
    """The booking library lends the resource on to one of its partners (a school, an EHPAD)
    for part of the booking: recorded so that the owner and the library know where it is."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="subloans", verbose_name=_("booking")
    )
    partner = models.ForeignKey(
        "network.Partner",
        on_delete=models.PROTECT,
        related_name="resource_subloans",
        verbose_name=_("partner"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("loan to a partner")
        verbose_name_plural = _("loans to partners")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="subloan_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking.resource} → {self.partner} ({self.start}–{self.end})"
