"""Patron categories, set by the network coordinator from the staff pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maillon.network.models import Role
from maillon.patrons import services
from maillon.patrons.models import CategoryKind, PatronCategory
from maillon.patrons.services import PatronError
from tests.circulation.helpers import fr

LIST, CREATE = "/pro/usagers/categories/", "/pro/usagers/categories/nouvelle/"


def edit_url(category: PatronCategory) -> str:
    return f"/pro/usagers/categories/{category.pk}/"


SENIORS = {
    "code": "SEN",
    "name": "Seniors",
    "kind": "adult",
    "min_age": "65",
    "max_age": "",
    "registration_months": "24",
    "fee_note": "gratuit",
    "is_active": "on",
}


def test_coordinator_creates_a_category_offered_at_registration(client_fr, staff, categories):
    client_fr.force_login(staff[Role.COORDINATOR])
    assert client_fr.get(CREATE).status_code == 200
    response = client_fr.post(CREATE, SENIORS)
    assert response.status_code == 302 and response.url == LIST
    seniors = PatronCategory.objects.get(code="SEN")
    assert (seniors.name, seniors.min_age, seniors.max_age) == ("Seniors", 65, None)
    assert seniors.registration_months == 24 and seniors.is_active

    client_fr.force_login(staff[Role.LIBRARIAN])
    listing = client_fr.get(LIST).content.decode()
    assert "<code>SEN</code>" in listing and "gratuit" in listing
    registration = client_fr.get("/pro/usagers/nouveau/").content.decode()
    assert f'<option value="{seniors.pk}">Seniors</option>' in registration


def test_coordinator_edits_and_retires_a_category(client_fr, staff, categories, make_patron):
    child = categories["child"]
    make_patron(category=child, birth_date=dt.date(2018, 1, 1))
    client_fr.force_login(staff[Role.COORDINATOR])
    page = client_fr.get(edit_url(child)).content.decode()
    assert 'value="ENF"' in page and 'value="13"' in page
    response = client_fr.post(
        edit_url(child),
        {
            "code": "ENF",
            "name": "Jeunesse",
            "kind": "child",
            "min_age": "0",
            "max_age": "14",
            "registration_months": "12",
            "fee_note": "",
        },
    )  # "offered" left unticked
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.name, child.max_age, child.is_active) == ("Jeunesse", 14, False)
    assert child.patrons.count() == 1  # its patrons keep it

    client_fr.force_login(staff[Role.LIBRARIAN])
    registration = client_fr.get("/pro/usagers/nouveau/").content.decode()
    assert ">Jeunesse</option>" not in registration
    assert f'<option value="{categories["adult"].pk}">Adulte</option>' in registration


def test_every_staff_member_reads_the_list_and_finds_it_from_the_search(
    client_fr, staff, categories
):
    client_fr.force_login(staff[Role.VOLUNTEER])
    assert 'href="/pro/usagers/categories/"' in client_fr.get("/pro/usagers/").content.decode()
    response = client_fr.get(LIST)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<code>ADU</code>" in page and "Collectivité" in page
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert CREATE not in page and edit_url(categories["adult"]) not in page


@pytest.mark.parametrize("role", [Role.LIBRARIAN, Role.VOLUNTEER, Role.MD_STAFF])
def test_only_a_coordinator_creates_or_edits(client_fr, staff, categories, role):
    adult = categories["adult"]
    client_fr.force_login(staff[role])
    assert client_fr.get(CREATE).status_code == 403
    assert client_fr.get(edit_url(adult)).status_code == 403
    assert client_fr.post(CREATE, SENIORS).status_code == 403
    assert client_fr.post(edit_url(adult), {**SENIORS, "code": "ADU"}).status_code == 403
    assert not PatronCategory.objects.filter(code="SEN").exists()
    adult.refresh_from_db()
    assert (adult.name, adult.min_age, adult.is_active) == ("Adulte", 18, True)
    with pytest.raises(PermissionDenied):
        services.save_category(
            staff[role], PatronCategory(code="SEN", name="Seniors", kind=CategoryKind.ADULT)
        )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"min_age": "70", "max_age": "65"},
            "max_age",
            ("The maximum age cannot be lower than the minimum age.", {}),
        ),
        (
            {"code": "ADU"},
            "code",
            ("The code %(code)s is already used by another category.", {"code": "ADU"}),
        ),
        ({"code": "sen ior"}, "code", None),
        (
            {"registration_months": "0"},
            "registration_months",
            ("A registration lasts at least one month.", {}),
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(
    client_fr, staff, categories, changes, field, message
):
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(CREATE, {**SENIORS, "name": "Seniors actifs", **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in page
    if message is None:  # the network's code rule, translated long ago
        assert "Utilisez de 2 à 20 lettres capitales" in page
    else:
        assert fr(message[0], **message[1]) in page
    assert "Constraint" not in page and "contrainte" not in page
    assert 'value="Seniors actifs"' in page and 'value="gratuit"' in page
    for value in changes.values():
        assert f'value="{value}"' in page or f'<option value="{value}" selected' in page
    assert PatronCategory.objects.count() == 3


def test_bad_input_on_edit_changes_nothing(client_fr, staff, categories):
    child = categories["child"]
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(
        edit_url(child),
        {
            "code": "ENF",
            "name": "Petits",
            "kind": "child",
            "min_age": "10",
            "max_age": "3",
            "registration_months": "12",
            "is_active": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert fr("The maximum age cannot be lower than the minimum age.") in page
    assert 'value="Petits"' in page
    assert "<h1>" in page and "Enfant" in page  # the heading names the saved category
    child.refresh_from_db()
    assert (child.name, child.min_age, child.max_age) == ("Enfant", 0, 13)


def test_the_code_of_a_held_category_does_not_change(client_fr, staff, categories, make_patron):
    adult = categories["adult"]
    make_patron(category=adult)
    client_fr.force_login(staff[Role.COORDINATOR])
    data = {
        "code": "ADULTE",
        "name": "Adulte",
        "kind": "adult",
        "min_age": "18",
        "max_age": "",
        "registration_months": "12",
        "is_active": "on",
    }
    response = client_fr.post(edit_url(adult), data)
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    adult.refresh_from_db()
    assert adult.code == "ADU"
    # Its name can change, and an unheld category may take a new code.
    assert (
        client_fr.post(edit_url(adult), {**data, "code": "ADU", "name": "Adultes"}).status_code
        == 302
    )
    adult.refresh_from_db()
    assert adult.name == "Adultes"
    senior = services.save_category(
        staff[Role.COORDINATOR],
        PatronCategory(code="SEN", name="Seniors", kind=CategoryKind.ADULT, min_age=65),
    )
    senior.code = "SENIOR"
    assert services.save_category(staff[Role.COORDINATOR], senior).code == "SENIOR"


def test_service_refusals_carry_a_code(staff, categories):
    coordinator = staff[Role.COORDINATOR]
    with pytest.raises(PatronError) as refused:
        services.save_category(
            coordinator, PatronCategory(code="adu", name="Doublon", kind=CategoryKind.ADULT)
        )
    assert refused.value.code == "code_invalid"
    with pytest.raises(PatronError) as refused:
        services.save_category(
            coordinator,
            PatronCategory(
                code="SEN", name="Seniors", kind=CategoryKind.ADULT, min_age=80, max_age=65
            ),
        )
    assert (refused.value.code, refused.value.field) == ("age_range", "max_age")
