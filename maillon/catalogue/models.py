"""The union catalogue: one record per edition, the items of every library hang on it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library, LibraryKind


class Audience(models.TextChoices):
    ADULT = "adult", _("adults")
    YOUTH = "youth", _("youth")
    UNKNOWN = "unknown", _("audience not specified")


class DocType(models.TextChoices):
    TEXT = "text", _("printed text")
    SCORE = "score", _("score")
    VIDEO = "video", _("video")
    SOUND = "sound", _("sound recording")
    MUSIC = "music", _("music recording")
    IMAGE = "image", _("image")
    GAME = "game", _("game")
    KIT = "kit", _("kit")
    PERIODICAL = "periodical", _("periodical")
    MULTIMEDIA = "multimedia", _("multimedia")
    OTHER = "other", _("other")


class ItemType(models.Model):
    """A configurable kind of item (book, youth book, comic, DVD…); loan rules refer to it."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("item type")
        verbose_name_plural = _("item types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CollectionKind(models.TextChoices):
    BASE = "base", _("base collection")
    LOCAL = "local", _("local-specific collection")
    HERITAGE = "heritage", _("heritage collection")
    DEPOSIT = "deposit", _("departmental library deposit")


class Collection(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=CollectionKind.choices, default=CollectionKind.BASE
    )
    theme = models.CharField(
        _("theme"),
        max_length=200,
        blank=True,
        help_text=_("For a local-specific collection: local history…"),
    )
    floating = models.BooleanField(
        _("floating"),
        default=False,
        help_text=_("A floating item stays in the library where it was returned."),
    )
    # A local-specific collection belongs to the library that built it (maillon.localcollections).
    library = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="collections",
        verbose_name=_("library"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Record(models.Model):
    """A bibliographic record (notice): one per edition, shared by the whole network."""

    title = models.CharField(_("title"), max_length=500)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    other_titles = models.JSONField(_("other titles"), default=list, blank=True)
    # [{"name": "Surname, Forename", "role": "auteur"}, …]
    authors = models.JSONField(_("authors"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True, db_index=True)
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=3, blank=True)
    classification = models.CharField(_("classification"), max_length=50, blank=True)
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    # [{"title": …, "number": …}, …]
    series = models.JSONField(_("series"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    doc_type = models.CharField(
        _("document type"), max_length=12, choices=DocType.choices, default=DocType.TEXT
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.UNKNOWN
    )
    flavour = models.CharField(_("MARC flavour"), max_length=8, default="unimarc")
    marc = models.BinaryField(_("MARC record (ISO 2709, UTF-8)"))
    # Folded (no accents, lower case) copies for sorting in French.
    sort_title = models.CharField(max_length=200, db_index=True, editable=False)
    sort_author = models.CharField(max_length=200, blank=True, editable=False)
    # Conservative duplicate key: folded title + first author + year.
    match_key = models.CharField(max_length=255, db_index=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The record or the holdings it carries out (a copy added, edited, moved home, gone or
    # back) last changed: harvesters ask for what changed since a date (OAI-PMH datestamp).
    # A loan or a transfer changes neither, and leaves it alone (records.touch_records).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")

    def __str__(self) -> str:
        return self.title

    @property
    def main_author(self) -> str:
        return self.authors[0]["name"] if self.authors else ""


class RecordIdentifier(models.Model):
    """Every ISBN and source identifier a record is known by, for merging on import."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="known_as")
    value = models.CharField(max_length=200)  # "isbn:978…", "bnf:FRBNF…", "ctrl:RERO:123"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["value"], name="identifier_unique")]

    def __str__(self) -> str:
        return self.value


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("available")
    ON_LOAN = "on_loan", _("on loan")
    IN_TRANSIT = "in_transit", _("in transit")
    ON_HOLD_SHELF = "on_hold_shelf", _("on the hold shelf")
    IN_PROCESSING = "in_processing", _("being processed")
    NOT_FOR_LOAN = "not_for_loan", _("not for loan")
    DAMAGED = "damaged", _("damaged")
    LOST = "lost", _("lost")
    MISSING = "missing", _("missing")
    WITHDRAWN = "withdrawn", _("withdrawn")
    # Bought, not yet delivered: holds may wait for it (maillon.purchasing creates and
    # receives such items through catalogue/items.py).
    ON_ORDER = "on_order", _("on order")


# The one definition of what an item's status allows (catalogue/items.py changes statuses):
# gone from the collection — no hold, no loan, not shown in public holdings or counted by search;
GONE_STATUSES = frozenset({ItemStatus.WITHDRAWN, ItemStatus.LOST, ItemStatus.MISSING})
# not lent whoever asks, though still part of the collection;
UNLENDABLE_STATUSES = frozenset(
    {ItemStatus.NOT_FOR_LOAN, ItemStatus.IN_PROCESSING, ItemStatus.DAMAGED, ItemStatus.ON_ORDER}
)
# on the shelves or lent: the stock a library lends from (the proposals from usage count it per
# home and item type, from the index of Item that holds these copies alone);
ON_SHELF_OR_LENT = (
    ItemStatus.AVAILABLE,
    ItemStatus.ON_LOAN,
    ItemStatus.IN_TRANSIT,
    ItemStatus.ON_HOLD_SHELF,
)
# may fill a hold, now or when it comes back.
HOLDABLE_STATUSES = frozenset(
    {
        ItemStatus.AVAILABLE,
        ItemStatus.ON_LOAN,
        ItemStatus.IN_TRANSIT,
        ItemStatus.ON_HOLD_SHELF,
        ItemStatus.IN_PROCESSING,
        ItemStatus.ON_ORDER,
    }
)


class Item(models.Model):
    """A physical copy. Owner, home and current library are three different facts."""

    # Indexed by (record, home, status) below, which also serves lookups by record alone.
    record = models.ForeignKey(
        Record,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("record"),
        db_index=False,
    )
    barcode = models.CharField(_("barcode"), max_length=40, unique=True)
    call_number = models.CharField(_("call number"), max_length=100, blank=True)
    owner = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="owned_items", verbose_name=_("owner")
    )
    home = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="home_items", verbose_name=_("home library")
    )
    current = models.ForeignKey(
        Library,
        on_delete=models.PROTECT,
        related_name="present_items",
        verbose_name=_("current library"),
    )
    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("collection")
    )
    item_type = models.ForeignKey(ItemType, on_delete=models.PROTECT, verbose_name=_("item type"))
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.UNKNOWN
    )
    location = models.CharField(_("shelving location"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ItemStatus.choices,
        default=ItemStatus.AVAILABLE,
        db_index=True,
    )
    acquired_on = models.DateField(_("acquisition date"), null=True, blank=True)
    price = models.DecimalField(_("price"), max_digits=9, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    loan_count = models.PositiveIntegerField(_("number of loans"), default=0)
    last_loan_at = models.DateTimeField(_("last loan"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        indexes = [
            # The copies of records counted from the index alone (where, which are not gone):
            # weeding's copies elsewhere, the network's holdings.
            models.Index(fields=["record", "home", "status"], name="item_record_home_status"),
            # The proposals from usage: the stock per library and item type counted from the
            # index alone (of these copies only: no status to filter, smaller entries); a
            # library's copies on its own shelves read in the order they fell idle, from the
            # first (no sort of the whole shelf).
            models.Index(
                fields=["home", "item_type"],
                condition=models.Q(status__in=ON_SHELF_OR_LENT),
                name="item_stock_home_kind",
            ),
            models.Index(
                fields=["home", "current", "status", "last_loan_at", "id"], name="item_idle_order"
            ),
        ]

    def __str__(self) -> str:
        return self.barcode


def md_stock() -> models.Q:
    """The departmental library's items, wherever they are: the one way to tell MD stock
    (lent on deposit to a library, or on the MD's shelves) from a library's own stock."""
    return models.Q(owner__kind=LibraryKind.DEPARTMENTAL)


class ImportBatch(models.Model):
    """One run of a MARC import, with its counts and reject file, for the report page."""

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(max_length=300)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    format = models.CharField(max_length=10)
    dry_run = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    reject_file = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.library_id})"


class RecordMerge(models.Model):
    """An incoming record merged into an existing one; undoing it splits the record again."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="merges")
    matched_by = models.CharField(max_length=20)  # isbn, source_id, key, manual
    matched_value = models.CharField(max_length=255, blank=True)
    incoming_marc = models.BinaryField()
    incoming_flavour = models.CharField(max_length=8)
    incoming_title = models.CharField(max_length=500)
    library = models.ForeignKey(Library, null=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    item_ids = models.JSONField(default=list)
    identifiers = models.JSONField(default=list)  # identifier values the merge added
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    split_record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.incoming_title} → {self.record_id}"


class SourceCode(models.Model):
    """How a source system's codes (995/952) map to ours; edited by the operator."""

    class Kind(models.TextChoices):
        LIBRARY = "library", _("library")
        ITEM_TYPE = "item_type", _("item type")
        STATUS = "status", _("status")
        COLLECTION = "collection", _("collection")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("source code"), max_length=50)
    target = models.CharField(_("our code"), max_length=50)

    class Meta:
        verbose_name = _("source code mapping")
        verbose_name_plural = _("source code mappings")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="one_mapping")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code} → {self.target}"


class SearchEntry(models.Model):
    """What search needs of a record, flattened: facet values and sort keys on one narrow row.

    Written only by ``maillon.catalogue.search.index_records`` (with the full-text part: an FTS5
    table on SQLite, a ``document`` tsvector column added by migration on PostgreSQL). Facet
    counting reads these short rows for every match instead of joining records and items.
    Id lists are written " 3 17 42 " so that "held at library 17" is ``LIKE '% 17 %'``, and
    as bit sets (``library_bits & (1 << 16)``; libraries 64…315 in library_bits_1…_4).
    """

    record = models.OneToOneField(
        Record, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    libraries = models.TextField(default=" ")  # home libraries of its items
    available_libraries = models.TextField(default=" ")  # …where a copy is available now
    item_types = models.TextField(default=" ")
    collections = models.TextField(default=" ")  # collections of its items (facet: the local ones)
    audience = models.CharField(max_length=10, blank=True)
    language = models.CharField(max_length=3, blank=True)
    year = models.PositiveSmallIntegerField(null=True)
    available = models.BooleanField(default=False)
    sort_title = models.CharField(max_length=80, blank=True)
    sort_author = models.CharField(max_length=80, blank=True)
    # Latest item acquisition (or the record's creation): the "newest" sort.
    new_at = models.DateTimeField()
    # The same id lists as bit sets of 63 ids per integer (id n: bit (n-1) % 63 of word
    # (n-1) // 63): counting facets reads integers per match instead of splitting strings.
    # Libraries 1…315 (a département's network), item types 1…63; ids beyond fall back to
    # the strings (see maillon.catalogue.search.facets).
    library_bits = models.BigIntegerField(default=0)
    library_bits_1 = models.BigIntegerField(default=0)
    library_bits_2 = models.BigIntegerField(default=0)
    library_bits_3 = models.BigIntegerField(default=0)
    library_bits_4 = models.BigIntegerField(default=0)
    available_bits = models.BigIntegerField(default=0)
    available_bits_1 = models.BigIntegerField(default=0)
    available_bits_2 = models.BigIntegerField(default=0)
    available_bits_3 = models.BigIntegerField(default=0)
    available_bits_4 = models.BigIntegerField(default=0)
    type_bits = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["new_at"], name="search_new_at"),
            models.Index(fields=["sort_title"], name="search_sort_title"),
        ]

    def __str__(self) -> str:
        return f"search entry of record {self.record_id}"


class SearchHolding(models.Model):
    """A (library, record) pair of the search index: the record has a copy held there (and
    available now, or not). A filter on libraries holding few copies reads these few pairs
    through the primary key instead of testing every match's bit set (see
    ``maillon.catalogue.search.engine``). Plain integers, not foreign keys: written in bulk
    beside SearchEntry, by the same code (``maillon.catalogue.search.index``)."""

    pk = models.CompositePrimaryKey("library_id", "record_id")
    library_id = models.IntegerField()
    record_id = models.IntegerField()
    available = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["record_id"], name="search_holding_record"),
            # "Available now at…": the pairs to read, without the table.
            models.Index(
                fields=["library_id", "available", "record_id"], name="search_holding_shelf"
            ),
        ]

    def __str__(self) -> str:
        return f"record {self.record_id} at library {self.library_id}"
