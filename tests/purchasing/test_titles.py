"""Titles by ISBN: stdnum's checks with French messages, the catalogue first, then the BnF (a
local server replaying real SRU answers), else a short record described by hand."""

import pytest
from django.urls import reverse

from maillon.catalogue.models import Record
from maillon.purchasing import titles
from maillon.purchasing.models import SelectionTitle, TitleSource
from tests.catalogue.test_copy_cataloguing import bnf  # noqa: F401 - the replaying server
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("978-2-07-054127-1", "clé de contrôle"),
        ("97820705412", "10 ou 13 chiffres"),
        ("abc", "n’est pas un ISBN"),
    ],
)
def test_an_invalid_isbn_is_refused_in_french(value, words):
    with pytest.raises(titles.PurchasingError) as error:
        titles.valid_isbn(value)
    assert error.value.code == "isbn_invalid"
    assert words in error.value.message


def test_isbn_10_and_13_are_one_isbn():
    assert titles.valid_isbn("2-07-054127-4") == titles.valid_isbn("978-2-07-054127-0")


def test_an_isbn_unknown_here_comes_from_the_bnf(bnf, staff, network, types):  # noqa: F811
    record, from_bnf = titles.by_isbn(staff["coordinator"], network["a"], "978-2-07-054127-0")
    assert from_bnf and record.isbn == "9782070541270" and record.title
    again, from_bnf = titles.by_isbn(staff["coordinator"], network["a"], "2070541274")
    assert again == record and not from_bnf
    assert Record.objects.count() == 1


def test_an_isbn_nobody_knows_is_described_by_hand(
    client_fr,
    bnf,  # noqa: F811
    staff,
    open_today,
    types,
):
    client_fr.login(username="coord", password=PASSWORD)
    response = client_fr.post(
        reverse("purchasing:propose_isbn", args=[open_today.pk]),
        {"isbn": "978-2-266-11156-0", "public_price": "8,10"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ni le catalogue ni la BnF" in page
    assert 'name="title"' in page and "8,10" in page  # the by-hand form keeps the price
    response = client_fr.post(
        reverse("purchasing:propose_by_hand", args=[open_today.pk]),
        {
            "title": "Un titre rare",
            "author": "Auteur, Anne",
            "isbn": "978-2-266-11156-0",
            "public_price": "8,10",
        },
    )
    assert response.status_code == 302
    title = SelectionTitle.objects.get()
    assert title.record.title == "Un titre rare" and title.record.isbn == "9782266111560"
    assert str(title.public_price) == "8.10" and title.source == TitleSource.ISBN


def test_the_bnf_unreachable_leaves_the_by_hand_form(client_fr, staff, open_today, settings):
    settings.MAILLON_SRU_URL = "http://127.0.0.1:9/api/SRU"
    client_fr.login(username="coord", password=PASSWORD)
    page = client_fr.post(
        reverse("purchasing:propose_isbn", args=[open_today.pk]), {"isbn": "9782070541270"}
    ).content.decode()
    assert "injoignable" in page and 'name="title"' in page
