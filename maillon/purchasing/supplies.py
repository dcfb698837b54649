"""Supplies bought together (fournitures): covering film, labels, barcode labels, RFID tags,
boxes, repair materials. Each season the coordinator opens a network order with one supplier;
every library puts in its quantities; the order is sent, then received by the workshop (or the
head library), which splits it: each library's share to send, the workshop's share into its
stock. An article at or below its low-stock threshold gets a line for the workshop in the next
network order (when the order opens, or when the stock falls while one is open).

Locks: the order's row for every change of its needs or state; the articles' rows, in id
order, for every change of stock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.core.errors import Kind
from maillon.network.models import Library, LibraryKind
from maillon.network.permissions import Action, require
from maillon.purchasing.models import Supplier, SupplyArticle, SupplyNeed, SupplyOrder
from maillon.purchasing.services import PurchasingError
from maillon.workshop.models import Workshop


def workshop_library() -> Library | None:
    """Where supplies are delivered and kept: the workshop, else the head library."""
    workshop = Workshop.objects.select_related("library").first()
    if workshop is not None:
        return workshop.library
    return Library.objects.filter(kind=LibraryKind.HEAD).order_by("pk").first()


def open_order() -> SupplyOrder | None:
    return SupplyOrder.objects.filter(state=SupplyOrder.State.OPEN).order_by("-pk").first()


def _lock_order(order: SupplyOrder) -> SupplyOrder:
    return (
        SupplyOrder.objects.select_for_update(of=("self",))
        .select_related("supplier", "receiving_library")
        .get(pk=order.pk)
    )


def _require_state(order: SupplyOrder, state: str) -> None:
    if order.state != state:
        messages: dict[str, str] = {
            SupplyOrder.State.OPEN: _("The order “%(season)s” is sent: its needs are fixed."),
            SupplyOrder.State.SENT: _("The order “%(season)s” is not awaiting delivery."),
        }
        raise PurchasingError(
            "supply_order_state", messages[state] % {"season": order.season}, kind=Kind.CONFLICT
        )


def _add_low_stock(order: SupplyOrder) -> list[SupplyNeed]:
    """A workshop line for each low article the open order lacks (the order is locked)."""
    taken = set(order.needs.filter(library=None).values_list("article_id", flat=True))
    added = [
        SupplyNeed(
            order=order, article=a, library=None, quantity=a.reorder_quantity, low_stock=True
        )
        for a in SupplyArticle.objects.filter(active=True).order_by("pk")
        if a.low and a.pk not in taken
    ]
    return SupplyNeed.objects.bulk_create(added)


def create_order(
    actor,
    season: str,
    supplier: Supplier,
    needs_by: dt.date | None,
    *,
    receiving_library: Library | None = None,
    today: dt.date | None = None,
) -> SupplyOrder:
    """A network order for the season (the coordinator), with a workshop line for every
    article in low stock. Codes: season_missing, needs_by_past, no_receiving_library."""
    require(actor, Action.ADMINISTER)
    season = (season or "").strip()
    if not season:
        raise PurchasingError(
            "season_missing",
            _("Name the season (e.g. Printemps 2026)."),
            field="season",
            kind=Kind.INVALID,
        )
    if needs_by is None or needs_by < (today or timezone.localdate()):
        raise PurchasingError(
            "needs_by_past",
            _("The date for the libraries' needs is today or later."),
            field="needs_by",
            kind=Kind.INVALID,
        )
    receiving_library = receiving_library or workshop_library()
    if receiving_library is None:
        raise PurchasingError(
            "no_receiving_library",
            _("The network has neither a workshop nor a head library to receive supplies."),
        )
    with transaction.atomic():
        order = SupplyOrder.objects.create(
            season=season[:100],
            supplier=supplier,
            receiving_library=receiving_library,
            needs_by=needs_by,
            created_by=actor,
        )
        _add_low_stock(order)
        audit("supply_order_created", order, actor=actor)
    return order


def _quantity(value: object, article: SupplyArticle) -> int:
    text = str(value if value is not None else "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise PurchasingError(
            "quantity_invalid",
            _("%(article)s: a quantity is a whole number, zero or more (“%(value)s”).")
            % {"article": article.name, "value": text},
            kind=Kind.INVALID,
        )
    return int(text)


def set_needs(
    actor, order: SupplyOrder, library: Library | None, quantities: Mapping[int, object]
) -> None:
    """A library's quantities per article id (0 or empty: none); library None is the
    workshop's own need (managers of the receiving library). Nothing changes if one quantity
    is wrong. Codes: quantity_invalid, supply_order_state."""
    require(actor, Action.MANAGE, library or order.receiving_library_id)
    articles = SupplyArticle.objects.in_bulk(list(quantities))
    wanted = {pk: _quantity(value, articles[pk]) for pk, value in quantities.items()}
    with transaction.atomic():
        order = _lock_order(order)
        _require_state(order, SupplyOrder.State.OPEN)
        mine = order.needs.filter(library=library)
        for pk, quantity in wanted.items():
            if quantity == 0:
                mine.filter(article_id=pk).delete()
            else:
                SupplyNeed.objects.update_or_create(
                    order=order,
                    article_id=pk,
                    library=library,
                    defaults={"quantity": quantity},
                )
        audit(
            "supply_needs_set",
            order,
            actor=actor,
            library=library or order.receiving_library_id,
            details={"purchase_quantity": sum(wanted.values())},
        )


def send(actor, order: SupplyOrder) -> SupplyOrder:
    """The needs are fixed and the order leaves for the supplier (the coordinator).
    Codes: supply_order_state, order_empty."""
    require(actor, Action.ADMINISTER)
    with transaction.atomic():
        order = _lock_order(order)
        _require_state(order, SupplyOrder.State.OPEN)
        if not order.needs.exists():
            raise PurchasingError("order_empty", _("No library gave a quantity yet."))
        order.state = SupplyOrder.State.SENT
        order.sent_at = timezone.now()
        order.save(update_fields=["state", "sent_at"])
        audit("supply_order_sent", order, actor=actor)
    return order


def receive(actor, order: SupplyOrder) -> SupplyOrder:
    """The delivery came to the receiving library, which splits it: the workshop's lines go
    into its stock, each library's share is to be sent to it. Code: supply_order_state."""
    require(actor, Action.MANAGE, order.receiving_library_id)
    with transaction.atomic():
        order = _lock_order(order)
        _require_state(order, SupplyOrder.State.SENT)
        kept = dict(order.needs.filter(library=None).values_list("article_id", "quantity"))
        for article in SupplyArticle.objects.select_for_update().filter(pk__in=kept).order_by("pk"):
            article.in_stock += kept[article.pk]
            article.save(update_fields=["in_stock"])
        order.state = SupplyOrder.State.RECEIVED
        order.received_at = timezone.now()
        order.save(update_fields=["state", "received_at"])
        audit("supply_order_received", order, actor=actor, library=order.receiving_library_id)
    return order


