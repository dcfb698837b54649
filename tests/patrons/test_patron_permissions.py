"""Which patron pages and actions each role reaches, for a patron of its own library and of
another one.

Who may do what where is `maillon.network.permissions.can`, whose table
tests/network/test_permission_matrix.py checks; here each patron page or action is tied to the
action it needs (reading: VIEW, desk work on the patron: CIRCULATE, the list export: MANAGE) and
must give exactly the answer `can` gives.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from maillon.network.models import Library, Role, StaffRole
from maillon.network.permissions import Action, can
from maillon.patrons import access, services
from maillon.patrons.models import Patron

CASES = [(role, where) for role in Role for where in ("own", "other")]


def target(network, user, where) -> Library:
    """The library the role is attached to, or BBB, where no role of the fixtures works."""
    return StaffRole.objects.get(user=user).library if where == "own" else network["b"]


@pytest.fixture
def patron_at(make_patron):
    def make(library: Library) -> Patron:
        return make_patron(
            library=library,
            card_number="55555555",
            surname="Proust",
            first_name="Gaëlle",
            registered_on=dt.date(2020, 1, 1),
        )

    return make


@pytest.mark.parametrize("action", [Action.CIRCULATE, Action.MANAGE])
def test_the_cases_meet_both_answers(network, staff, action):
    # Otherwise a page that skipped its check would pass every case below.
    answers = {
        can(staff[role], action, target(network, staff[role], where)) for role, where in CASES
    }
    assert answers == {True, False}


@pytest.mark.parametrize(("role", "where"), CASES)
def test_read_patron_page_and_search(client, network, staff, patron_at, role, where):
    library = target(network, staff[role], where)
    patron = patron_at(library)
    client.force_login(staff[role])
    page = client.get(f"/pro/usagers/{patron.pk}/")
    search = client.get("/pro/usagers/", {"q": "gaelle proust"})
    allowed = can(staff[role], Action.VIEW, library)
    assert page.status_code == (200 if allowed else 403)
    # By name: across the network for the roles that need it, else among one's own patrons
    # (the card opens the page above; see maillon/patrons/access.py).
    by_name = allowed and (
        access.may_search_network(staff[role]) or can(staff[role], Action.CIRCULATE, library)
    )
    assert ("55555555" in search.content.decode()) == by_name


@pytest.mark.parametrize(("role", "where"), CASES)
def test_register_over_http(client, network, staff, categories, role, where):
    library = target(network, staff[role], where)
    client.force_login(staff[role])
    response = client.post(
        "/pro/usagers/nouveau/",
        {
            "card_number": "66666666",
            "surname": "Nguyen",
            "first_name": "Mia",
            "birth_date": "1991-04-02",
            "category": categories["adult"].pk,
            "home_library": library.pk,
        },
    )
    created = Patron.objects.filter(card_number="66666666", home_library=library).exists()
    assert created == can(staff[role], Action.CIRCULATE, library)
    if not created:
        # Either the library is not offered in the form, or the server refuses outright.
        assert response.status_code in (400, 403)


@pytest.mark.parametrize(("role", "where"), CASES)
def test_register_through_the_service(network, staff, categories, role, where):
    library = target(network, staff[role], where)
    call = lambda: services.register_patron(  # noqa: E731
        staff[role],
        library,
        card_number="77777777",
        surname="Roy",
        first_name="Léon",
        birth_date=dt.date(1950, 1, 1),
        category=categories["adult"],
    )
    if can(staff[role], Action.CIRCULATE, library):
        assert call().pk
    else:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize(("role", "where"), CASES)
def test_edit_and_renew_over_http(client, network, staff, patron_at, role, where):
    library = target(network, staff[role], where)
    patron = patron_at(library)
    client.force_login(staff[role])
    edit = client.post(
        f"/pro/usagers/{patron.pk}/modifier/",
        {
            "card_number": patron.card_number,
            "surname": "Proust",
            "first_name": "Gaëlle",
            "birth_date": "1990-05-17",
            "category": patron.category_id,
            "home_library": patron.home_library_id,
            "phone": "06 11 22 33 44",
        },
    )
    renew = client.post(f"/pro/usagers/{patron.pk}/renouveler/")
    patron.refresh_from_db()
    if can(staff[role], Action.CIRCULATE, library):
        assert (edit.status_code, renew.status_code) == (302, 302)
        assert patron.phone == "06 11 22 33 44" and not patron.is_expired
    else:
        assert (edit.status_code, renew.status_code) == (403, 403)
        assert patron.phone == "" and patron.is_expired


@pytest.mark.parametrize(("role", "where"), CASES)
def test_password_and_blocks_lifted_through_the_service(
    network, staff, patron_at, coordinator, role, where
):
    patron = patron_at(target(network, staff[role], where))
    # Put at the home library's desk, so only that library (and the coordinator) lifts it.
    block = services.block_patron(coordinator, patron, patron.home_library, "overdue")
    allowed = can(staff[role], Action.CIRCULATE, patron.home_library)
    for call in (
        lambda: services.set_patron_password(staff[role], patron, "Gatine-79-lire"),
        lambda: services.lift_block(staff[role], block),
    ):
        if allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    patron.refresh_from_db()
    assert patron.has_account == allowed and patron.is_blocked != allowed


@pytest.mark.parametrize(("role", "where"), CASES)
def test_export_needs_manage(client, network, staff, patron_at, role, where):
    library = target(network, staff[role], where)
    patron_at(library)
    client.force_login(staff[role])
    response = client.get(f"/pro/usagers/export/{library.code}/")
    expected = 200 if can(staff[role], Action.MANAGE, library) else 403
    assert response.status_code == expected


def test_moving_a_patron_needs_both_libraries(network, staff, patron_at):
    patron = patron_at(network["a"])
    with pytest.raises(PermissionDenied):
        services.update_patron(staff[Role.LIBRARIAN], patron, home_library=network["b"])
    services.update_patron(staff[Role.COORDINATOR], patron, home_library=network["b"])
    patron.refresh_from_db()
    assert patron.home_library == network["b"]


def test_anonymous_and_roleless_accounts_are_kept_out(client, network, make_staff, patron_at):
    patron = patron_at(network["a"])
    response = client.get(f"/pro/usagers/{patron.pk}/")
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    client.force_login(make_staff("nobody"))
    assert client.get(f"/pro/usagers/{patron.pk}/").status_code == 403
    assert client.get("/pro/usagers/", {"q": "55555555"}).status_code == 403
