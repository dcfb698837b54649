"""The future public account: no password until one is set on purpose, hashed by Django."""

import pytest

from maillon.patrons import services
from maillon.patrons.services import PatronError


def test_password_is_hashed_checked_and_can_be_withdrawn(coordinator, make_patron):
    patron = make_patron()
    assert not patron.has_account and not patron.check_password("")
    services.set_patron_password(coordinator, patron, "Gatine-en-lecture-79")
    patron.refresh_from_db()
    assert patron.has_account
    assert "Gatine-en-lecture-79" not in patron.password
    assert patron.check_password("Gatine-en-lecture-79")
    assert not patron.check_password("gatine-en-lecture-79")
    services.set_patron_password(coordinator, patron, None)
    patron.refresh_from_db()
    assert not patron.has_account and not patron.check_password("Gatine-en-lecture-79")


def test_weak_password_is_refused(coordinator, make_patron):
    patron = make_patron()
    for weak in ("1234", "12345678901", "password"):
        with pytest.raises(PatronError) as caught:
            services.set_patron_password(coordinator, patron, weak)
        assert caught.value.code == "password_weak"
    patron.refresh_from_db()
    assert not patron.has_account


def test_each_new_patron_gets_its_own_unusable_hash(make_patron):
    a, b = make_patron(), make_patron()
    assert a.password != b.password and a.password.startswith("!")
