"""A weeding campaign: the criteria propose, the librarian reviews at the shelf, the campaign
is confirmed once through the item service, and the procès-verbal is written."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from maillon.audit.services import entries_for
from maillon.catalogue.models import Collection, CollectionKind, Item, ItemStatus
from maillon.circulation.services import checkout, place_hold
from maillon.network.models import Role
from maillon.weeding import services
from maillon.weeding.models import Campaign, Candidate, Criterion, Deliberation
from tests.circulation.helpers import fr
from tests.weeding.conftest import TODAY, years_ago


@pytest.fixture
def shelf(network, make_item, record_of, make_patron, desk):
    """Library a's shelves: what the default criteria must and must not propose."""
    a, b = network["a"], network["b"]
    old_computing = record_of("Windows XP pour les nuls", year=TODAY.year - 12, dewey="004.16")
    new_computing = record_of("Python en pratique", year=TODAY.year, dewey="005.13")
    idle_novel = record_of("Un roman oublié", year=TODAY.year - 20, author="Durand, Paul")
    read_novel = record_of("Un roman lu", year=TODAY.year - 20)
    local = record_of("Histoire de Vasles", year=TODAY.year - 40, dewey="944.6")
    held = record_of("Un roman réservé", year=TODAY.year - 20)
    lent = record_of("Un roman prêté", year=TODAY.year - 20)
    shared = record_of("Un roman partagé", year=TODAY.year - 20)
    local_collection = Collection.objects.create(
        code="LOCVAS", name="Fonds local de Vasles", kind=CollectionKind.LOCAL
    )
    items = {
        "old_computing": make_item(old_computing, a, last_loan_at=years_ago(4)),
        "new_computing": make_item(new_computing, a),
        "idle_novel": make_item(idle_novel, a, last_loan_at=years_ago(5), loan_count=7),
        "read_novel": make_item(read_novel, a, last_loan_at=years_ago(0)),
        "local": make_item(local, a, last_loan_at=years_ago(9)),
        "held": make_item(held, a, last_loan_at=years_ago(5)),
        "lent": make_item(lent, a, last_loan_at=years_ago(5)),
        "shared": make_item(shared, a, last_loan_at=years_ago(5)),
        "shared_b": make_item(shared, b),
    }
    Item.objects.filter(pk=items["local"].pk).update(collection=local_collection)
    patron = make_patron(expires_on=TODAY.replace(year=TODAY.year + 1))
    place_hold(desk["a"], a, patron, held, a, today=TODAY)
    checkout(desk["a"], a, patron.card_number, items["lent"].barcode, today=TODAY)
    return items


def test_the_criteria_propose_and_protect(desk, network, shelf):
    campaign = services.create_campaign(desk["a"], network["a"], "Printemps")
    proposed = {c.item_id: c for c in campaign.candidates.all()}
    names = {pk: name for name, item in shelf.items() for pk in [item.pk]}
    assert {names[pk] for pk in proposed} == {"old_computing", "idle_novel", "shared"}
    old = proposed[shelf["old_computing"].pk]
    assert old.criterion.label == "Informatique" and old.reasons["age"] == 12
    novel = proposed[shelf["idle_novel"].pk]
    assert novel.reasons["idle"] == 5 and novel.reasons["loans"] == 7 and novel.last_copy
    shared = proposed[shelf["shared"].pk]
    assert not shared.last_copy and shared.reasons["elsewhere"] == 1
    assert entries_for(campaign).get(action="weeding_campaign_created").details == {"candidates": 3}


def test_a_library_s_own_criterion_comes_first(desk, network, shelf):
    Criterion.objects.create(
        library=network["a"], label="Romans (Vasles)", doc_type="text", years_without_loan=10
    )
    campaign = services.create_campaign(desk["a"], network["a"], "Strict")
    titles = set(campaign.candidates.values_list("item__record__title", flat=True))
    assert titles == {"Windows XP pour les nuls"}  # novels idle 5 years kept at this library


