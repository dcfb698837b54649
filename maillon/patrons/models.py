"""Patrons: one card for the whole network, their categories and their blocks."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillon.audit.models import ActorKind
from maillon.audit.services import Actor
from maillon.network.models import Library, Partner, code_validator
from maillon.patrons.folding import fold

# (lowest age, highest age or None, label) — the bands statistics are kept by.
AGE_BANDS: list[tuple[int, int | None, str]] = [
    (0, 5, "0-5"),
    (6, 11, "6-11"),
    (12, 17, "12-17"),
    (18, 24, "18-24"),
    (25, 39, "25-39"),
    (40, 59, "40-59"),
    (60, 74, "60-74"),
    (75, None, "75+"),
]
# A card expiring within this many days gets a warning at the desk.
EXPIRY_WARNING_DAYS = 30


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years; someone born on 29 February gets older on 1 March."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: dt.date | None, day: dt.date) -> str:
    if birth_date is None:
        return ""
    age = max(age_on(birth_date, day), 0)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return AGE_BANDS[-1][2]


def unusable_password() -> str:
    """A fresh unusable hash: no public account until a password is set on purpose."""
    return make_password(None)


class CategoryKind(models.TextChoices):
    ADULT = "adult", _("adult")
    CHILD = "child", _("child")
    COLLECTIVE = "collective", _("collective borrower")


class PatronCategory(models.Model):
    """A kind of registration (adult, child, school class…); circulation rules refer to it."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=CategoryKind.choices)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    registration_months = models.PositiveSmallIntegerField(
        _("registration length (months)"), default=12
    )
    fee_note = models.CharField(
        _("fee"),
        max_length=200,
        blank=True,
        help_text=_("For the desk, e.g. “free” or “10 € a year”."),
    )
    renew_overdue_online = models.BooleanField(
        _("may renew an overdue loan from their account"),
        default=False,
        help_text=_("Unticked: a late loan is renewed at the desk only (or returned)."),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("patron category")
        verbose_name_plural = _("patron categories")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="patron_category_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_months__gte=1),
                name="patron_category_positive_length",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.kind == CategoryKind.COLLECTIVE

    def accepts_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


class ReceiptChoice(models.TextChoices):
    """How the patron wants the ticket of their loans at the desk."""

    PRINTED = "printed", pgettext_lazy("loan ticket", "printed")
    EMAIL = "email", _("by e-mail")
    NONE = "none", _("no ticket")


class Patron(models.Model):
    """The holder of the network's single card; a collective borrower is one too."""

    card_number = models.CharField(_("card number"), max_length=32, unique=True)
    surname = models.CharField(
        _("surname"), max_length=150, help_text=_("For a collective borrower: the group's name.")
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    category = models.ForeignKey(
        PatronCategory, on_delete=models.PROTECT, related_name="patrons", verbose_name=_("category")
    )
    home_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="patrons", verbose_name=_("home library")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Consents are opt-in: nothing is sent or kept unless the patron asked for it.
    email_notices = models.BooleanField(_("notices by e-mail"), default=False)
    newsletters = models.BooleanField(_("newsletters"), default=False)
    keep_history = models.BooleanField(_("keep my reading history"), default=False)
    receipt = models.CharField(
        _("loan ticket"),
        max_length=10,
        choices=ReceiptChoice.choices,
        default=ReceiptChoice.PRINTED,
    )
    registered_on = models.DateField(_("registered on"))
    expires_on = models.DateField(_("expires on"))
    notes = models.TextField(_("notes"), blank=True)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patrons",
        verbose_name=_("partner institution"),
    )
    responsible_person = models.CharField(
        _("responsible person"),
        max_length=200,
        blank=True,
        help_text=_("For a collective borrower: who borrows on its behalf."),
    )
    password = models.CharField(
        _("password"), max_length=128, default=unusable_password, editable=False
    )
    # Folded "surname first name", kept by save(): accent- and case-blind search everywhere.
    search_name = models.CharField(max_length=310, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("patron")
        verbose_name_plural = _("patrons")
        ordering = ["search_name", "card_number"]
        indexes = [models.Index(fields=["birth_date"], name="patron_birth_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_on__lte=models.F("expires_on")),
                name="patron_expires_after_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(f"{self.surname} {self.first_name}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"surname", "first_name"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"search_name"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.surname.upper()} {self.first_name}".strip()

    @property
    def is_collective(self) -> bool:
        return self.category.is_collective

    @property
    def audit_actor(self) -> Actor:
        """How the audit log names a patron acting themselves (online, self-service)."""
        return Actor(ActorKind.PATRON, actor_id=self.pk)

    def age(self, day: dt.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return age_on(self.birth_date, day or timezone.localdate())

    def age_band(self, day: dt.date | None = None) -> str:
        return age_band(self.birth_date, day or timezone.localdate())

    def is_expired_on(self, day: dt.date) -> bool:
        return self.expires_on < day

    @property
    def is_expired(self) -> bool:
        return self.is_expired_on(timezone.localdate())

    @property
    def expires_soon(self) -> bool:
        """Still valid but within the warning window: time to suggest renewing."""
        today = timezone.localdate()
        return today <= self.expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS)

    @property
    def active_blocks(self) -> models.QuerySet["PatronBlock"]:
        return self.blocks.filter(lifted_at__isnull=True)

    @property
    def is_blocked(self) -> bool:
        return self.active_blocks.exists()

    @property
    def has_account(self) -> bool:
        return is_password_usable(self.password)

    def check_password(self, raw_password: str) -> bool:
        return check_password(raw_password, self.password)


class BlockKind(models.TextChoices):
    OVERDUE = "overdue", _("overdue items")
    LOST = "lost", _("lost item")
    UNPAID = "unpaid", _("unpaid fee")
    BEHAVIOUR = "behaviour", _("behaviour")
    OTHER = "other", _("other reason")


class PatronBlock(models.Model):
    """A reason the patron may not borrow; lifted, it stays as a record of what happened."""

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(_("reason"), max_length=12, choices=BlockKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The desk where the block was put: its staff (and the home library's) may lift it.
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="patron_blocks", verbose_name=_("library")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["patron", "lifted_at"], name="patron_block_active")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.patron.card_number}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ChangeRequestStatus(models.TextChoices):
    PENDING = "pending", _("to review")
    APPLIED = "applied", _("applied")
    DISMISSED = "dismissed", _("dismissed")


# What a patron may ask to change from their online account; staff check and apply it.
CHANGEABLE_DETAILS = ("address", "postcode", "city", "phone", "email")


class DetailsChangeRequest(models.Model):
    """A patron's request, from their account, to change their contact details.

    Staff apply it (through ``update_patron``, with its checks) or dismiss it: the patron's
    record is never changed from the public side directly.
    """

    patron = models.ForeignKey(
        Patron, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("patron")
    )
    # Only the fields the patron changed: {"email": "new@example.org", …}.
    changes = models.JSONField(_("requested changes"), default=dict)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change of details request")
        verbose_name_plural = _("change of details requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One request to review per patron: a new one replaces it (see the service).
            models.UniqueConstraint(
                fields=["patron"],
                condition=models.Q(status="pending"),
                name="one_pending_change_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patron_id}: {', '.join(sorted(self.changes))} ({self.status})"

    def labelled_changes(self) -> list[tuple[str, str, str]]:
        """(field label, current value, requested value), in the form's order."""
        patron = self.patron
        return [
            (
                str(Patron._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                getattr(patron, name),
                self.changes[name],
            )
            for name in CHANGEABLE_DETAILS
            if name in self.changes
        ]
