"""Which form of the annual survey each kind of library fills in: data, changed in the admin."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.network.models import LibraryKind


class SurveyForm(models.TextChoices):
    FULL = "full", _("full report")
    ABRIDGED = "abridged", _("abridged report")
    VERY_ABRIDGED = "very_abridged", _("very abridged report")


class FormByKind(models.Model):
    """The survey has a full, an abridged and a very abridged form (the last for the smallest
    places, about 100 questions): the one a library answers follows its kind."""

    library_kind = models.CharField(
        _("kind of library"), max_length=20, choices=LibraryKind.choices, unique=True
    )
    form = models.CharField(_("form"), max_length=15, choices=SurveyForm.choices)

    class Meta:
        verbose_name = _("annual report form")
        verbose_name_plural = _("annual report forms")
        ordering = ["library_kind"]

    def __str__(self) -> str:
        return f"{self.get_library_kind_display()}: {self.get_form_display()}"


# Summary tables, refreshed by `maillon stats-refresh` (maillon.stats.summaries). They hold
# counts of facts that never change once made (a loan's frozen facts, a year's holdings at 31/12),
# so a day refreshed again gives the same rows.


class LoanCounts(models.Model):
    """Loans counted at one library, per medium, audience, own or MD stock, and whether the
    borrower's yearly pseudonym is known: a day's (LoanDay) or a month's (LoanMonth)."""

    library = models.ForeignKey(
        "network.Library", on_delete=models.CASCADE, related_name="+", verbose_name=_("library")
    )
    medium = models.CharField(max_length=12, blank=True)
    audience = models.CharField(max_length=10, blank=True)
    md_stock = models.BooleanField(default=False)
    keyed = models.BooleanField(default=True)
    loans = models.PositiveIntegerField()

    class Meta:
        abstract = True


class LoanDay(LoanCounts):
    """Loans made on one day. The patron's category and age band are counted in
    ActiveBorrower (the report counts borrowers by them, not loans): with them a day's rows
    would be nearly as many as its loans."""

    day = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["day", "library"]),
            # One library's year (its report, its dashboards, the days of a list behind a figure).
            models.Index(fields=["library", "day"], name="stats_loanday_library_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.library_id}: {self.loans}"


class LoanMonth(LoanCounts):
    """A month's LoanDay rows added up (the days of it counted so far): the dashboards' charts
    read a year in some thousand rows instead of the days' hundreds of thousands."""

    month = models.DateField()  # its first day

    class Meta:
        indexes = [models.Index(fields=["month", "library"], name="stats_loanmonth_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.library_id}: {self.loans}"


class RefreshedMonth(models.Model):
    """A month whose days are being counted: its row is locked while a day of it is counted
    again, so that two refreshes of the same month add its days up one after the other."""

    month = models.DateField(unique=True)
    # The last day up to which the month's shuttle and holds were counted (TransferMonth,
    # ShuttleDay, HoldDay): the matrix reads the month whole once it reaches its end.
    shuttle_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ActiveBorrower(models.Model):
    """A borrower (yearly pseudonym) who borrowed at a library in a year, once per category,
    age band and commune they borrowed with: counted distinct, it gives the active borrowers
    of a library and of the network (no double counting)."""

    year = models.PositiveSmallIntegerField()
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    patron_key = models.CharField(max_length=16)
    patron_category_code = models.CharField(max_length=20, blank=True)
    patron_age_band = models.CharField(max_length=10, blank=True)
    patron_commune = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "year",
                    "library",
                    "patron_key",
                    "patron_category_code",
                    "patron_age_band",
                    "patron_commune",
                ],
                name="stats_active_borrower_once",
            )
        ]
        indexes = [
            # A library's borrowers of a year, by commune then pseudonym: the dashboard's
            # communes counted from the index alone, in its order.
            models.Index(
                fields=["year", "library", "patron_commune", "patron_key"],
                name="stats_active_library_commune",
            ),
            # The network's borrowers of a year in pseudonym order, each once (the list behind
            # "active borrowers"); a library's are in the unique constraint's index. With the
            # columns the report's figures test (PostgreSQL keeps them in the index), the
            # network's distinct borrowers are counted from the index alone.
            models.Index(
                fields=["year", "patron_key"],
                include=["patron_age_band", "patron_category_code"],
                name="stats_active_key_flags",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.library_id} {self.patron_key}"


class CommuneBorrower(models.Model):
    """A borrower (yearly pseudonym) who borrowed in the network in a year, once per commune
    they borrowed with: the network's active borrowers by commune counted from this table's
    unique index alone (a third of ActiveBorrower's rows, and no count of distinct values)."""

    year = models.PositiveSmallIntegerField()
    patron_commune = models.CharField(max_length=120, blank=True)
    patron_key = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "patron_commune", "patron_key"], name="stats_commune_borrower_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.patron_commune} {self.patron_key}"


