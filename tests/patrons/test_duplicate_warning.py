"""Registering someone already known: the form shows who, and asks to confirm."""

import datetime as dt

from maillon.network.models import Role
from maillon.patrons.folding import fold
from maillon.patrons.models import Patron
from maillon.patrons.services import find_probable_duplicates

FORM = {
    "card_number": "44444444",
    "surname": "HERVE-BEZIER",
    "first_name": "elodie",
    "birth_date": "1984-07-09",
    "home_library": None,
    "email": "elodie@example.org",
}


def test_fold_ignores_accents_case_and_punctuation():
    assert fold("Hervé-Bézier") == fold("HERVE BEZIER") == "herve bezier"
    assert fold("Lœuillet") == "loeuillet"
    assert fold("N'Diaye") == fold("n diaye")


def test_duplicates_need_same_names_and_birth_date(make_patron):
    known = make_patron(surname="Hervé-Bézier", first_name="Élodie", birth_date=dt.date(1984, 7, 9))
    assert find_probable_duplicates("herve bezier", "ELODIE", dt.date(1984, 7, 9)) == [known]
    assert find_probable_duplicates("Hervé-Bézier", "Élodie", dt.date(1984, 7, 10)) == []
    assert find_probable_duplicates("Hervé-Bézier", "Élise", dt.date(1984, 7, 9)) == []
    assert find_probable_duplicates("Hervé-Bézier", "Élodie", None) == []
    assert (
        find_probable_duplicates("Hervé-Bézier", "Élodie", dt.date(1984, 7, 9), exclude=known) == []
    )


def test_register_form_warns_then_creates_once_confirmed(
    client, network, staff, categories, make_patron
):
    known = make_patron(
        library=network["b"],
        surname="Hervé-Bézier",
        first_name="Élodie",
        birth_date=dt.date(1984, 7, 9),
        card_number="12121212",
    )
    client.force_login(staff[Role.VOLUNTEER])
    data = dict(FORM, category=categories["adult"].pk, home_library=network["a"].pk)

    first = client.post("/pro/usagers/nouveau/", data)
    page = first.content.decode()
    assert first.status_code == 400
    assert Patron.objects.count() == 1
    # The candidate is shown with a link, and the form keeps what was typed.
    assert f"/pro/usagers/{known.pk}/" in page and "12121212" in page
    assert 'name="confirm_duplicate"' in page and 'name="confirm_duplicate_asked"' in page
    assert 'value="HERVE-BEZIER"' in page and 'value="elodie@example.org"' in page

    # Posting again without ticking the box changes nothing.
    again = client.post("/pro/usagers/nouveau/", dict(data, confirm_duplicate_asked="1"))
    assert again.status_code == 400 and Patron.objects.count() == 1

    confirmed = client.post(
        "/pro/usagers/nouveau/", dict(data, confirm_duplicate_asked="1", confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    created = Patron.objects.get(card_number="44444444")
    assert confirmed["Location"] == f"/pro/usagers/{created.pk}/"
    assert created.home_library == network["a"]


def test_without_a_duplicate_no_confirmation_is_asked(client, network, staff, categories):
    client.force_login(staff[Role.VOLUNTEER])
    response = client.post(
        "/pro/usagers/nouveau/",
        dict(FORM, category=categories["adult"].pk, home_library=network["a"].pk),
    )
    assert response.status_code == 302
    assert Patron.objects.filter(card_number="44444444").exists()
