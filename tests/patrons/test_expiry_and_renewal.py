"""Expiry from the category's length; renewal extends from today or from the expiry."""

import datetime as dt

import pytest

from maillon.patrons import services
from maillon.patrons.services import add_months


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (dt.date(2026, 1, 15), 12, dt.date(2027, 1, 15)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 10), -13, dt.date(2024, 12, 10)),
    ],
)
def test_add_months(start, months, end):
    assert add_months(start, months) == end


def test_early_renewal_loses_nothing(coordinator, make_patron):
    patron = make_patron(registered_on=dt.date(2026, 1, 10))
    assert patron.expires_on == dt.date(2027, 1, 10)
    renewed = services.renew_patron(coordinator, patron, today=dt.date(2026, 12, 20))
    assert renewed.expires_on == dt.date(2028, 1, 10)


def test_expired_card_renews_from_today(coordinator, make_patron):
    patron = make_patron(registered_on=dt.date(2024, 3, 5))
    assert patron.is_expired_on(dt.date(2025, 3, 6))
    assert not patron.is_expired_on(dt.date(2025, 3, 5))  # valid through its last day
    renewed = services.renew_patron(coordinator, patron, today=dt.date(2026, 6, 1))
    assert renewed.expires_on == dt.date(2027, 6, 1)
    assert not renewed.is_expired_on(dt.date(2026, 6, 1))


def test_renewal_uses_the_current_category(coordinator, make_patron, categories, partner):
    patron = make_patron(
        category=categories["collective"],
        partner=partner,
        birth_date=None,
        surname="Classe de CE1",
        first_name="",
        registered_on=dt.date(2026, 9, 1),
    )
    renewed = services.renew_patron(coordinator, patron, today=dt.date(2028, 9, 1))
    assert renewed.expires_on == dt.date(2030, 9, 1)


def test_expiry_badges_on_the_patron_page(client, coordinator, make_patron):
    today = dt.date.today()
    expired = make_patron(registered_on=add_months(today, -13))
    soon = make_patron(registered_on=add_months(today, -12) + dt.timedelta(days=10))
    valid = make_patron(registered_on=today)
    client.force_login(coordinator)
    pages = {
        name: client.get(f"/pro/usagers/{p.pk}/").content.decode()
        for name, p in (("expired", expired), ("soon", soon), ("valid", valid))
    }
    assert "badge bad" in pages["expired"] and "badge warn" not in pages["expired"]
    assert "badge warn" in pages["soon"] and "badge bad" not in pages["soon"]
    assert "badge ok" in pages["valid"]
    assert soon.expires_soon and not valid.expires_soon and expired.is_expired


def test_renew_button_over_http(client, coordinator, make_patron):
    patron = make_patron(registered_on=dt.date(2020, 1, 1))
    client.force_login(coordinator)
    response = client.post(f"/pro/usagers/{patron.pk}/renouveler/")
    assert response.status_code == 302
    patron.refresh_from_db()
    assert patron.expires_on == add_months(dt.date.today(), 12)
