"""The patron's account: loans and renewals, holds, history, details, choices, their data."""

import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from maillon.circulation import services
from maillon.circulation.models import Hold, HoldStatus, Loan
from maillon.network.models import Role
from maillon.patrons.models import ChangeRequestStatus, DetailsChangeRequest, Patron
from tests.opac.conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def librarian(staff):
    return staff[Role.LIBRARIAN]  # at AAA


def lend(librarian, network, patron, record, make_item):
    item = make_item(record, network["a"])
    return services.checkout(librarian, network["a"], patron, item)


def test_loans_with_due_dates_and_overdue_highlighted(
    client, reader, librarian, network, make_record, make_item
):
    loan = lend(librarian, network, reader, make_record("Dune"), make_item)
    late = lend(librarian, network, reader, make_record("Fondation"), make_item)
    Loan.objects.filter(pk=late.pk).update(due_on=late.due_on.replace(year=2000))
    log_in(client, reader.card_number)
    page = client.get("/compte/")
    assert page.context["loan_count"] == 2 and page.context["overdue_count"] == 1
    html = page.content.decode()
    assert f'class="overdue" id="pret-{late.pk}"' in html
    assert f'class="" id="pret-{loan.pk}"' in html


def test_renew_one_and_all_with_refusals(
    client, reader, make_reader, librarian, network, make_record, make_item
):
    first = lend(librarian, network, reader, make_record("Dune"), make_item)
    wanted = make_record("Fondation")
    second = lend(librarian, network, reader, wanted, make_item)
    services.place_own_hold(make_reader("10000031"), wanted, network["a"])
    # Renewing today would give no more time: as if lent a while ago, due today (the local
    # day: the UTC one is yesterday's after 23:00 in Paris, which made the loan overdue).
    Loan.objects.filter(pk__in=[first.pk, second.pk]).update(due_on=timezone.localdate())
    log_in(client, reader.card_number)
    response = client.post("/compte/prolonger/", {"loan": first.pk}, follow=True)
    assert Loan.objects.get(pk=first.pk).renewals == 1
    assert any("Dune" in str(m) for m in response.context["messages"])
    response = client.post("/compte/prolonger/", {"all": "1"}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any(t.startswith("Fondation\u00a0: ") for t in texts)  # waited for: refused, said why
    assert Loan.objects.get(pk=second.pk).renewals == 0


def test_holds_with_status_and_actions(client, reader, librarian, network, make_record, make_item):
    from maillon.catalogue.models import ItemStatus

    record = make_record("Dune")
    make_item(record, network["b"], status=ItemStatus.ON_LOAN)
    hold = services.place_own_hold(reader, record, network["a"])
    log_in(client, reader.card_number)
    page = client.get("/compte/")
    assert page.context["holds"][0].position == 1
    client.post(f"/compte/reservations/{hold.pk}/", {"action": "suspend"})
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.SUSPENDED
    client.post(f"/compte/reservations/{hold.pk}/", {"action": "resume"})
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.WAITING
    asked = client.post(f"/compte/reservations/{hold.pk}/", {"action": "cancel"})
    assert "Annuler la réservation ?" in asked.content.decode()  # a confirmation first
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.WAITING
    client.post(f"/compte/reservations/{hold.pk}/", {"action": "cancel", "confirmed": "1"})
    assert Hold.objects.get(pk=hold.pk).status == HoldStatus.CANCELLED
    assert (
        client.post(f"/compte/reservations/{hold.pk}/", {"action": "cancel"}).status_code == 404
    )  # no longer active


def test_history_only_when_kept_and_the_switch(
    client, reader, librarian, network, make_record, make_item
):
    loan = lend(librarian, network, reader, make_record("Dune"), make_item)
    services.checkin(librarian, network["a"], loan.item)
    log_in(client, reader.card_number)
    assert client.get("/compte/historique/").context["loans"] is None
    client.post("/compte/choix/", {"keep_history": "on", "email_notices": "on"})
    reader.refresh_from_db()
    assert reader.keep_history and reader.email_notices and not reader.newsletters
    page = client.get("/compte/historique/")
    assert [x.pk for x in page.context["loans"]] == [loan.pk]
    client.post("/compte/choix/", {})
    reader.refresh_from_db()
    assert not reader.keep_history and not reader.email_notices


def test_details_change_request_then_staff_apply(client, reader, librarian, network):
    log_in(client, reader.card_number)
    same = client.post("/compte/coordonnees/", {"email": reader.email})
    assert same.status_code == 400  # nothing changed
    client.post(
        "/compte/coordonnees/",
        {"email": "nouvelle@example.org", "phone": "05 49 00 00 00", "comment": "déménagement"},
    )
    client.post("/compte/coordonnees/", {"email": "autre@example.org"})
    change = DetailsChangeRequest.objects.get()  # replaced, not doubled
    assert change.changes == {"email": "autre@example.org"}
    assert Patron.objects.get(pk=reader.pk).email == reader.email  # not changed yet
    client.force_login(librarian)
    page = client.get(f"/pro/usagers/{reader.pk}/").content.decode()
    assert "autre@example.org" in page
    client.post(f"/pro/usagers/{reader.pk}/demandes/{change.pk}/", {"decision": "apply"})
    assert Patron.objects.get(pk=reader.pk).email == "autre@example.org"
    assert DetailsChangeRequest.objects.get().status == ChangeRequestStatus.APPLIED


def test_bad_email_in_change_request_is_refused(client, reader):
    log_in(client, reader.card_number)
    response = client.post("/compte/coordonnees/", {"email": "pas-une-adresse"})
    assert response.status_code == 400
    assert not DetailsChangeRequest.objects.exists()


def test_export_of_personal_data(client, reader, librarian, network, make_record, make_item):
    lend(librarian, network, reader, make_record("Dune"), make_item)
    log_in(client, reader.card_number)
    response = client.get("/compte/mes-donnees.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["identity"]["card_number"] == reader.card_number
    assert [loan["title"] for loan in data["loans"]] == ["Dune"]
    assert set(data) >= {"consents", "holds", "history", "notices", "change_requests"}


def test_collective_borrower_sees_counts_and_pages(
    client, make_reader, librarian, network, make_record, make_item, django_assert_max_num_queries
):
    from maillon.network.models import Partner

    partner = Partner.objects.create(name="École Jules Ferry", kind="school", library=network["a"])
    school = make_reader("C0001234", category="collective", birth_date=None, partner=partner)
    record = make_record("Album")
    for _i in range(60):
        item = make_item(record, network["a"])
        Loan.objects.create(
            item=item, patron=school, library=network["a"], due_on="2099-01-01", loan_days=21
        )
    log_in(client, school.card_number)
    with django_assert_max_num_queries(15):
        page = client.get("/compte/")
    assert page.context["loan_count"] == 60
    assert len(page.context["loans"]) == 50
    assert len(client.get("/compte/?page=2").context["loans"]) == 10
