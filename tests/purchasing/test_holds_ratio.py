"""The holds-ratio alert: titles whose waiting holds pass N per holdable copy, N per item type
as data, copies on order counted; in the network or at one library; one click onto a list."""

import pytest
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Hold, HoldStatus
from maillon.purchasing import holds_ratio
from maillon.purchasing.models import HoldsRatio, SelectionTitle, TitleSource
from maillon.purchasing.services import PurchasingError


@pytest.fixture
def demand(ratios, network, make_record, make_item, holds_on, make_patron):
    """A novel: 1 copy at AAA, 5 holds at AAA and 2 at BBB (and one fulfilled, not counted).
    A film: 2 DVDs at AAA, one on order, 12 holds. A lost book: no copy left, 1 hold."""
    novel, film, lost = make_record("Roman"), make_record("Film"), make_record("Perdu")
    make_item(novel, network["a"])
    make_item(novel, network["a"], status=ItemStatus.WITHDRAWN)
    holds_on(novel, network["a"], 5)
    holds_on(novel, network["b"], 2)
    Hold.objects.create(
        record=novel,
        patron=make_patron("Servi"),
        pickup_library=network["a"],
        status=HoldStatus.FULFILLED,
    )
    make_item(film, network["a"], item_type="DVD")
    make_item(film, network["a"], item_type="DVD", status=ItemStatus.ON_ORDER)
    holds_on(film, network["a"], 12)
    make_item(lost, network["a"], status=ItemStatus.LOST)
    holds_on(lost, network["a"], 1)
    return {"novel": novel, "film": film, "lost": lost}


def _by_title(found):
    return {a.record.title: a for a in found}


def test_the_network_alerts_with_copies_on_order_counted(demand):
    found = _by_title(holds_ratio.alerts())
    assert set(found) == {"Roman", "Perdu"}  # the film: 12 holds, 2 DVDs × 6
    novel = found["Roman"]
    assert (novel.holds, novel.copies, novel.threshold, novel.to_buy) == (7, 1, 4, 1)
    assert found["Perdu"].copies == 0 and found["Perdu"].ratio is None
    assert list(found) == ["Perdu", "Roman"]  # no copy at all comes first


def test_a_copy_on_order_less_makes_the_film_an_alert(demand, network, holds_on):
    holds_on(demand["film"], network["b"], 1)  # 13 > 2 × 6
    film = _by_title(holds_ratio.alerts())["Film"]
    assert (film.holds, film.copies, film.on_order, film.threshold) == (13, 2, 1, 6)


def test_a_threshold_is_data(demand, staff):
    dvd = HoldsRatio.objects.get(item_type__code="DVD").item_type
    holds_ratio.save_ratios(staff["coordinator"], "8", {dvd.pk: "5"})
    found = _by_title(holds_ratio.alerts())
    assert set(found) == {"Perdu", "Film"}  # the novel: 7 holds ≤ 8 × 1
    assert AuditEntry.objects.filter(action="holds_ratios_changed").exists()
    holds_ratio.save_ratios(staff["coordinator"], "4", {dvd.pk: ""})  # DVDs take the default
    assert not HoldsRatio.objects.filter(item_type=dvd).exists()
    assert _by_title(holds_ratio.alerts())["Film"].threshold == 4


def test_at_one_library_its_pickups_against_its_copies(demand, network):
    at_b = _by_title(holds_ratio.alerts(network["b"]))
    assert set(at_b) == {"Roman"}
    assert (at_b["Roman"].holds, at_b["Roman"].copies, at_b["Roman"].to_buy) == (2, 0, 1)
    at_a = _by_title(holds_ratio.alerts(network["a"]))
    assert set(at_a) == {"Roman", "Perdu"}
    assert at_a["Roman"].holds == 5


@pytest.mark.parametrize("value", ["0", "abc", "101", "-2"])
def test_a_bad_threshold_is_refused_and_nothing_changes(demand, staff, value):
    with pytest.raises(PurchasingError) as refused:
        holds_ratio.save_ratios(staff["coordinator"], value, {})
    assert refused.value.code == "ratio_invalid" and "nombre entier" in refused.value.message
    assert HoldsRatio.objects.get(item_type=None).holds_per_copy == 4


def test_only_the_coordinator_sets_thresholds(demand, desk, client_fr):
    client_fr.force_login(desk["a"])
    url = reverse("purchasing:holds_thresholds")
    assert client_fr.get(url).status_code == 200
    assert client_fr.post(url, {"n-default": "9"}).status_code == 403
    assert HoldsRatio.objects.get(item_type=None).holds_per_copy == 4


def test_the_thresholds_page_keeps_what_was_typed(demand, staff, client_fr):
    client_fr.force_login(staff["coordinator"])
    url = reverse("purchasing:holds_thresholds")
    page = client_fr.post(url, {"n-default": "trois"}).content.decode()
    assert "nombre entier" in page and 'value="trois"' in page
    response = client_fr.post(url, {"n-default": "3"})
    assert response.status_code == 302
    assert HoldsRatio.objects.get(item_type=None).holds_per_copy == 3


def test_the_report_puts_a_title_on_a_list_in_one_click(
    demand, network, desk, client_fr, open_today
):
    client_fr.force_login(desk["a"])
    home = client_fr.get(reverse("purchasing:home")).content.decode()
    assert reverse("purchasing:holds_ratio") in home
    url = reverse("purchasing:holds_ratio") + "?bibliotheque="
    page = client_fr.get(url).content.decode()
    assert "Roman" in page and "Perdu" in page and "Film" not in page
    assert reverse("purchasing:propose_holds") in page and open_today.name in page

    form = {"list": open_today.pk, "record": demand["novel"].pk, "bibliotheque": "", "next": url}
    response = client_fr.post(reverse("purchasing:propose_holds"), form)
    assert response.status_code == 302 and response["Location"] == url
    title = SelectionTitle.objects.get(selection=open_today)
    assert title.record == demand["novel"] and title.source == TitleSource.HOLDS
    assert title.note == (
        "Ratio de réservations : 7 réservations pour 1 exemplaire (seuil de 4 par exemplaire)"
    )


def test_a_volunteer_reads_the_report_without_the_button(demand, desk, client_fr, open_today):
    client_fr.force_login(desk["volunteer"])
    page = client_fr.get(reverse("purchasing:holds_ratio") + "?bibliotheque=").content.decode()
    assert "Roman" in page and reverse("purchasing:propose_holds") not in page
    form = {"list": open_today.pk, "record": demand["novel"].pk}
    assert client_fr.post(reverse("purchasing:propose_holds"), form).status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_report_exports(demand, desk, client_fr, network, fmt):
    client_fr.force_login(desk["a"])
    url = reverse("purchasing:holds_ratio") + f"?bibliotheque={network['b'].code}&format={fmt}"
    response = client_fr.get(url)
    assert response.status_code == 200
    assert f"ratio-reservations-{network['b'].code}.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert lines[1].startswith("Roman;") and lines[1].endswith(";2;0;0;4;1")
