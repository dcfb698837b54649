"""Orders built from commitments per supplier and library, reviewed and sent (PDF, xlsx);
sending creates the copies on order, which patrons may hold; late lines claimed; lines
cancelled with a reason."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation import holds
from maillon.circulation.errors import CirculationError
from maillon.circulation.loans import checkout
from maillon.purchasing import documents, orders, services
from maillon.purchasing.models import Commitment, Order, OrderedItem, OrderLine
from tests.circulation_fixtures import TODAY
from tests.conftest import PASSWORD


def test_orders_are_built_per_library_keeping_each_fund(committed, season, bookseller, desk):
    built = orders.build_from_list(desk["head"], season, bookseller)
    assert sorted(o.library.code for o in built.orders) == ["AAA", "BBB"]
    a = next(o for o in built.orders if o.library.code == "AAA")
    assert a.state == Order.State.DRAFT and a.number.startswith("CMD")
    lines = {line.record.title: line for line in a.lines.select_related("record", "fund")}
    assert lines["Veiller sur elle"].quantity == 2 and lines["Veiller sur elle"].fund.code == "ADU"
    assert lines["La Tresse"].fund.code == "JEU"
    line = lines["Veiller sur elle"]
    assert line.public_price == Decimal("22.50") and line.discount == Decimal("9.00")
    assert line.net_price == Decimal("20.48") and line.vat_rate == Decimal("5.50")
    assert not Commitment.objects.filter(line__isnull=True).exists()
    with pytest.raises(services.PurchasingError) as error:
        orders.build_from_list(desk["head"], season, bookseller)
    assert error.value.code == "nothing_to_order"


def test_a_librarian_builds_only_her_librarys_order(committed, season, bookseller, desk):
    built = orders.build_from_list(desk["a"], season, bookseller)
    assert [o.library.code for o in built.orders] == ["AAA"]
    assert Commitment.objects.filter(line__isnull=True).count() == 1  # BBB's


def test_commitments_move_from_planned_to_ordered(committed, season, bookseller, desk, funds):
    before = services.figures_of(funds["a"])
    assert before.planned == Decimal("45.00") and before.ordered == 0
    orders.build_from_list(desk["a"], season, bookseller)
    after = services.figures_of(funds["a"])
    assert after.planned == 0 and after.ordered == Decimal("40.96")
    assert after.committed == Decimal("40.96") and after.left == Decimal("959.04")


def test_titles_without_a_price_stay_out_named(committed, season, bookseller, desk):
    committed["free"].public_price = None
    committed["free"].save()
    built = orders.build_from_list(desk["a"], season, bookseller)
    assert built.unpriced == ["La Tresse"]
    assert OrderLine.objects.count() == 1


def test_sending_creates_copies_on_order_that_patrons_may_hold(
    sent_order, network, make_patron, desk
):
    assert sent_order.state == Order.State.SENT and sent_order.sent_at
    on_order = Item.objects.filter(status=ItemStatus.ON_ORDER)
    assert on_order.count() == 3 and OrderedItem.objects.count() == 3
    item = on_order.select_related("record").first()
    assert item.home == network["a"] and item.price is not None
    hold = holds.place_own_hold(make_patron(), item.record, network["b"], today=TODAY)
    assert hold.target_id is None  # nothing on a shelf yet: the hold waits
    with pytest.raises(CirculationError) as error:
        checkout(desk["a"], network["a"], make_patron("Roux"), item, today=TODAY)
    assert error.value.code == "not_for_loan"
    with pytest.raises(services.PurchasingError) as error:
        orders.send(desk["a"], sent_order)
    assert error.value.code == "order_not_draft"


def test_a_draft_line_refuses_bad_input(committed, bookseller, desk, network, funds, make_record):
    order = orders.new_order(desk["a"], bookseller, network["a"])
    record = make_record("Hors liste")
    for quantity in (0, -1):
        with pytest.raises(services.PurchasingError) as error:
            orders.add_line(desk["a"], order, record, funds["a"], quantity, Decimal("10"))
        assert error.value.code == "quantity_invalid"
    with pytest.raises(services.PurchasingError) as error:
        orders.add_line(desk["a"], order, record, funds["b"], 1, Decimal("10"))
    assert error.value.code == "fund_other_library"
    with pytest.raises(services.PurchasingError) as error:
        orders.add_line(desk["a"], order, record, funds["a"], 100, Decimal("20"))
    assert error.value.code == "fund_overspent"
    line = orders.add_line(
        desk["a"], order, record, funds["a"], 100, Decimal("20"), overspent_reason="Fonds neuf"
    )
    assert line.overspent_reason == "Fonds neuf" and line.net_price == Decimal("18.20")


def test_cancelling_a_line_withdraws_its_copies_on_order(sent_order, desk):
    line = sent_order.lines.get(quantity=2)
    with pytest.raises(services.PurchasingError) as error:
        orders.cancel_line(desk["a"], line, reason=" ")
    assert error.value.code == "reason_missing"
    with pytest.raises(services.PurchasingError) as error:
        orders.cancel_line(desk["a"], line, reason="Épuisé", quantity=3)
    assert error.value.code == "quantity_invalid"
    orders.cancel_line(desk["a"], line, reason="Épuisé", quantity=1)
    line.refresh_from_db()
    assert line.cancelled == 1 and line.open_quantity == 1 and line.cancel_reason == "Épuisé"
    statuses = sorted(
        Item.objects.filter(pk__in=line.ordered_items.values("item")).values_list(
            "status", flat=True
        )
    )
    assert statuses == [ItemStatus.ON_ORDER, ItemStatus.WITHDRAWN]
    assert line.total == line.net_price  # one copy left to pay


def test_late_lines_are_claimed_with_a_letter(sent_order, desk):
    with pytest.raises(services.PurchasingError) as error:
        orders.claim(desk["a"], sent_order, today=dt.date.today())
    assert error.value.code == "nothing_late"
    later = dt.date.today() + dt.timedelta(days=16)
    late = orders.claim(desk["a"], sent_order, today=later)
    assert len(late) == 2 and all(line.claims == 1 and line.claimed_on == later for line in late)
    pdf = documents.claim_pdf(sent_order, late, later)
    assert pdf.startswith(b"%PDF")


def test_the_order_as_pdf_and_spreadsheet(client_fr, sent_order, desk):
    client_fr.login(username="libr", password=PASSWORD)
    response = client_fr.get(reverse("purchasing:order_document", args=[sent_order.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "ISBN" and len(rows) == 3
    by_title = {row[1]: row for row in rows[1:]}
    assert by_title["Veiller sur elle"][4] == 2 and by_title["Veiller sur elle"][7] == 20.48
    response = client_fr.get(reverse("purchasing:order_document", args=[sent_order.pk, "pdf"]))
    assert response.content.startswith(b"%PDF")
    page = client_fr.get(reverse("purchasing:order", args=[sent_order.pk])).content.decode()
    assert "20,48\xa0€" in page and "Total TTC" in page


def test_another_librarys_order_is_out_of_reach(client_fr, sent_order, desk):
    client_fr.login(username="libb", password=PASSWORD)
    assert client_fr.get(reverse("purchasing:order", args=[sent_order.pk])).status_code == 403
    client_fr.login(username="volunt", password=PASSWORD)
    assert client_fr.get(reverse("purchasing:order", args=[sent_order.pk])).status_code == 200
    page = client_fr.get(reverse("purchasing:order", args=[sent_order.pk])).content.decode()
    assert "Envoyer la commande" not in page and 'name="reason"' not in page
