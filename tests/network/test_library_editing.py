import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from maillon.network import services
from maillon.network.models import Closure, Library, Role
from tests.conftest import PASSWORD


def hours_payload(rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, (day, opens, closes) in enumerate(rows):
        data.update(
            {f"form-{i}-weekday": day, f"form-{i}-opens": opens, f"form-{i}-closes": closes}
        )
    return data


def test_librarian_sets_weekly_hours(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    url = reverse("library_hours", args=["AAA"])
    response = client.post(
        url,
        hours_payload(
            [
                ("3", "10:00", "12:00"),
                ("3", "14:00", "18:00"),
                ("6", "09:30", "12:00"),
                ("", "", ""),
            ]
        ),
    )
    assert response.status_code == 302
    library = network["a"]
    wednesday = dt.date(2026, 12, 2)
    assert [str(h) for h in library.hours_on(wednesday)] == [
        "mercredi 10:00–12:00",
        "mercredi 14:00–18:00",
    ]
    assert library.is_open_on(wednesday) and not library.is_open_on(dt.date(2026, 12, 1))


def test_closing_before_opening_is_refused_and_kept(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    response = client.post(
        reverse("library_hours", args=["AAA"]), hours_payload([("2", "18:00", "10:00")])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "fermeture doit venir après" in body
    assert 'value="18:00"' in body
    assert network["a"].opening_hours.count() == 0


def test_closure_makes_library_closed_and_moves_shuttle(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    library = network["a"]  # shuttle on Tuesday and Friday
    response = client.post(
        reverse("closure_add", args=["AAA"]),
        {"start": "2026-12-01", "end": "2026-12-01", "reason": "Inventaire"},
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.is_closed_on(dt.date(2026, 12, 1))
    # Monday 30 Nov → next run skips the closed Tuesday and lands on Friday.
    assert library.next_shuttle_day(dt.date(2026, 11, 30)) == dt.date(2026, 12, 4)


def test_closure_with_end_before_start_is_refused(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    response = client.post(
        reverse("closure_add", args=["AAA"]),
        {"start": "2026-12-10", "end": "2026-12-01", "reason": "Travaux"},
    )
    assert response.status_code == 400
    assert "Travaux" in response.content.decode()
    assert not Closure.objects.exists()


def test_coordinator_changes_shuttle_days(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    library = network["b"]
    response = client.post(
        reverse("library_edit", args=["BBB"]),
        {
            "code": "BBB",
            "name": library.name,
            "kind": "member",
            "commune": library.commune,
            "shuttle_days": ["1", "4"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.shuttle_days == [1, 4]
    page = client.get(reverse("library_detail", args=["BBB"])).content.decode()
    assert "lundi, jeudi" in page


def test_library_code_is_checked(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    response = client.post(
        reverse("library_create"),
        {"code": "bad code!", "name": "X", "kind": "member", "commune": "Y"},
    )
    assert response.status_code == 200
    assert "lettres capitales" in response.content.decode()


def test_coordinator_decides_which_libraries_are_pickup_points(client, network, staff):
    client.login(username="coord", password=PASSWORD)
    library = network["b"]
    form = client.get(reverse("library_edit", args=["BBB"])).context["form"]
    assert form["is_pickup_point"].initial is True
    response = client.post(
        reverse("library_edit", args=["BBB"]),
        {
            "code": "BBB",
            "name": library.name,
            "kind": "member",
            "commune": library.commune,
            "is_active": "on",
        },
    )  # the box left unticked
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.is_pickup_point is False
    page = client.get(reverse("library_detail", args=["BBB"])).content.decode()
    with translation.override("fr"):
        assert escape(gettext("Not a pickup point for reservations.")) in page


def test_a_librarian_cannot_change_the_pickup_point_flag(client, network, staff):
    client.login(username="libr", password=PASSWORD)
    library = network["a"]
    form = client.get(reverse("library_edit", args=["AAA"])).context["form"]
    assert "is_pickup_point" not in form.fields
    # Without the box the form would read "unticked"; it ignores it, the service refuses it.
    response = client.post(
        reverse("library_edit", args=["AAA"]), {"name": library.name, "commune": library.commune}
    )
    assert response.status_code == 302
    library.refresh_from_db()
    assert library.is_pickup_point is True
    with pytest.raises(PermissionDenied):
        services.update_library(staff[Role.LIBRARIAN], library, is_pickup_point=False)
    assert Library.objects.get(pk=library.pk).is_pickup_point is True
