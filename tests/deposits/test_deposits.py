"""The MD's deposits: lent and taken back in bulk at exchange sessions, within the level's
quotas, circulating at the library like its own, lost items listed for billing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maillon.audit.services import entries_for
from maillon.catalogue.models import Item, ItemStatus, md_stock
from maillon.circulation.models import Transfer
from maillon.circulation.services import checkin, checkout, receive_transfer
from maillon.deposits import services
from maillon.deposits.models import DepositEntry, ExchangeSession
from tests.circulation.conftest import TODAY
from tests.deposits.conftest import DAY


def _codes(result):
    return [item.barcode for item in result.done]


def test_lend_and_take_back_in_bulk(md_staff, deposit, bus, md_item, network):
    items = [md_item() for _n in range(3)]
    result = services.lend(md_staff, bus, [i.barcode for i in items])
    assert _codes(result) == [i.barcode for i in items] and result.refused == []
    for item in items:
        item.refresh_from_db()
        assert (item.owner_id, item.home_id, item.current_id) == (
            network["md"].pk,
            network["a"].pk,
            network["a"].pk,
        )
        assert item.status == ItemStatus.AVAILABLE
        assert "deposit_lent" in entries_for(item).values_list("action", flat=True)
    entry = DepositEntry.objects.get(item=items[0])
    assert entry.due_on == dt.date(2026, 9, 10)  # six months at this level

    later = services.open_session(md_staff, deposit, DAY + dt.timedelta(days=120), "on_site")
    back = services.take_back(md_staff, later, [items[0].barcode, items[1].barcode])
    assert _codes(back) == [items[0].barcode, items[1].barcode]
    items[0].refresh_from_db()
    assert (items[0].home_id, items[0].current_id) == (network["md"].pk, network["md"].pk)
    summary = services.summary(deposit, DAY)
    assert summary.total == 1
    # Lent again later: a new entry, the old one kept as history.
    services.lend(md_staff, later, [items[0].barcode])
    assert DepositEntry.objects.filter(item=items[0]).count() == 2


def test_one_session_per_library_and_date(md_staff, deposit, bus):
    again = services.open_session(md_staff, deposit, DAY, ExchangeSession.Kind.ON_SITE)
    assert again.pk == bus.pk
    assert ExchangeSession.objects.filter(library=deposit.library, day=DAY).count() == 1


def test_bad_barcodes_are_refused_in_french(md_staff, deposit, bus, md_item, make_item, book):
    own = make_item(book)  # the library's own book
    ok = md_item()
    with_french = services.lend(md_staff, bus, ["NOPE", own.barcode, ok.barcode, ok.barcode])
    assert _codes(with_french) == [ok.barcode]
    messages = dict(with_french.refused)
    assert "NOPE" in messages and own.barcode in messages
    again = services.lend(md_staff, bus, [ok.barcode])
    assert again.done == [] and [code for code, _m in again.refused] == [ok.barcode]
    never = md_item()
    back = services.take_back(md_staff, bus, [never.barcode, "NOPE"])
    assert back.done == [] and {code for code, _m in back.refused} == {never.barcode, "NOPE"}


def test_french_messages(md_staff, bus, md_item, make_item, book):
    from django.utils import translation

    own = make_item(book)
    lent = md_item()
    services.lend(md_staff, bus, [lent.barcode])
    with translation.override("fr"):
        result = services.lend(md_staff, bus, ["INCONNU", own.barcode, lent.barcode])
        back = services.take_back(md_staff, bus, [md_item().barcode])
    messages = dict(result.refused)
    assert messages["INCONNU"] == "Aucun exemplaire n’a le code-barres INCONNU."
    assert messages[own.barcode] == (
        f"L’exemplaire {own.barcode} n’appartient pas à la médiathèque départementale : "
        "seuls ses documents partent en dépôt."
    )
    assert messages[lent.barcode] == (
        f"L’exemplaire {lent.barcode} est déjà en dépôt à la Bibliothèque AAA "
        "(depuis le mardi 10 mars 2026)."
    )
    assert "n’a jamais été déposé à la Bibliothèque AAA" in back.refused[0][1]


def test_quotas_refuse_or_warn_as_the_level_says(md_staff, bus, md_item):
    dvds = [md_item(item_type="DVD") for _n in range(2)]
    books = [md_item() for _n in range(5)]
    result = services.lend(md_staff, bus, [d.barcode for d in dvds])
    assert _codes(result) == [dvds[0].barcode]
    assert dvds[1].barcode in dict(result.refused)
    assert "DVD" in dict(result.refused)[dvds[1].barcode]
    result = services.lend(md_staff, bus, [b.barcode for b in books])
    # The total (5) only warns: the sixth item goes, with a warning.
    assert len(result.done) == 5 and len(result.warnings) == 1
    summary = services.summary(bus.deposit, DAY)
    assert summary.total == 6
    assert [line.over for line in summary.quotas] == [True, False]


def test_deposited_items_circulate_like_the_library_own(
    md_staff, desk, bus, md_item, make_patron, network
):
    item = md_item()
    services.lend(md_staff, bus, [item.barcode])
    patron = make_patron()
    checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    # On loan: it stays in the deposit until the reader returns it.
    back = services.take_back(md_staff, bus, [item.barcode])
    assert back.done == [] and item.barcode in dict(back.refused)
    # Returned at another library: routed home, to the library holding the deposit.
    checkin(desk["b"], network["b"], item.barcode, today=TODAY)
    transfer = Transfer.objects.get(item=item, received_at__isnull=True)
    assert transfer.to_library_id == network["a"].pk
    # Statistics tell MD stock from own stock by the owner.
    assert Item.objects.filter(md_stock(), home=network["a"]).count() == 1


def test_lost_items_are_listed_for_billing(md_staff, desk, bus, md_item):
    from maillon.catalogue import items as item_service

    gone = md_item(price=25)
    kept = md_item(price=10)
    services.lend(md_staff, bus, [gone.barcode, kept.barcode])
    item_service.mark_lost(desk["a"], gone)
    summary = services.summary(bus.deposit, DAY)
    assert [e.item_id for e in summary.lost] == [gone.pk] and summary.lost_value == 25
    rows = services.lost_rows([bus.deposit])
    assert len(rows) == 2 and rows[1][2] == gone.barcode and rows[1][6] == 25
    # Found and brought back at the next exchange: no longer to bill.
    services.take_back(md_staff, bus, [gone.barcode])
    gone.refresh_from_db()
    assert gone.status == ItemStatus.AVAILABLE and gone.current_id == bus.deposit.md_id
    assert services.summary(bus.deposit, DAY).lost == []


def test_shuttle_session_and_send_back_travel_as_transfers(
    md_staff, desk, deposit, md_item, network
):
    shuttle = services.open_session(md_staff, deposit, DAY, ExchangeSession.Kind.SHUTTLE)
    item = md_item()
    services.lend(md_staff, shuttle, [item.barcode])
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRANSIT and item.home_id == network["a"].pk
    receive_transfer(desk["a"], network["a"], item.barcode, today=TODAY)
    item.refresh_from_db()
    assert item.status == ItemStatus.AVAILABLE and item.current_id == network["a"].pk
    result = services.send_back(desk["a"], deposit, [item.barcode], TODAY)
    assert _codes(result) == [item.barcode]
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_TRANSIT and item.home_id == network["md"].pk
    assert not DepositEntry.objects.filter(item=item, returned_on__isnull=True).exists()


def test_requests_asked_by_the_library_answered_by_the_md(md_staff, desk, deposit):
    asked = services.ask(desk["a"], deposit, "Albums sur la mer pour une classe")
    with pytest.raises(PermissionDenied):
        services.answer(desk["a"], asked, "sent")
    services.answer(md_staff, asked, "sent", "12 albums partis mardi")
    with pytest.raises(services.DepositError) as error:
        services.answer(md_staff, asked, "declined")
    assert error.value.code == "already_answered"


def test_only_the_md_lends_and_opens(desk, deposit, bus, md_item, network, level):
    with pytest.raises(PermissionDenied):
        services.lend(desk["a"], bus, [md_item().barcode])
    with pytest.raises(PermissionDenied):
        services.open_deposit(desk["a"], network["md"], network["b"], level, DAY)


def test_one_open_deposit_per_library(md_staff, deposit, network, level):
    with pytest.raises(services.DepositError) as error:
        services.open_deposit(md_staff, network["md"], network["a"], level, DAY)
    assert error.value.code == "deposit_open"


def test_closed_session_refuses_scans(md_staff, bus, md_item):
    services.close_session(md_staff, bus)
    with pytest.raises(services.DepositError) as error:
        services.lend(md_staff, bus, [md_item().barcode])
    assert error.value.code == "session_closed"


def test_lending_respects_the_library_capacity(md_staff, bus, md_item, network, staff):
    """The library's caps hold for deposits as for lots: the items beyond are refused, the
    others go."""
    from maillon.circulation import capacity
    from maillon.network.models import Role

    here = Item.objects.filter(home=network["a"]).count()
    capacity.set_capacity(
        staff[Role.COORDINATOR], network["a"], max_items=here + 1, max_copies=None
    )
    items = [md_item() for _n in range(3)]
    result = services.lend(md_staff, bus, [i.barcode for i in items])
    assert _codes(result) == [items[0].barcode]
    assert [code for code, _why in result.refused] == [items[1].barcode, items[2].barcode]
    assert all(network["a"].name in why for _code, why in result.refused)
    items[1].refresh_from_db()
    assert items[1].home_id == network["md"].pk  # refused: nothing moved


def test_a_request_is_linked_to_the_items_that_answered_it(
    md_staff, desk, deposit, bus, md_item, network
):
    asked = services.ask(desk["a"], deposit, "Des albums sur la mer")
    sent, other = md_item("La mer"), md_item("Pas prêté")
    services.lend(md_staff, bus, [sent.barcode])
    with pytest.raises(services.DepositError) as error:
        services.answer(md_staff, asked, "sent", barcodes=[sent.barcode, other.barcode])
    assert error.value.code == "not_on_deposit" and other.barcode in error.value.message
    with pytest.raises(services.DepositError) as error:
        services.answer(md_staff, asked, "declined", barcodes=[sent.barcode])
    assert error.value.code == "declined_with_items"
    asked.refresh_from_db()
    assert asked.state == "open"  # nothing half done
    services.answer(md_staff, asked, "sent", "parti mardi", session=bus, barcodes=[sent.barcode])
    assert list(asked.items.all()) == [sent]