def use(actor, article: SupplyArticle, quantity: int | str) -> SupplyArticle:
    """The workshop takes supplies from its stock; a stock falling low puts a line into the
    open network order. Codes: quantity_invalid, not_enough_stock."""
    library = workshop_library()
    require(actor, Action.MANAGE, library)
    count = _quantity(quantity, article)
    if count <= 0:
        raise PurchasingError(
            "quantity_invalid", _("Take one or more."), field="quantity", kind=Kind.INVALID
        )
    with transaction.atomic():
        pending = open_order()
        if pending is not None:
            pending = _lock_order(pending)  # the order first, as every path locks them
        article = SupplyArticle.objects.select_for_update().get(pk=article.pk)
        if count > article.in_stock:
            raise PurchasingError(
                "not_enough_stock",
                _("Only %(n)d left of %(article)s at the workshop.")
                % {"n": article.in_stock, "article": article.name},
                field="quantity",
                kind=Kind.CONFLICT,
            )
        article.in_stock -= count
        article.save(update_fields=["in_stock"])
        audit(
            "supplies_used",
            article,
            actor=actor,
            library=library,
            details={"purchase_quantity": count},
        )
        if pending is not None and pending.state == SupplyOrder.State.OPEN and article.low:
            _add_low_stock(pending)
    return article


def save_article(actor, article: SupplyArticle) -> SupplyArticle:
    """An article's description, price, stock and low-stock rule (the coordinator)."""
    require(actor, Action.ADMINISTER)
    article.name = (article.name or "").strip()
    if not article.name:
        raise PurchasingError(
            "name_missing", _("Give the article's name."), field="name", kind=Kind.INVALID
        )
    with transaction.atomic():
        creating = article.pk is None
        article.save()
        audit(
            "supply_article_created" if creating else "supply_article_changed", article, actor=actor
        )
    return article


# Reading an order ---------------------------------------------------------------------------


@dataclass
class Grid:
    """Quantities per article (rows) and library (columns; None: the workshop)."""

    columns: list[Library | None]
    rows: list[tuple[SupplyArticle, list[int], int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(total for _a, _q, total in self.rows)


def grid(order: SupplyOrder) -> Grid:
    needs = list(order.needs.select_related("article", "library"))
    libraries = {n.library_id: n.library for n in needs}
    named: list[Library] = [lib for lib in libraries.values() if lib is not None]
    columns: list[Library | None] = [*sorted(named, key=lambda lib: lib.name)]
    if None in libraries:
        columns.append(None)
    by_article: dict[int, dict[int | None, int]] = {}
    articles: dict[int, SupplyArticle] = {}
    for need in needs:
        articles[need.article_id] = need.article
        by_article.setdefault(need.article_id, {})[need.library_id] = need.quantity
    found = Grid(columns)
    for pk, article in sorted(articles.items(), key=lambda kv: (kv[1].kind, kv[1].name)):
        counts = [by_article[pk].get(lib.pk if lib else None, 0) for lib in columns]
        found.rows.append((article, counts, sum(counts)))
    return found


def shares(order: SupplyOrder) -> list[tuple[Library | None, list[SupplyNeed]]]:
    """Each library's share of the delivery (the workshop's last), to split it."""
    by_library: dict[int | None, list[SupplyNeed]] = {}
    for need in order.needs.select_related("article", "library").order_by(
        "library__name", "article__kind", "article__name"
    ):
        by_library.setdefault(need.library_id, []).append(need)
    found = [(needs[0].library, needs) for key, needs in by_library.items() if key is not None]
    if None in by_library:
        found.append((None, by_library[None]))
    return found