class RefreshedDay(models.Model):
    """A day whose loans are in the summary tables (and how many)."""

    day = models.DateField(unique=True)
    loans = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("day of statistics refreshed")
        verbose_name_plural = _("days of statistics refreshed")

    def __str__(self) -> str:
        return self.day.isoformat()


class HoldingSnapshot(models.Model):
    """The documents a library held at 31/12 of a year, per medium, audience, own or MD stock:
    taken once the year is over (or on demand), read by the annual report."""

    year = models.PositiveSmallIntegerField()
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(max_length=12, blank=True)
    audience = models.CharField(max_length=10, blank=True)
    md_stock = models.BooleanField(default=False)
    items = models.PositiveIntegerField()
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("holdings at 31/12")
        verbose_name_plural = _("holdings at 31/12")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "library", "medium", "audience", "md_stock"],
                name="stats_holding_snapshot_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.library_id}: {self.items}"


class TransferMonth(models.Model):
    """Documents sent by the shuttle in a month (up to the last day counted), from one library
    to another: the shuttle's matrix reads a year in a few thousand rows."""

    month = models.DateField()  # its first day
    from_library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    to_library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, blank=True)  # TransferReason: for a hold…
    transfers = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"], name="stats_transfermonth_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.from_library_id} → {self.to_library_id}: {self.transfers}"


class HoldDay(models.Model):
    """Holds placed and holds collected on a day at a pickup library: of those collected, how
    many came by the shuttle from another library, and their waits from placing to ready added
    up (an average over any days is their sum over their count)."""

    day = models.DateField()
    pickup_library = models.ForeignKey(
        "network.Library", on_delete=models.CASCADE, related_name="+"
    )
    placed = models.PositiveIntegerField(default=0)
    collected = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)  # collected, the copy sent by the shuttle
    waited = models.DurationField(default=dt.timedelta)

    class Meta:
        indexes = [models.Index(fields=["day", "pickup_library"], name="stats_holdday_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.pickup_library_id}: {self.placed} / {self.collected}"


class ShuttleDay(models.Model):
    """Documents a library sent and was sent by the shuttle on a day (by the day they left),
    and of those, how many for a hold: the shuttle's months and the libraries that satisfied
    holds read any period in fifty rows a day."""

    day = models.DateField()
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    sent = models.PositiveIntegerField(default=0)
    received = models.PositiveIntegerField(default=0)
    sent_for_holds = models.PositiveIntegerField(default=0)
    received_for_holds = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "library"], name="stats_shuttleday_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.library_id}: {self.sent} / {self.received}"


class HoldingDay(models.Model):
    """The documents a library held on the evening of a day counted, per kind of document, as
    the annual report counts them: its own at their home, the departmental library's that its
    deposits placed there (or at their home, for those the deposits never recorded). Written by
    the daily run for the days it counts; the dashboards divide a period's loans by it
    (turnover) instead of counting two million items."""

    day = models.DateField()
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(max_length=12, blank=True)
    own = models.PositiveIntegerField(default=0)
    md = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "library", "medium"], name="stats_holding_day_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.library_id} {self.medium}: {self.own} + {self.md}"


class CollectionAge(models.Model):
    """The documents a library held on the evening of a day, by how old they were (years since
    their publication, in bands): counted by the daily run for its last day, from the items as
    they are then."""

    day = models.DateField()
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    band = models.CharField(max_length=8, blank=True)  # AGE_BANDS' key; blank: not known
    items = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "library"], name="stats_collectionage_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.library_id} {self.band}: {self.items}"


class HoldingItem(models.Model):
    """One document counted in the holdings at 31/12 of a year, where it was counted: the rows
    behind the HoldingSnapshot's counts (taken in the same transaction, so the list behind
    "documents held at 31/12" is what the figure counted, however the items moved since)."""

    year = models.PositiveSmallIntegerField()
    item = models.ForeignKey("catalogue.Item", on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey("network.Library", on_delete=models.CASCADE, related_name="+")
    medium = models.CharField(max_length=12, blank=True)
    audience = models.CharField(max_length=10, blank=True)
    md_stock = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["year", "library", "item"], name="stats_holding_item_library"),
            models.Index(fields=["year", "item"], name="stats_holding_item_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.library_id} {self.item_id}"