def test_review_confirm_and_procès_verbal(client_fr, desk, network, shelf):
    campaign = services.create_campaign(desk["a"], network["a"], "Printemps")
    old = campaign.candidates.get(item=shelf["old_computing"])
    novel = campaign.candidates.get(item=shelf["idle_novel"])
    shared = campaign.candidates.get(item=shelf["shared"])
    Deliberation.objects.create(
        library=network["a"], reference="2024-017", voted_on=TODAY, authority="Le maire"
    )

    # The last copy needs a reason; a film is never given away.
    with pytest.raises(services.WeedingError) as refused:
        services.decide(desk["a"], novel, "withdraw", ioupi="U", destination="donated")
    assert refused.value.code == "last_copy"
    services.decide(
        desk["a"], novel, "withdraw", ioupi="U", destination="discarded", override="Moisi"
    )
    services.decide(desk["a"], old, "withdraw", ioupi="P", destination="donated", override="Périmé")
    services.decide(desk["volunteer"], shared, "repair")  # a volunteer may propose

    client_fr.force_login(desk["volunteer"])
    page = client_fr.get(reverse("weeding:campaign", args=[campaign.pk])).content.decode()
    assert "dernier exemplaire du réseau" in page and "Confirmer" not in page
    assert client_fr.post(reverse("weeding:confirm", args=[campaign.pk])).status_code == 403

    client_fr.force_login(desk["a"])
    response = client_fr.post(reverse("weeding:confirm", args=[campaign.pk]))
    assert response.status_code == 302
    for name, status in (
        ("old_computing", ItemStatus.WITHDRAWN),
        ("idle_novel", ItemStatus.WITHDRAWN),
        ("shared", ItemStatus.DAMAGED),
    ):
        assert Item.objects.get(pk=shelf[name].pk).status == status, name
    withdrawal = entries_for(shelf["idle_novel"]).get(action="withdrawn")
    assert (
        withdrawal.details["destination"] == "discarded" and "Moisi" in withdrawal.details["note"]
    )
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CONFIRMED and campaign.number == f"{TODAY.year}-01"

    # Confirmed twice: refused, nothing changes.
    with pytest.raises(services.WeedingError) as twice:
        services.confirm(desk["a"], campaign)
    assert twice.value.code == "campaign_confirmed"

    pdf = client_fr.get(reverse("weeding:pv", args=[campaign.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client_fr.get(reverse("weeding:pv", args=[campaign.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Code-barres" and len(rows) == 3
    assert {r[0] for r in rows[1:]} == {shelf["old_computing"].barcode, shelf["idle_novel"].barcode}


def test_a_film_is_not_given_away(desk, network, make_item, record_of):
    film = make_item(
        record_of("Un film", doc_type="video"), network["a"], last_loan_at=years_ago(6)
    )
    campaign = services.create_campaign(desk["a"], network["a"], "Films")
    candidate = campaign.candidates.get(item=film)
    with pytest.raises(services.WeedingError) as refused:
        services.decide(desk["a"], candidate, "withdraw", destination="donated", override="Rayé")
    assert refused.value.code == "destination_refused"
    assert "droits de prêt" in refused.value.message


def test_scanning_at_the_shelf(client_fr, desk, network, shelf, make_item, record_of):
    campaign = services.create_campaign(desk["a"], network["a"], "Printemps")
    client_fr.force_login(desk["volunteer"])
    url = reverse("weeding:scan", args=[campaign.pk])

    found = client_fr.post(url, {"barcode": shelf["idle_novel"].barcode})
    candidate = campaign.candidates.get(item=shelf["idle_novel"])
    assert found.url.endswith(f"?trouve={candidate.pk}#c{candidate.pk}")

    added = client_fr.post(url, {"barcode": f"  {shelf['read_novel'].barcode} "})
    assert campaign.candidates.get(item=shelf["read_novel"]).added_by_scan
    assert "trouve=" in added.url

    page = client_fr.post(url, {"barcode": "INCONNU"}, follow=True).content.decode()
    assert fr("No item has the barcode %(barcode)s.", barcode="INCONNU") in page
    other = client_fr.post(url, {"barcode": shelf["shared_b"].barcode}, follow=True)
    assert (
        fr(
            "The item %(barcode)s belongs to %(library)s, not to this campaign's library.",
            barcode=shelf["shared_b"].barcode,
            library=network["b"].name,
        )
        in other.content.decode()
    )
    lent = client_fr.post(url, {"barcode": shelf["lent"].barcode}, follow=True)
    assert (
        "vérifiez son retour" in lent.content.decode().lower() or "retour" in lent.content.decode()
    )
    assert not campaign.candidates.filter(item=shelf["lent"]).exists()


def test_another_library_s_volunteer_may_not_decide(desk, network, shelf, make_staff):
    campaign = services.create_campaign(desk["a"], network["a"], "Printemps")
    stranger = make_staff("volb", (network["b"], Role.VOLUNTEER))
    candidate = campaign.candidates.first()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide(stranger, candidate, "keep")
    assert Candidate.objects.get(pk=candidate.pk).decision == "pending"


@pytest.mark.parametrize("years", ["-1", "0", "99", "abc"])
def test_absurd_criteria_are_refused(client_fr, staff, years):
    client_fr.force_login(staff[Role.COORDINATOR])
    count = Criterion.objects.count()
    response = client_fr.post(
        reverse("weeding:criterion_create"),
        {"label": "Essai", "dewey_from": "600", "dewey_to": "699", "years_without_loan": years},
    )
    assert response.status_code == 200 and Criterion.objects.count() == count


def test_only_the_coordinator_edits_the_network_table(client_fr, staff, network):
    row = Criterion.objects.get(label="Informatique")
    client_fr.force_login(staff[Role.LIBRARIAN])
    assert client_fr.get(reverse("weeding:criterion_edit", args=[row.pk])).status_code == 403
    own = client_fr.post(
        reverse("weeding:criterion_create") + f"?bibliotheque={network['a'].code}",
        {
            "label": "Informatique (ici)",
            "dewey_from": "004",
            "dewey_to": "006",
            "years_since_publication": "4",
            "sourced": "on",
        },
    )
    assert own.status_code == 302
    assert Criterion.objects.get(label="Informatique (ici)").library == network["a"]
    client_fr.force_login(staff[Role.COORDINATOR])
    edited = client_fr.post(
        reverse("weeding:criterion_edit", args=[row.pk]),
        {
            "label": "Informatique",
            "dewey_from": "004",
            "dewey_to": "006",
            "years_since_publication": "2",
            "source": row.source,
            "sourced": "on",
        },
    )
    assert edited.status_code == 302
    assert Criterion.objects.get(pk=row.pk).years_since_publication == 2


def test_the_command_lists_the_candidates(network, shelf, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "candidats.csv"
    call_command("weeding_candidates", library=network["a"].code.lower(), csv=out)
    text = out.read_text(encoding="utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Code-barres;Cote;Titre") and len(lines) == 4
    assert shelf["old_computing"].barcode in text and shelf["local"].barcode not in text
    with pytest.raises(CommandError):
        call_command("weeding_candidates", library="NOPE")


def test_the_rates_compare_with_the_stock_when_the_campaign_was_made(desk, network, shelf):
    campaign = services.create_campaign(desk["a"], network["a"], "Printemps")
    counts = {c.dewey: (c.proposed, c.stock) for c in services.counts_by_class(campaign)}
    # 004 and 005 in the 000s; novels (and the local history book's 944) elsewhere.
    assert counts["000"] == (1, 2)
    assert counts[""][0] == 2 and counts[""][1] >= 5
