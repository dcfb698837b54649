"""The booking rules as data, edited in a form: French errors for inconsistent rules, every
change audited, the MD's staff and the coordinator only; a changed rule rules the next
booking."""

import re

import pytest
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.bookings import rules, services
from maillon.bookings.models import BookingRule, DocumentKind, SeasonalLimit
from maillon.bookings.services import BookingError

from .conftest import TODAY, days


def form_data(kind, owner, **changes) -> dict:
    data = {
        "kind": kind.pk if kind else "",
        "owner": owner.pk if owner else "",
        "lead_days": 15,
        "min_days": 7,
        "max_days": 60,
        "buffer_days": 7,
        "max_per_library": 10,
        "max_per_library_kind": 1,
        "approval_needed": "on",
        "renewals": 1,
        "renewal_days": 30,
        "delivery": "shuttle",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_md_staff_create_a_rule_in_the_form_and_it_is_audited(client_fr, people, network, kinds):
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:rule_new"),
        {
            **form_data(kinds["exposition"], network["md"]),
            "documents": [DocumentKind.objects.get(code="convention").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    rule = BookingRule.objects.get(kind=kinds["exposition"], owner=network["md"])
    assert (rule.max_days, rule.max_per_library_kind, rule.renewal_days) == (60, 1, 30)
    assert [d.code for d in rule.documents.all()] == ["convention"]
    entry = AuditEntry.objects.get(action="booking_rule_created", object_id=rule.pk)
    assert entry.user_id == people["md"].pk and entry.library_id == network["md"].pk
    page = client_fr.get(reverse("bookings:rules")).content.decode()
    assert "Règles de réservation" in page and "7 à 60 jours" in page
    assert reverse("bookings:rule_edit", args=[rule.pk]) in page


def test_min_longer_than_max_and_other_mistakes_get_french_errors(
    client_fr, people, network, kinds
):
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:rule_new"),
        form_data(
            kinds["exposition"],
            network["md"],
            min_days=30,
            max_days=14,
            max_per_library=2,
            max_per_library_kind=3,
            delivery="collection",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "La durée maximale (14 jours) est plus courte que la minimale (30 jours)." in page
    assert "jamais" in page  # 3 of a kind out of 2 in all could never be reached
    assert "Cochez les jours" in page
    assert 'value="30"' in page  # what was typed is kept
    assert not BookingRule.objects.filter(kind=kinds["exposition"], owner=network["md"]).exists()


def test_the_service_refuses_what_the_form_would(people, network, kinds):
    data = {
        "kind": kinds["valise"],
        "owner": network["md"],
        "min_days": 20,
        "max_days": 10,
    }
    with pytest.raises(BookingError) as error:
        rules.save_rule(people["coord"], None, data)
    assert error.value.code == "invalid_rule" and error.value.field == "max_days"
    assert not BookingRule.objects.filter(kind=kinds["valise"], owner=network["md"]).exists()


def test_a_librarian_reads_the_rules_but_cannot_change_them(client_fr, people, network, kinds):
    rule = rules.save_rule(
        people["md"], None, {"kind": kinds["valise"], "owner": network["md"], "max_days": 30}
    )
    client_fr.force_login(people["a"])
    page = client_fr.get(reverse("bookings:rules")).content.decode()
    assert "Valise" in page or "valise" in page.lower()
    assert reverse("bookings:rule_edit", args=[rule.pk]) not in page
    assert client_fr.get(reverse("bookings:rule_edit", args=[rule.pk])).status_code == 403
    assert client_fr.get(reverse("bookings:rule_new")).status_code == 403
    posted = client_fr.post(
        reverse("bookings:rule_edit", args=[rule.pk]), form_data(kinds["valise"], network["md"])
    )
    assert posted.status_code == 403
    with pytest.raises(BookingError) as error:
        rules.save_rule(people["a"], rule, {"kind": kinds["valise"], "owner": network["a"]})
    assert error.value.code == "rules_not_allowed"
    # Not even for the tools her own library lends.
    assert not rules.may_edit(people["a"], network["a"])
    rule.refresh_from_db()
    assert rule.max_days == 30


def test_only_the_coordinator_sets_a_rule_for_every_owner(people, network, kinds):
    with pytest.raises(BookingError):
        rules.save_rule(people["md"], None, {"kind": kinds["valise"], "owner": None})
    rule = rules.save_rule(people["coord"], None, {"kind": kinds["valise"], "owner": None})
    assert rule.owner is None
    with pytest.raises(BookingError):
        rules.delete_rule(people["md"], rule)
    # MD staff cannot move a rule to another owner.
    mine = rules.save_rule(people["md"], None, {"kind": None, "owner": network["md"]})
    with pytest.raises(BookingError):
        rules.save_rule(people["md"], mine, {"kind": None, "owner": network["a"]})


def test_one_rule_per_kind_and_owner(people, network, kinds):
    rules.save_rule(people["md"], None, {"kind": kinds["valise"], "owner": network["md"]})
    with pytest.raises(BookingError) as error:
        rules.save_rule(people["md"], None, {"kind": kinds["valise"], "owner": network["md"]})
    assert error.value.code == "rule_scope_taken"


def test_a_changed_rule_rules_the_next_booking(client_fr, people, network, expo):
    rule = rules.save_rule(
        people["md"],
        None,
        {"kind": expo.kind, "owner": network["md"], "max_days": 90, "lead_days": 15},
    )
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:rule_edit", args=[rule.pk]),
        form_data(expo.kind, network["md"], max_days=20, max_per_library_kind=None),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="booking_rule_changed", object_id=rule.pk)
    assert entry.details["resource_changes"]["max_days"] == [90, 20]
    with pytest.raises(BookingError) as error:
        services.request_booking(people["a"], network["a"], expo, days(30), days(59), today=TODAY)
    assert "20" in error.value.message


def test_seasonal_limits_are_edited_and_deleted(client_fr, people, network, kinds):
    client_fr.force_login(people["md"])
    response = client_fr.post(
        reverse("bookings:limit_new"),
        {
            "kind": kinds["valise"].pk,
            "owner": network["md"].pk,
            "month_from": 12,
            "month_to": 12,
            "max_per_library": 0,
        },
    )
    assert response.status_code == 200
    assert "Autorisez au moins une réservation" in response.content.decode()
    response = client_fr.post(
        reverse("bookings:limit_new"),
        {
            "kind": kinds["valise"].pk,
            "owner": network["md"].pk,
            "month_from": 12,
            "month_to": 12,
            "max_per_library": 1,
        },
    )
    assert response.status_code == 302
    limit = SeasonalLimit.objects.get()
    assert "Décembre" in client_fr.get(reverse("bookings:rules")).content.decode().title()
    client_fr.force_login(people["a"])
    assert client_fr.post(reverse("bookings:limit_delete", args=[limit.pk])).status_code == 302
    assert SeasonalLimit.objects.filter(pk=limit.pk).exists()
    client_fr.force_login(people["md"])
    client_fr.post(reverse("bookings:limit_delete", args=[limit.pk]))
    assert not SeasonalLimit.objects.exists()
    assert AuditEntry.objects.filter(action="seasonal_limit_deleted").count() == 1


def test_the_database_settles_two_editors_creating_one_scope(people, network, kinds, monkeypatch):
    """Both passed the check before either saved: the unique index refuses the second."""
    rules.save_rule(people["md"], None, {"kind": kinds["jeu"], "owner": network["md"]})
    monkeypatch.setattr(rules, "_scope_taken", lambda *args: False)
    with pytest.raises(BookingError) as error:
        rules.save_rule(people["coord"], None, {"kind": kinds["jeu"], "owner": network["md"]})
    assert error.value.code == "rule_scope_taken"
    assert BookingRule.objects.filter(kind=kinds["jeu"], owner=network["md"]).count() == 1


def test_the_edit_form_shows_the_collection_days(client_fr, people, network, kinds):
    rule = rules.save_rule(
        people["coord"],
        None,
        {
            "kind": kinds["jeu"],
            "owner": network["a"],
            "delivery": "collection",
            "collection_days": [4, 2],
        },
    )
    assert rule.collection_days == [2, 4]
    client_fr.force_login(people["coord"])
    page = client_fr.get(reverse("bookings:rule_edit", args=[rule.pk])).content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="collection_days" value="(\d)"[^>]*checked', page
    )
    assert checked == ["2", "4"]
    assert "mardi" in page.lower() and "jeudi" in page.lower()
    listing = client_fr.get(reverse("bookings:rules")).content.decode()
    assert "retrait (mardi, jeudi)" in listing.lower()
