"""A library lends a booked resource on to one of its partners for part of the booking: within
the booking's dates, one partner at a time, by its own staff; shown on the booking, the
library's list and the resource's page; audited."""

import pytest
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.bookings import services, subloans
from maillon.bookings.models import SubLoan
from maillon.bookings.services import BookingError
from maillon.network.models import Partner, PartnerKind

from .conftest import book, days


@pytest.fixture
def partners(network) -> dict[str, Partner]:
    return {
        "school": Partner.objects.create(
            library=network["a"], name="École Jules-Ferry", kind=PartnerKind.SCHOOL
        ),
        "ehpad": Partner.objects.create(
            library=network["a"], name="EHPAD Les Glycines", kind=PartnerKind.RETIREMENT_HOME
        ),
        "elsewhere": Partner.objects.create(
            library=network["b"], name="École du Bourg", kind=PartnerKind.SCHOOL
        ),
    }


@pytest.fixture
def booked(people, network, expo):
    booking = book(people["a"], network["a"], expo, 20, 49)
    services.approve(people["md"], booking)
    return booking


def test_a_library_lends_its_booking_on_to_a_school_then_the_ehpad(people, booked, partners):
    first = subloans.lend_on(people["a"], booked, partners["school"], days(20), days(29))
    second = subloans.lend_on(
        people["volunteer"], booked, partners["ehpad"], days(30), days(35), "Salle d’animation"
    )
    assert [s.partner.name for s in booked.subloans.all()] == [
        "École Jules-Ferry",
        "EHPAD Les Glycines",
    ]
    assert second.notes == "Salle d’animation" and first.created_by == people["a"]
    entry = (
        AuditEntry.objects.filter(action="booking_lent_on", object_id=booked.pk)
        .order_by("pk")
        .first()
    )
    assert entry is not None and entry.details["partner_name"] == "École Jules-Ferry"


@pytest.mark.parametrize(
    ("partner", "start", "end", "code"),
    [
        ("school", 15, 25, "outside_booking"),
        ("school", 40, 55, "outside_booking"),
        ("school", 30, 25, "end_before_start"),
        ("elsewhere", 20, 25, "partner_elsewhere"),
    ],
)
def test_bad_loans_are_refused_in_french(people, booked, partners, partner, start, end, code):
    with pytest.raises(BookingError) as error:
        subloans.lend_on(people["a"], booked, partners[partner], days(start), days(end))
    assert error.value.code == code
    assert not SubLoan.objects.exists()


def test_one_partner_at_a_time(people, booked, partners):
    subloans.lend_on(people["a"], booked, partners["school"], days(20), days(29))
    with pytest.raises(BookingError) as error:
        subloans.lend_on(people["a"], booked, partners["ehpad"], days(29), days(35))
    assert error.value.code == "subloan_overlap"
    with pytest.raises(BookingError):  # the message is French once translated
        subloans.lend_on(people["a"], booked, partners["ehpad"], days(25), days(26))
    assert SubLoan.objects.count() == 1


def test_only_the_booking_library_lends_it_on(people, booked, partners):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        subloans.lend_on(people["b"], booked, partners["school"], days(20), days(25))
    with pytest.raises(PermissionDenied):
        subloans.lend_on(people["md"], booked, partners["school"], days(20), days(25))


def test_a_requested_or_cancelled_booking_is_not_lent_on(people, network, expo2, partners):
    booking = book(people["a"], network["a"], expo2, 20, 30)
    with pytest.raises(BookingError) as error:
        subloans.lend_on(people["a"], booking, partners["school"], days(20), days(25))
    assert error.value.code == "booking_not_lendable"


def test_the_pages_record_and_show_the_loan(client_fr, people, booked, partners, expo):
    client_fr.force_login(people["a"])
    url = reverse("bookings:booking", args=[booked.pk])
    page = client_fr.get(url).content.decode()
    assert "Prêter à un partenaire" in page and "École du Bourg" not in page
    response = client_fr.post(
        url,
        {"partner": partners["school"].pk, "start": days(40), "end": days(60)},
    )
    assert response.status_code == 200
    assert "Le prêt au partenaire doit rester dans la réservation" in response.content.decode()
    response = client_fr.post(
        url, {"partner": partners["school"].pk, "start": days(40), "end": days(45)}
    )
    assert response.status_code == 302
    # The owner sees where its exhibition is, on the resource's page.
    client_fr.force_login(people["md"])
    page = client_fr.get(reverse("bookings:detail", args=[expo.pk])).content.decode()
    assert "prêté à École Jules-Ferry" in page
    page = client_fr.get(url).content.decode()
    assert "École Jules-Ferry" in page and "Enregistrer le prêt" not in page
    assert client_fr.post(url, {"partner": partners["school"].pk}).status_code == 403
    # The library removes it.
    client_fr.force_login(people["a"])
    subloan = SubLoan.objects.get()
    client_fr.post(reverse("bookings:subloan_withdraw", args=[subloan.pk]))
    assert not SubLoan.objects.exists()
    assert AuditEntry.objects.filter(action="booking_lent_on_withdrawn").count() == 1


def test_the_first_and_last_days_of_the_booking_may_be_lent(people, booked, partners):
    subloans.lend_on(people["a"], booked, partners["school"], days(20), days(20))
    subloans.lend_on(people["a"], booked, partners["ehpad"], days(49), days(49))
    assert SubLoan.objects.count() == 2
