"""Contact details a patron asks to change online: kept as a request, applied or dismissed by
the staff of their home library."""

import pytest
from django.core.exceptions import PermissionDenied

from maillon.network.models import Role
from maillon.patrons.change_requests import (
    apply_change_request,
    dismiss_change_request,
    request_details_change,
)
from maillon.patrons.models import ChangeRequestStatus, DetailsChangeRequest, Patron
from maillon.patrons.services import PatronError

pytestmark = pytest.mark.django_db


def test_only_what_changes_is_kept_and_the_patron_is_untouched(make_patron):
    patron = make_patron(email="lea@example.org", city="Niort")
    change = request_details_change(
        patron,
        {"email": "lea@example.org", "city": "  Parthenay ", "phone": "05 49 00 00 00"},
        "déménagement",
    )
    assert change.changes == {"city": "Parthenay", "phone": "05 49 00 00 00"}
    assert Patron.objects.get(pk=patron.pk).city == "Niort"


def test_nothing_changed_or_bad_values_are_refused(make_patron):
    patron = make_patron(email="lea@example.org")
    for wanted, code in (
        ({"email": "lea@example.org"}, "nothing_changed"),
        ({"email": "pas une adresse"}, "email_invalid"),
        ({"city": "x" * 121}, "too_long"),
    ):
        with pytest.raises(PatronError) as refused:
            request_details_change(patron, wanted)
        assert refused.value.code == code
    assert not DetailsChangeRequest.objects.exists()


def test_a_new_request_replaces_the_pending_one(make_patron):
    patron = make_patron()
    request_details_change(patron, {"city": "Niort"})
    request_details_change(patron, {"city": "Melle"})
    assert list(DetailsChangeRequest.objects.values_list("changes", flat=True)) == [
        {"city": "Melle"}
    ]


def test_apply_writes_through_update_patron(make_patron, staff):
    patron = make_patron()
    change = request_details_change(patron, {"email": "new@example.org", "postcode": "79200"})
    apply_change_request(staff[Role.LIBRARIAN], change)
    patron.refresh_from_db()
    assert (patron.email, patron.postcode) == ("new@example.org", "79200")
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.APPLIED and change.decided_by is not None
    with pytest.raises(PatronError) as twice:
        dismiss_change_request(staff[Role.LIBRARIAN], change)
    assert twice.value.code == "request_decided"


def test_only_staff_of_the_home_library_decide(make_patron, network, make_staff):
    patron = make_patron()  # home library AAA
    change = request_details_change(patron, {"city": "Melle"})
    elsewhere = make_staff("ailleurs", (network["b"], Role.LIBRARIAN))
    with pytest.raises(PermissionDenied):
        apply_change_request(elsewhere, change)
    with pytest.raises(PermissionDenied):
        dismiss_change_request(elsewhere, change)
    assert DetailsChangeRequest.objects.get().status == ChangeRequestStatus.PENDING


def test_dismiss_leaves_the_patron_as_is(make_patron, staff):
    patron = make_patron(city="Niort")
    change = request_details_change(patron, {"city": "Melle"})
    dismiss_change_request(staff[Role.VOLUNTEER], change)
    assert Patron.objects.get(pk=patron.pk).city == "Niort"
    assert DetailsChangeRequest.objects.get().status == ChangeRequestStatus.DISMISSED
