"""The staff item and record pages show what the desk needs: who has the copy, until when,
renewals left, a transfer under way, the hold queue and which copy is chosen for it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillon.circulation.services import checkout, create_transfer, place_hold
from tests.circulation.conftest import TODAY


def test_the_item_page_of_a_copy_on_loan(client_fr, desk, network, make_patron, make_item, book):
    lent, shelved = make_item(book), make_item(book)
    reader = make_patron("Durand", "Alice")
    checkout(desk["a"], network["a"], reader.card_number, lent.barcode, today=TODAY)
    waiting = make_patron("Petit", "Jules")
    place_hold(desk["a"], network["a"], waiting, book, network["a"], today=TODAY)

    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("catalogue:item", args=[lent.barcode])).content.decode()
    assert reader.card_number in page and "Alice Durand" in page
    assert reverse("patrons:detail", args=[reader.pk]) in page
    assert "2 restantes sur 2" in page  # renewals left, from the loan rule (2 allowed)
    assert waiting.card_number in page  # the record's queue

    page = client_fr.get(reverse("catalogue:item", args=[shelved.barcode])).content.decode()
    assert "cet exemplaire" in page  # the shelved copy is the one chosen for the hold


def test_a_transfer_under_way_is_shown(client_fr, desk, network, make_item, book):
    item = make_item(book)
    create_transfer(desk["a"], network["a"], item.barcode, network["b"])
    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("catalogue:item", args=[item.barcode])).content.decode()
    assert network["b"].name in page and "pas encore envoyé" in page


def test_the_record_page_lists_loans_and_holds_in_few_queries(
    client_fr, desk, network, make_patron, make_item, book
):
    def page_queries(copies: int) -> int:
        for _ in range(copies):
            item = make_item(book)
            checkout(desk["a"], network["a"], make_patron().card_number, item.barcode, today=TODAY)
        with CaptureQueriesContext(connection) as queries:
            body = client_fr.get(reverse("catalogue:record", args=[book.pk])).content.decode()
        assert "Prêts en cours" in body
        return len(queries)

    client_fr.force_login(desk["a"])
    assert page_queries(2) == page_queries(6)  # no query per copy
