"""Weeding (désherbage): the network's criteria as data, campaigns and their decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.items import Destination
from maillon.catalogue.models import Audience, DocType, Item, ItemType
from maillon.circulation.models import Transfer
from maillon.network.models import Library

YEARS = [MinValueValidator(1), MaxValueValidator(50)]


class Criterion(models.Model):
    """X/Y of the CREW and IOUPI methods for a part of the collection.

    A row applies to an item when every condition it sets holds: a Dewey range (from, to
    inclusive, compared on the class number's first three digits; a row without a range applies
    only to items without a Dewey number: fiction, albums, DVDs…), an audience, a document
    type, an item type. A library's own rows come before the network's; then the row with more
    conditions, then the narrower range.
    """

    library = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="weeding_criteria",
        verbose_name=_("library"),
        help_text=_("Empty: the network's rule. Set: this library's own, before the network's."),
    )
    label = models.CharField(_("part of the collection"), max_length=120)
    dewey_from = models.CharField(_("Dewey from"), max_length=3, blank=True)
    dewey_to = models.CharField(_("Dewey to"), max_length=3, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, blank=True)
    doc_type = models.CharField(
        _("document type"), max_length=12, choices=DocType.choices, blank=True
    )
    item_type = models.ForeignKey(
        ItemType, null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("item type")
    )
    years_since_publication = models.PositiveSmallIntegerField(
        _("X: years since publication"), null=True, blank=True, validators=YEARS
    )
    years_without_loan = models.PositiveSmallIntegerField(
        _("Y: years without a loan"), null=True, blank=True, validators=YEARS
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    sourced = models.BooleanField(
        _("sourced"), default=True, help_text=_("Unticked: a default value no source confirmed.")
    )

    class Meta:
        verbose_name = _("weeding criterion")
        verbose_name_plural = _("weeding criteria")
        ordering = ["library_id", "dewey_from", "label"]

    def __str__(self) -> str:
        return self.label

    @property
    def formula(self) -> str:
        """CREW's notation: "5/3", "X/3" (X: the criterion does not apply)."""
        x = self.years_since_publication
        y = self.years_without_loan
        return f"{x if x is not None else 'X'}/{y if y is not None else 'X'}"


class Ioupi(models.TextChoices):
    """The French qualitative criteria (IOUPI)."""

    INCORRECT = "I", _("Incorrect: wrong or outdated information")
    ORDINARY = "O", _("Ordinary: mediocre, of no interest")
    WORN = "U", _("Worn: damaged beyond use")
    OUTDATED = "P", _("Outdated: superseded by a newer edition")
    INADEQUATE = "N", _("Inadequate: not for this public")


class Decision(models.TextChoices):
    PENDING = "pending", _("to review")
    KEEP = "keep", _("keep")
    WITHDRAW = "withdraw", _("withdraw")
    REPAIR = "repair", _("send to repair")
    OFFER = "offer", _("offer to the network")


class Campaign(models.Model):
    """One weeding operation at one library: a list reviewed, then confirmed once."""

    class State(models.TextChoices):
        REVIEW = "review", _("in review")
        CONFIRMED = "confirmed", _("confirmed")

    library = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="weeding_campaigns",
        verbose_name=_("library"),
    )
    name = models.CharField(_("name"), max_length=200)
    dewey_from = models.CharField(_("Dewey from"), max_length=3, blank=True)
    dewey_to = models.CharField(_("Dewey to"), max_length=3, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.REVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    number = models.CharField(_("procès-verbal number"), max_length=30, blank=True)
    offer_destination = models.CharField(
        _("destination of offered items nobody claims"),
        max_length=20,
        choices=Destination.CHOICES,
        default="donated",
    )
    # The library's items per Dewey hundred when the campaign was made, for the rates shown.
    stock_by_class = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("weeding campaign")
        verbose_name_plural = _("weeding campaigns")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    """An item of a campaign: why it was proposed, and what was decided for it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidates")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.SET_NULL)
    # Why, as figures frozen when proposed: {"age": 14, "idle": 5, "loans": 2, "elsewhere": 3}
    reasons = models.JSONField(default=dict)
    added_by_scan = models.BooleanField(default=False)
    last_copy = models.BooleanField(_("last copy in the network"), default=False)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.PENDING
    )
    ioupi = models.CharField(_("IOUPI reason"), max_length=1, choices=Ioupi, blank=True)
    destination = models.CharField(_("destination"), max_length=20, blank=True)
    override = models.CharField(
        _("reason for withdrawing the last copy"), max_length=300, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "item"], name="weeding_item_once")
        ]
        ordering = ["item__call_number", "item__barcode"]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.item_id}"


class Deliberation(models.Model):
    """The council's standing délibération that a library's procès-verbaux cite."""

    library = models.OneToOneField(
        Library, on_delete=models.CASCADE, related_name="weeding_deliberation"
    )
    reference = models.CharField(_("deliberation reference"), max_length=100)
    voted_on = models.DateField(_("voted on"))
    authority = models.CharField(
        _("signed by"),
        max_length=200,
        help_text=_("E.g. Le maire de Vasles, or La présidente de la communauté de communes"),
    )

    class Meta:
        verbose_name = _("weeding deliberation")
        verbose_name_plural = _("weeding deliberations")

    def __str__(self) -> str:
        return self.reference


class DestinationRefusal(models.Model):
    """A destination that documents of a type may not go to (DVDs are not given away: their
    lending rights do not pass to the receiver)."""

    doc_type = models.CharField(_("document type"), max_length=12, choices=DocType.choices)
    destination = models.CharField(_("destination"), max_length=20)
    why = models.CharField(_("why"), max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "destination"], name="weeding_refusal_once")
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} ↛ {self.destination}"


class OfferPeriod(models.Model):
    """How long an offered item waits for a claim: the network's row (no library) or a
    library's own."""

    library = models.OneToOneField(
        Library,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="weeding_offer_period",
        verbose_name=_("library"),
    )
    days = models.PositiveSmallIntegerField(
        _("days offered"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("offer period")
        verbose_name_plural = _("offer periods")
        constraints = [
            models.UniqueConstraint(
                fields=["library"],
                condition=models.Q(library__isnull=True),
                name="weeding_one_network_offer_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.days}"


class Offer(models.Model):
    """A weeded item offered to the network: open until a library claims it (a transfer; on
    arrival the item changes home and owner) or until it expires (the campaign's
    destination)."""

    class State(models.TextChoices):
        OPEN = "open", _("offered")
        CLAIMED = "claimed", _("claimed, on its way")
        RECEIVED = "received", _("received by the claimant")
        EXPIRED = "expired", _("not claimed: withdrawn")

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="offer")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("offered by")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    offered_on = models.DateField(_("offered on"))
    expires_on = models.DateField(_("offered until"))
    destination = models.CharField(
        _("destination if not claimed"), max_length=20, choices=Destination.CHOICES
    )
    claimed_by = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer = models.ForeignKey(
        Transfer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("offered item")
        verbose_name_plural = _("offered items")
        indexes = [models.Index(fields=["state", "expires_on"])]
        ordering = ["expires_on", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} ({self.state})"
