"""Statistics in the API: the annual report with its codes and NC as null, loans grouped four
ways, the network without double counting; a librarian reaches their own library only."""

import pytest

from maillon.network.models import Role
from tests.api.test_lots_api import client_for


@pytest.fixture
def coordinator(staff):
    return client_for(staff[Role.COORDINATOR])


def _line(answer, key):
    return next(line for s in answer["sections"] for line in s["lines"] if line["key"] == key)


def test_the_annual_report_of_the_network_and_a_library(coordinator, activity, check_schema):
    network = check_schema(coordinator.get("/api/v1/stats/annual?year=2025").json(), "AnnualReport")
    assert network["library"] is None and network["form"] == "full"
    assert _line(network, "active")["value"] == 4 and _line(network, "active")["code"] == "E1"
    assert _line(network, "loans")["value"] == 7 and _line(network, "loans")["code"] == "E2"
    budget = next(s for s in network["sections"] if s["code"] == "F")
    assert [line["value"] for line in budget["lines"]] == [None, None]
    aaa = coordinator.get("/api/v1/stats/annual?year=2025&library=aaa").json()
    assert aaa["library"]["code"] == "AAA" and _line(aaa, "active")["value"] == 3


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("library", {"AAA": 4, "BBB": 3, "HEAD": 0, "MD": 0}),
        ("medium", {"text": 5, "periodical": 1, "video": 1}),
        ("audience", {"adult": 6, "youth": 1, "unknown": 0}),
    ],
)
def test_loans_grouped(coordinator, activity, check_schema, group_by, expected):
    url = f"/api/v1/stats/loans?from=2025-01-01&to=2025-12-31&group_by={group_by}"
    answer = check_schema(coordinator.get(url).json(), "LoanCounts")
    counts = {g["key"]: g["loans"] for g in answer["groups"]}
    assert {k: counts[k] for k in expected} == expected
    assert answer["total"] == 7 and answer["from"] == "2025-01-01"


def test_loans_by_month_list_every_month(coordinator, activity):
    url = "/api/v1/stats/loans?from=2025-01-01&to=2025-06-30&group_by=month&library=BBB"
    groups = coordinator.get(url).json()["groups"]
    assert [(g["key"], g["loans"]) for g in groups] == [
        ("2025-01", 0),
        ("2025-02", 2),
        ("2025-03", 0),
        ("2025-04", 1),
        ("2025-05", 0),
        ("2025-06", 0),
    ]


def test_a_librarian_reaches_their_library_only(desk, activity):
    api = client_for(desk["a"])
    assert api.get("/api/v1/stats/annual?year=2025&library=AAA").status_code == 200
    for url in ("/api/v1/stats/annual?year=2025", "/api/v1/stats/annual?year=2025&library=BBB"):
        answer = api.get(url)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"


def test_bad_periods_are_refused(coordinator, network):
    answer = coordinator.get("/api/v1/stats/loans?from=2025-05-01&to=2025-01-01")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_period"
    assert coordinator.get("/api/v1/stats/loans?from=2025-01-01").status_code == 400
    assert coordinator.get("/api/v1/stats/annual?year=2025&library=NOPE").status_code == 404
    assert coordinator.get("/api/v1/stats/annual?year=2999").status_code == 400
