"""The staff home page says the day's work in numbers, at one's library and in the network."""

import datetime as dt

from django.urls import reverse

from maillon.circulation.services import checkout, create_transfer, place_hold


def test_the_home_page_counts_the_day(client_fr, desk, network, make_patron, make_item, book):
    far = dt.date.today() + dt.timedelta(days=300)
    shelved = make_item(book)
    place_hold(desk["a"], network["a"], make_patron("Un", expires_on=far), book, network["a"])
    late = make_item(book)
    checkout(
        desk["a"],
        network["a"],
        make_patron("Deux", expires_on=far).card_number,
        late.barcode,
        today=dt.date.today() - dt.timedelta(days=90),
    )
    create_transfer(desk["a"], network["a"], make_item(book).barcode, network["b"])
    assert shelved.pk

    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("home")).content.decode()
    assert "<strong>1</strong> à prélever en rayon" in page
    assert "<strong>1</strong> à envoyer par la navette" in page
    assert "<strong>1</strong> prêts en retard" in page

    client_fr.force_login(desk["head"])  # the coordinator sees the network too
    page = client_fr.get(reverse("home")).content.decode()
    assert "Le réseau aujourd" in page and page.count("à envoyer par la navette") == 2
