"""The coordinator writes a plan on its page: libraries in order, constraints as short text;
mistakes come back in French with what was typed kept."""

from django.urls import reverse

from maillon.rotation.models import Cell, Plan, PlanLibrary
from tests.conftest import PASSWORD


def _data(ring, **extra):
    data = {
        "name": "Plan jeunesse",
        "kind": "continuous",
        "every": 2,
        "unit": "months",
        "start": ring["start"].isoformat(),
        "exchanges": 3,
        "libraries": "ccc, AAA BBB",
        "no_youth": "BBB",
        "max_lots": "CCC=1",
        "skips": "AAA=2,3",
        "lots": [lot.pk for lot in ring["lots"]],
        "youth_lots": [ring["lots"][0].pk],
    }
    data.update(extra)
    return data


def test_coordinator_writes_a_plan_with_constraints(ring, desk, client_fr):
    client_fr.login(username=desk["head"].username, password=PASSWORD)
    assert "Nouveau plan de circulation" in client_fr.get(reverse("rotation:new")).content.decode()
    response = client_fr.post(reverse("rotation:new"), _data(ring))
    plan = Plan.objects.get(name="Plan jeunesse")
    assert response.status_code == 302 and response["Location"].endswith(f"/{plan.pk}/")
    members = list(PlanLibrary.objects.filter(plan=plan).select_related("library"))
    assert [m.library.code for m in members] == ["CCC", "AAA", "BBB"]
    assert [m.youth for m in members] == [True, True, False]
    assert members[0].max_lots == 1 and members[1].skips == [2, 3]
    youth_lot = ring["lots"][0]
    bbb = ring["libraries"][1]
    assert not Cell.objects.filter(plan=plan, lot=youth_lot, library=bbb, number__gte=1).exists()
    assert not Cell.objects.filter(plan=plan, number__in=[2, 3], from_library__code="AAA").exists()
    assert plan.published_at is None


def test_mistakes_are_said_in_french(ring, desk, client_fr):
    client_fr.login(username=desk["head"].username, password=PASSWORD)
    page = client_fr.post(
        reverse("rotation:new"), _data(ring, libraries="AAA, ZZZ", max_lots="CCC=beaucoup")
    ).content.decode()
    assert "Code de bibliothèque inconnu" in page and "ZZZ" in page
    assert "Un nombre de caisses est un entier" in page
    page = client_fr.post(
        reverse("rotation:new"), _data(ring, libraries="AAA", exchanges="")
    ).content.decode()
    assert "Un plan réunit au moins deux bibliothèques." in page
    assert not Plan.objects.filter(name="Plan jeunesse").exists()


def test_unpublished_plan_hidden_from_library_staff(ring, desk, client):
    client.login(username=desk["a"].username, password=PASSWORD)
    assert client.get(reverse("rotation:detail", args=[ring["plan"].pk])).status_code == 404
    assert ring["plan"].name not in client.get(reverse("rotation:list")).content.decode()
