"""The core collection: the network's loans and holds summed per month by a daily refresh,
the most demanded titles per audience and kind with the libraries holding them, and each
library's gaps."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus, Record
from maillon.circulation.models import Hold, Loan
from maillon.corecollection import services
from maillon.corecollection.models import CoreList, MonthlyDemand
from maillon.jobs.registry import DAILY_TASKS
from maillon.network.models import Role

MARCH = dt.datetime(2025, 3, 10, 10, tzinfo=dt.UTC)
APRIL = dt.datetime(2025, 4, 10, 10, tzinfo=dt.UTC)


def lend(item: Item, times: int, at: dt.datetime) -> None:
    """Past loans, as circulation leaves them (returned)."""
    Loan.objects.bulk_create(
        Loan(
            item=item,
            library_id=item.home_id,
            checked_out_at=at,
            due_on=at.date(),
            loan_days=21,
            returned_at=at,
        )
        for _n in range(times)
    )


@pytest.fixture
def demand(network, make_item, record_of):
    a, b, head = network["a"], network["b"], network["head"]

    def record(title, audience="adult", doc_type="text"):
        made = record_of(title, doc_type=doc_type)
        Record.objects.filter(pk=made.pk).update(audience=audience)
        return made

    titles = {
        "polar": record("Un polar"),
        "roman": record("Un roman"),
        "essai": record("Un essai"),
        "album": record("Un album", audience="youth"),
        "film": record("Un film", doc_type="video"),
    }
    copies = {
        "polar_a": make_item(titles["polar"], a),
        "polar_b": make_item(titles["polar"], b),
        "roman_b": make_item(titles["roman"], b),
        "essai_head": make_item(titles["essai"], head),
        "album_b": make_item(titles["album"], b),
        "film_head": make_item(titles["film"], head),
        "roman_a_gone": make_item(titles["roman"], a, status=ItemStatus.WITHDRAWN),
    }
    lend(copies["polar_a"], 3, MARCH)
    lend(copies["polar_b"], 2, APRIL)
    lend(copies["roman_b"], 4, MARCH)
    lend(copies["essai_head"], 1, MARCH)
    lend(copies["album_b"], 2, APRIL)
    lend(copies["film_head"], 1, APRIL)
    Hold.objects.create(record=titles["essai"], pickup_library=a, created_at=APRIL)
    Hold.objects.create(record=titles["essai"], pickup_library=b, created_at=APRIL)
    Hold.objects.create(record=titles["essai"], pickup_library=head, created_at=APRIL)
    return titles


def test_the_refresh_sums_only_what_is_new(demand, make_item):
    assert services.refresh_demand() == services.Refreshed(loans=13, holds=3)
    polar = MonthlyDemand.objects.filter(record=demand["polar"]).order_by("month")
    assert [(d.month, d.loans) for d in polar] == [
        (dt.date(2025, 3, 1), 3),
        (dt.date(2025, 4, 1), 2),
    ]
    assert services.refresh_demand() == services.Refreshed(0, 0)  # nothing twice
    lend(Item.objects.get(record=demand["roman"], status="available"), 2, MARCH)
    assert services.refresh_demand() == services.Refreshed(2, 0)
    assert MonthlyDemand.objects.get(record=demand["roman"], month=dt.date(2025, 3, 1)).loans == 6


def test_the_most_demanded_per_audience_and_kind(demand, staff, network):
    services.refresh_demand()
    coordinator = staff[Role.COORDINATOR]
    with pytest.raises(PermissionDenied):
        services.compute(staff[Role.LIBRARIAN], dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    core = services.compute(coordinator, dt.date(2025, 3, 5), dt.date(2025, 4, 30), per_group=2)
    assert core.start == dt.date(2025, 3, 1)
    rows = [
        (t.audience, t.doc_type, t.rank, t.record.title, t.loans, t.holds, t.libraries)
        for t in services.titles(core)
    ]
    assert rows == [
        ("adult", "text", 1, "Un polar", 5, 0, 2),
        (
            "adult",
            "text",
            2,
            "Un roman",
            4,
            0,
            1,
        ),  # ties Un essai (1 + 3): the older first; a withdrawn copy does not count
        ("adult", "video", 1, "Un film", 1, 0, 1),
        ("youth", "text", 1, "Un album", 2, 0, 1),
    ]
    march = services.compute(coordinator, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    adults = [(t.record.title, t.loans + t.holds) for t in services.titles(march, audience="adult")]
    assert adults == [("Un roman", 4), ("Un polar", 3), ("Un essai", 1)]
    april = services.compute(coordinator, dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    first = services.titles(april, audience="adult", doc_type="text").first()
    assert (first.record.title, first.holds) == ("Un essai", 3)  # holds count as demand

    for start, end, per_group in (
        (dt.date(2025, 5, 1), dt.date(2025, 4, 1), 10),
        (dt.date(2015, 1, 1), dt.date(2025, 4, 1), 10),
        (dt.date(2025, 1, 1), dt.date(2025, 4, 1), 0),
    ):
        with pytest.raises(services.CoreCollectionError):
            services.compute(coordinator, start, end, per_group=per_group)


def test_a_library_s_gaps(demand, staff, network):
    services.refresh_demand()
    core = services.compute(staff[Role.COORDINATOR], dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    gaps = [(t.record.title, t.loans) for t in services.gaps(core, network["a"])]
    # Library a holds the polar; its roman is withdrawn: a gap.
    assert gaps == [("Un roman", 4), ("Un album", 2), ("Un film", 1), ("Un essai", 1)]
    assert [t.record.title for t in services.gaps(core, network["a"], audience="youth")] == [
        "Un album"
    ]


def test_the_daily_command(demand):
    call_command("core_collection_refresh", "--months", "60")
    core = services.latest()
    assert core is not None and core.end < timezone.localdate()
    assert core.titles.count() == 5


def test_pages(client_fr, demand, staff, network, desk):
    services.refresh_demand()
    client_fr.force_login(staff[Role.COORDINATOR])
    response = client_fr.post(
        reverse("corecollection:list"),
        {"start": "2025-03-01", "end": "2025-04-30", "per_group": "10"},
    )
    assert response.status_code == 302
    page = client_fr.get(reverse("corecollection:list")).content.decode()
    assert "Un polar" in page and "Un album" in page
    bad = client_fr.post(
        reverse("corecollection:list"), {"start": "2025-05-01", "end": "2025-03-01"}
    )
    assert bad.status_code == 200 and "2025-05-01" in bad.content.decode()

    client_fr.force_login(desk["a"])
    gaps = client_fr.get(
        reverse("corecollection:gaps") + f"?bibliotheque={network['a'].code}"
    ).content.decode()
    assert "Un roman" in gaps and "Un polar" not in gaps
    assert reverse("circulation:hold_place") in gaps  # a hold from another library, one click


def test_it_joins_the_daily_work_and_computes_once_a_month(demand):
    task = DAILY_TASKS["maillon.corecollection.job_kinds.core_collection_daily"]
    june = dt.date(2025, 6, 15)
    first = task(june)
    assert first["loans"] > 0 and first["core_titles"] == 5
    assert task(june + dt.timedelta(days=1)) == {"loans": 0, "holds": 0, "core_titles": 0}
    assert task(dt.date(2025, 7, 1))["core_titles"] == 5  # a new month: a new list
    assert [(c.start, c.end) for c in CoreList.objects.order_by("pk")] == [
        (dt.date(2024, 6, 1), dt.date(2025, 5, 31)),
        (dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
    ]
