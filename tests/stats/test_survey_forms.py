"""Which form of the survey each kind of library fills in: data the coordinator changes, with a
trace in the audit log; nobody else may."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.models import AuditEntry
from maillon.network.models import Role
from maillon.stats import services
from maillon.stats.models import FormByKind
from maillon.stats.report import build
from maillon.stats.services import StatsError


def test_the_seeded_forms_follow_the_kind(network):
    assert build(2025, network["head"]).form == "full"
    assert build(2025, network["a"]).form == "abridged"
    assert "holds" in build(2025, network["a"]).values
    assert "active.age.25-39" not in build(2025, network["a"]).values  # full form only


def test_the_coordinator_changes_a_kind_and_the_report_follows(client_fr, staff, network):
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(
        reverse("stats:choose_form", args=[2025]), {"kind": "member", "form": "very_abridged"}
    )
    assert response.status_code == 302
    assert FormByKind.objects.get(library_kind="member").form == "very_abridged"
    report = build(2025, network["a"])
    assert report.form == "very_abridged" and "holds" not in report.values
    assert AuditEntry.objects.filter(action="survey_form_changed").count() == 1


def test_others_may_not_and_bad_values_are_refused(staff):
    with pytest.raises(PermissionDenied):
        services.set_form(staff[Role.LIBRARIAN], "member", "full")
    with pytest.raises(StatsError) as refused:
        services.set_form(staff[Role.COORDINATOR], "member", "huge")
    assert refused.value.code == "unknown_form"
    with pytest.raises(StatsError):
        services.set_form(staff[Role.COORDINATOR], "castle", "full")
    assert FormByKind.objects.get(library_kind="member").form == "abridged"
