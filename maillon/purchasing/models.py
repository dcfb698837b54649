"""Concerted purchasing: budgets, suppliers, shared selection lists, orders, receiving,
invoices and patron suggestions.

Money is Decimal in euros with two places; rates are percentages (5.50 means 5.5 %). What a
fund has committed, spent and left is never stored: it is read from the order lines and the
invoiced receipts each time (see budgets.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Item, ItemType, Record
from maillon.network.models import Library

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
AMOUNT = [MinValueValidator(Decimal("0"))]


def money(max_digits: int = 10, **kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=max_digits, decimal_places=2, validators=AMOUNT, **kwargs)


def rate(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=PERCENT, **kwargs
    )


class Medium(models.Model):
    """What is bought (books, audiovisual, press…), its VAT rate and the legal cap on the
    discount a public library may get (books: 9 %, loi Lang as amended on 18 June 2003)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    vat_rate = rate(_("VAT rate (%)"))
    discount_cap = rate(
        _("legal discount cap (%)"),
        null=True,
        blank=True,
        help_text=_("Empty: the law sets no cap."),
    )
    cap_source = models.CharField(_("source of the cap"), max_length=300, blank=True)
    item_type = models.ForeignKey(
        ItemType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("item type of the copies ordered"),
    )
    lending_right = models.BooleanField(
        _("declared for the lending right"),
        default=False,
        help_text=_("Invoices of this medium go into the yearly droit de prêt declaration."),
    )

    class Meta:
        verbose_name = _("medium")
        verbose_name_plural = _("media")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """A bookseller or another supplier, with the public contract lot it serves."""

    name = models.CharField(_("name"), max_length=200)
    gln = models.CharField(
        _("GLN (Gencod)"),
        max_length=13,
        blank=True,
        help_text=_("The 13 digits the lending-right declaration asks for."),
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contract_lot = models.CharField(
        _("contract lot"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Lot 1 — fiction and non-fiction for adults"),
    )
    medium = models.ForeignKey(
        Medium, on_delete=models.PROTECT, verbose_name=_("medium of the lot")
    )
    discount = rate(_("discount (%)"), default=Decimal("0"))
    delivery_days = models.PositiveSmallIntegerField(
        _("delivery time (days)"),
        default=15,
        help_text=_("A line not received after this many days is late and can be claimed."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactRole(models.TextChoices):
    ORDERS = "orders", _("orders")
    CLAIMS = "claims", _("claims")
    INVOICES = "invoices", _("invoices")
    OTHER = "other", _("other")


class SupplierContact(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(
        _("role"), max_length=10, choices=ContactRole, default=ContactRole.ORDERS
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("supplier contact")
        verbose_name_plural = _("supplier contacts")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    """A library's budget line for one year (Adultes, Jeunesse, Musique & films…)."""

    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="funds", verbose_name=_("library")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    amount = money(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["library__name", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "year", "code"],
                name="fund_code_once",
                violation_error_message=_(
                    "This library already has a fund with this code for this year."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


# Shared selection lists -----------------------------------------------------------------------


class SelectionList(models.Model):
    """Titles proposed to the network for purchase; each library commits copies until it
    closes (at the end of `closes_on`, or earlier by hand)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("selection list")
        verbose_name_plural = _("selection lists")
        ordering = ["-closes_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class TitleSource(models.TextChoices):
    CATALOGUE = "catalogue", _("union catalogue")
    ISBN = "isbn", _("ISBN")
    BNF = "bnf", _("BnF")
    SUGGESTION = "suggestion", _("patron suggestion")
    HOLDS = "holds", _("holds ratio")


class SelectionTitle(models.Model):
    """A record proposed on a list, with a price and, if set, a cap on the network's copies."""

    selection = models.ForeignKey(SelectionList, on_delete=models.CASCADE, related_name="titles")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    public_price = money(9, verbose_name=_("public price incl. VAT"), null=True, blank=True)
    cap = models.PositiveIntegerField(
        _("copies for the network at most"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: as many as the libraries commit."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=TitleSource, default=TitleSource.CATALOGUE
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposed title")
        verbose_name_plural = _("proposed titles")
        ordering = ["record__sort_title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "record"], name="selection_record_once")
        ]

    def __str__(self) -> str:
        return f"{self.selection_id}:{self.record_id}"


class Commitment(models.Model):
    """A library's promise to buy `quantity` copies of a proposed title from one of its funds.
    `seen` keeps the network's figures the library had before its eyes when it decided."""

    title = models.ForeignKey(SelectionTitle, on_delete=models.CASCADE, related_name="commitments")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="commitments")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    seen = models.JSONField(default=dict, editable=False)
    overspent_reason = models.CharField(_("reason for overspending"), max_length=300, blank=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(auto_now=True)
    line = models.ForeignKey(
        "OrderLine", null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [models.UniqueConstraint(fields=["title", "library"], name="commitment_once")]

    def __str__(self) -> str:
        return f"{self.library_id}×{self.quantity}"


# Orders, receiving, invoices -----------------------------------------------------------------


class Order(models.Model):
    """Lines sent to one supplier for one library."""

    class State(models.TextChoices):
        DRAFT = "draft", _("to review")
        SENT = "sent", _("sent")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=30, unique=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="orders", verbose_name=_("supplier")
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="orders", verbose_name=_("library")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    note = models.TextField(_("note for the supplier"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """Copies of one record from one fund. The unit net price is the public price less the
    discount, rounded to the cent; `received` and `cancelled` count copies."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="lines")
    medium = models.ForeignKey(Medium, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    received = models.PositiveIntegerField(_("received"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    public_price = money(9, verbose_name=_("public price incl. VAT"))
    discount = rate(_("discount (%)"))
    net_price = money(9, verbose_name=_("net unit price incl. VAT"))
    vat_rate = rate(_("VAT rate (%)"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    overspent_reason = models.CharField(_("reason for overspending"), max_length=300, blank=True)
    claims = models.PositiveSmallIntegerField(_("claims"), default=0)
    claimed_on = models.DateField(_("last claimed"), null=True, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order_id", "record__sort_title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(received__lte=models.F("quantity") - models.F("cancelled")),
                name="line_receives_at_most_what_is_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.record_id}"

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.received - self.cancelled

    @property
    def total(self) -> Decimal:
        return self.net_price * (self.quantity - self.cancelled)


class OrderedItem(models.Model):
    """An item created "on order" by a line, so patrons may hold it; received once."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="ordered_items")
    item = models.OneToOneField(Item, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(
        "Receipt", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )

    def __str__(self) -> str:
        return f"{self.line_id}:{self.item_id}"


class Invoice(models.Model):
    """A supplier's invoice: the lending-right declaration lists these, not titles."""

    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("supplier")
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    number = models.CharField(_("invoice number"), max_length=50)
    date = models.DateField(_("invoice date"))
    amount_excl_tax = money(verbose_name=_("amount excl. VAT"))
    amount_incl_tax = money(verbose_name=_("amount incl. VAT"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "number"], name="invoice_number_once")
        ]

    def __str__(self) -> str:
        return self.number


class Receipt(models.Model):
    """Copies of a line received together; once on an invoice, their price is spent."""

    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="receipts")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    invoice = models.ForeignKey(
        Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.line_id}×{self.quantity}"


# Patron suggestions --------------------------------------------------------------------------


class Suggestion(models.Model):
    """A patron asks the network to buy something (public account or desk)."""

    class State(models.TextChoices):
        NEW = "new", _("to examine")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    patron = models.ForeignKey(
        "patrons.Patron",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        verbose_name=_("patron"),
    )
    library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=17, blank=True)
    why = models.TextField(_("why"), blank=True)
    wants_hold = models.BooleanField(_("put me on hold when it arrives"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.NEW)
    refusal_reason = models.CharField(_("reason"), max_length=500, blank=True)
    record = models.ForeignKey(
        Record, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_on_list = models.ForeignKey(
        SelectionTitle, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    line = models.ForeignKey(
        OrderLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    hold_placed = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("suggested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase suggestion")
        verbose_name_plural = _("purchase suggestions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


# Alerts that feed purchasing -----------------------------------------------------------------


class HoldsRatio(models.Model):
    """How many waiting holds per holdable copy a record of this item type may have before it
    is an alert (libraries use about 4 for books, 6 for DVDs, 10 for games). The row without
    an item type holds for every type that has no row of its own."""

    item_type = models.OneToOneField(
        ItemType,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("item type"),
    )
    holds_per_copy = models.PositiveSmallIntegerField(
        _("holds per copy at most"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("holds ratio")
        verbose_name_plural = _("holds ratios")

    def __str__(self) -> str:
        return f"{self.item_type or '*'}: {self.holds_per_copy}"


# Supplies bought together (fournitures) ----------------------------------------------------------


class SupplyKind(models.TextChoices):
    COVERING = "covering", _("covering film")
    LABELS = "labels", _("labels")
    BARCODES = "barcodes", _("barcode labels")
    RFID = "rfid", _("RFID tags")
    BOXES = "boxes", _("boxes")
    REPAIR = "repair", _("repair materials")
    OTHER = "other", _("other supplies")


class SupplyArticle(models.Model):
    """A supply the network buys together. `in_stock` is the workshop's stock; at or below
    `reorder_at`, `reorder_quantity` goes into the next network order for the workshop."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=SupplyKind, default=SupplyKind.OTHER)
    unit = models.CharField(
        _("unit"), max_length=60, help_text=_("E.g. roll of 50 m, box of 1,000")
    )
    unit_price = money(9, verbose_name=_("unit price excl. VAT"), null=True, blank=True)
    in_stock = models.PositiveIntegerField(_("in stock at the workshop"), default=0)
    reorder_at = models.PositiveIntegerField(
        _("low stock at"),
        default=0,
        help_text=_("At or below this stock, the next network order gets a line for the workshop."),
    )
    reorder_quantity = models.PositiveIntegerField(_("quantity to reorder"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supply article")
        verbose_name_plural = _("supply articles")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def low(self) -> bool:
        return self.in_stock <= self.reorder_at and self.reorder_quantity > 0


class SupplyOrder(models.Model):
    """The network's supplies order of a season: each library puts in its needs, one supplier
    delivers to the receiving library (the workshop or the head library), which splits it."""

    class State(models.TextChoices):
        OPEN = "open", _("taking needs")
        SENT = "sent", _("sent")
        RECEIVED = "received", _("received and split")

    season = models.CharField(_("season"), max_length=100)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="supply_orders", verbose_name=_("supplier")
    )
    receiving_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="+", verbose_name=_("delivered to")
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    needs_by = models.DateField(_("needs to give by"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplies order")
        verbose_name_plural = _("supplies orders")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.season


class SupplyNeed(models.Model):
    """A library's quantity of an article in a network order; no library: the workshop's own
    stock (a low-stock line, or the workshop's need)."""

    order = models.ForeignKey(SupplyOrder, on_delete=models.CASCADE, related_name="needs")
    article = models.ForeignKey(SupplyArticle, on_delete=models.PROTECT, related_name="+")
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    low_stock = models.BooleanField(_("added for low stock"), default=False)

    class Meta:
        verbose_name = _("supplies need")
        verbose_name_plural = _("supplies needs")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "article", "library"], name="supply_need_once"
            ),
            models.UniqueConstraint(
                fields=["order", "article"],
                condition=models.Q(library__isnull=True),
                name="supply_workshop_need_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.article_id}×{self.quantity}"
