"""The deposit pages (scanner at the session, quotas and due back at the library), and the one
notion of MD stock weeding shares: a library never weeds the MD's deposited items."""

import pytest
from django.urls import reverse

from maillon.deposits import services
from maillon.deposits.models import DepositEntry
from maillon.weeding import services as weeding
from tests.weeding.conftest import default_criteria, years_ago  # noqa: F401  (fixture)


def test_session_page_scans_out_and_back_with_french_messages(
    client_fr, md_staff, bus, md_item, deposit
):
    items = [md_item(f"Album {n}") for n in range(2)]
    client_fr.force_login(md_staff)
    url = reverse("deposits:scan", args=[bus.pk, "sortie"])
    client_fr.post(url, {"barcode": items[0].barcode, "barcodes": f"{items[1].barcode}\nNOPE"})
    page = client_fr.get(reverse("deposits:session", args=[bus.pk])).content.decode()
    assert "2 documents prêtés en dépôt." in page
    assert "Aucun exemplaire n’a le code-barres NOPE." in page
    assert "Album 0" in page and "Album 1" in page
    client_fr.post(reverse("deposits:scan", args=[bus.pk, "retour"]), {"barcode": items[0].barcode})
    page = client_fr.get(reverse("deposits:session", args=[bus.pk])).content.decode()
    assert "1 document repris." in page
    detail = client_fr.get(reverse("deposits:detail", args=[deposit.pk])).content.decode()
    assert "Dépôt à la Bibliothèque AAA" in detail and "Niveau test" in detail
    listing = client_fr.get(reverse("deposits:list")).content.decode()
    assert "Bibliothèque AAA" in listing and "1 / 5" in listing


def test_a_librarian_sees_the_deposit_but_cannot_scan(client_fr, desk, bus, md_item):
    client_fr.force_login(desk["a"])
    item = md_item()
    response = client_fr.post(
        reverse("deposits:scan", args=[bus.pk, "sortie"]), {"barcode": item.barcode}
    )
    assert response.status_code == 403
    assert not DepositEntry.objects.filter(item=item).exists()
    page = client_fr.get(reverse("deposits:session", args=[bus.pk])).content.decode()
    assert "Scannez un document à prêter" not in page


@pytest.mark.usefixtures("default_criteria")
def test_weeding_leaves_deposited_items_to_the_md(
    desk, md_staff, bus, network, make_item, record_of
):
    old = record_of("Windows 98 pour les nuls", year=2001, dewey="004.16")
    deposited = make_item(old, network["md"], last_loan_at=years_ago(6))
    at_md = make_item(record_of("Windows 95", year=1999, dewey="004.16"), network["md"])
    own = make_item(record_of("Windows Vista", year=2008, dewey="004.16"), network["a"])
    services.lend(md_staff, bus, [deposited.barcode])
    proposed = {p.item_id for p in weeding.propose(network["a"], bus.day)}
    assert own.pk in proposed and deposited.pk not in proposed
    # The MD weeds its own shelves.
    assert at_md.pk in {p.item_id for p in weeding.propose(network["md"], bus.day)}
    campaign = weeding.create_campaign(desk["a"], network["a"], "Printemps")
    with pytest.raises(weeding.WeedingError) as error:
        weeding.find_by_scan(desk["a"], campaign, deposited.barcode)
    assert error.value.code == "md_deposit"


def test_quotas_are_data_the_md_edits(client_fr, md_staff, desk, level, types, bus, md_item):
    client_fr.force_login(desk["a"])
    form = {"level": level.pk, "item_type": types["DVD"].pk, "max_items": 3, "strict": "on"}
    client_fr.post(reverse("deposits:levels"), form)
    assert level.allowances.get(item_type=types["DVD"]).max_items == 1  # a librarian cannot
    client_fr.force_login(md_staff)
    client_fr.post(reverse("deposits:levels"), form)
    assert level.allowances.get(item_type=types["DVD"]).max_items == 3
    dvds = [md_item(item_type="DVD").barcode for _n in range(3)]
    assert len(services.lend(md_staff, bus, dvds).done) == 3
    page = client_fr.get(reverse("deposits:levels")).content.decode()
    assert "Niveau test" in page and "DVD" in page


def test_item_and_home_pages_say_the_deposit(client_fr, desk, md_staff, bus, md_item, network):
    item = md_item("Album de la mer")
    services.lend(md_staff, bus, [item.barcode])
    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("catalogue:item", args=[item.barcode])).content.decode()
    assert "Prêté par Bibliothèque MD à la Bibliothèque AAA depuis le 10 mars 2026" in page
    home = client_fr.get(reverse("home")).content.decode()
    assert "Dépôt de la médiathèque départementale" in home and "1 document en dépôt" in home
