"""What register_patron refuses, each with its stable code, and what it computes."""

import datetime as dt

import pytest

from maillon.patrons import services
from maillon.patrons.models import Patron
from maillon.patrons.services import PatronError, add_months


def register(coordinator, network, categories, **fields):
    data = {
        "card_number": "12345678",
        "surname": "Bézier",
        "first_name": "Hervé",
        "birth_date": dt.date(1980, 3, 2),
        "category": categories["adult"],
    }
    data.update(fields)
    return services.register_patron(coordinator, network["a"], **data)


def refused(code: str, *args, **kwargs) -> PatronError:
    with pytest.raises(PatronError) as caught:
        register(*args, **kwargs)
    assert caught.value.code == code
    assert caught.value.message
    return caught.value


def test_registration_sets_home_library_dates_and_private_defaults(
    coordinator, network, categories
):
    patron = register(
        coordinator,
        network,
        categories,
        card_number=" 1234 5678 ",
        registered_on=dt.date(2026, 1, 31),
    )
    patron.refresh_from_db()
    assert patron.card_number == "12345678"  # spaces a person typed are dropped
    assert patron.home_library == network["a"]
    assert (patron.registered_on, patron.expires_on) == (dt.date(2026, 1, 31), dt.date(2027, 1, 31))
    assert not (patron.email_notices or patron.newsletters or patron.keep_history)
    assert not patron.has_account
    assert patron.search_name == "bezier herve"


@pytest.mark.parametrize("card", ["1234", "12345678901234567", "ABCDEFGH", "12-34-56-78", ""])
def test_card_outside_the_pattern_is_refused(coordinator, network, categories, card):
    code = "card_missing" if not card else "card_invalid"
    error = refused(code, coordinator, network, categories, card_number=card)
    assert error.field == "card_number"
    assert not Patron.objects.exists()


def test_custom_pattern_from_settings(coordinator, network, categories, settings):
    settings.MAILLON_CARD_PATTERN = r"GAT[0-9]{6}"
    refused("card_invalid", coordinator, network, categories, card_number="12345678")
    assert (
        register(coordinator, network, categories, card_number="gat123456").card_number
        == "GAT123456"
    )


def test_luhn_check_digit(coordinator, network, categories, settings):
    settings.MAILLON_CARD_CHECK = "luhn"
    refused("card_check_digit", coordinator, network, categories, card_number="79927398710")
    assert register(coordinator, network, categories, card_number="79927398713").pk


def test_mod11_check_digit_may_be_x(coordinator, network, categories, settings):
    settings.MAILLON_CARD_CHECK = "mod11"
    settings.MAILLON_CARD_PATTERN = r"[0-9]{7}[0-9X]"
    refused("card_check_digit", coordinator, network, categories, card_number="00000791")
    assert register(coordinator, network, categories, card_number="0000079X").pk


def test_card_already_taken(coordinator, network, categories):
    register(coordinator, network, categories)
    error = refused(
        "card_taken",
        coordinator,
        network,
        categories,
        surname="Autre",
        birth_date=dt.date(2001, 1, 1),
    )
    assert "12345678" in error.message
    assert Patron.objects.count() == 1


def test_collective_borrower_needs_a_partner(coordinator, network, categories, partner):
    refused(
        "partner_required",
        coordinator,
        network,
        categories,
        category=categories["collective"],
        surname="Classe de CP",
        first_name="",
        birth_date=None,
    )
    patron = register(
        coordinator,
        network,
        categories,
        category=categories["collective"],
        surname="Classe de CP",
        first_name="",
        birth_date=None,
        partner=partner,
        responsible_person="Mme Girard",
        registered_on=dt.date(2026, 9, 1),
    )
    assert patron.is_collective and patron.age_band() == ""
    assert patron.expires_on == dt.date(2028, 9, 1)  # the category's 24 months


def test_individual_cannot_be_linked_to_a_partner(coordinator, network, categories, partner):
    refused("partner_not_collective", coordinator, network, categories, partner=partner)


def test_individual_needs_a_plausible_birth_date(coordinator, network, categories):
    refused("birth_date_required", coordinator, network, categories, birth_date=None)
    refused(
        "birth_date_future",
        coordinator,
        network,
        categories,
        birth_date=dt.date.today() + dt.timedelta(days=1),
    )


def test_age_must_fit_the_category(coordinator, network, categories):
    child_birth = add_months(dt.date.today(), -12 * 8)
    refused("age_outside_category", coordinator, network, categories, birth_date=child_birth)
    assert register(
        coordinator, network, categories, birth_date=child_birth, category=categories["child"]
    ).pk


def test_closed_category_is_not_offered_to_new_patrons(coordinator, network, categories):
    categories["adult"].is_active = False
    categories["adult"].save()
    refused("category_inactive", coordinator, network, categories)


def test_bad_email_is_placed_on_its_field(coordinator, network, categories):
    error = refused("invalid", coordinator, network, categories, email="pas-une-adresse")
    assert error.field == "email"


def test_unknown_field_is_a_programming_error(coordinator, network, categories):
    with pytest.raises(TypeError):
        register(coordinator, network, categories, expires_on=dt.date(2099, 1, 1))


def test_probable_duplicate_is_refused_unless_confirmed(coordinator, network, categories):
    first = register(coordinator, network, categories)
    error = refused(
        "probable_duplicate",
        coordinator,
        network,
        categories,
        card_number="87654321",
        surname="BEZIER",
        first_name="herve",
    )
    assert error.candidates == [first]
    second = register(
        coordinator,
        network,
        categories,
        card_number="87654321",
        surname="BEZIER",
        first_name="herve",
        allow_duplicate=True,
    )
    assert second.pk != first.pk


def test_update_refuses_a_card_of_someone_else(coordinator, make_patron):
    first = make_patron(card_number="11111111")
    second = make_patron(card_number="22222222", surname="Robin")
    with pytest.raises(PatronError) as caught:
        services.update_patron(coordinator, second, card_number="11111111")
    assert caught.value.code == "card_taken"
    # A replacement card with a new number is fine; the patron keeps their record.
    services.update_patron(coordinator, second, card_number="33333333", surname="Robin-Petit")
    second.refresh_from_db()
    assert (second.card_number, second.search_name) == ("33333333", "robin petit lea")
    first.refresh_from_db()
    assert first.card_number == "11111111"


def test_update_keeps_a_category_the_patron_has_outgrown(coordinator, make_patron, categories):
    """A child who turned 14 keeps their card until the desk changes it."""
    today = dt.date.today()
    patron = make_patron(
        category=categories["child"], birth_date=add_months(today, -12 * 13) - dt.timedelta(days=1)
    )
    patron.birth_date = add_months(today, -12 * 14) - dt.timedelta(days=1)  # a year later
    patron.save()
    services.update_patron(coordinator, patron, phone="05 49 00 00 00")
    patron.refresh_from_db()
    assert patron.phone == "05 49 00 00 00"
