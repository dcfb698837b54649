"""The lists behind the figures ("why 1,243?"): as many rows as the figure says, for a library
and for the network, whether the report reads the raw rows or the summary tables; read a page
at a time they are the same rows as read whole; a borrower of two libraries is one row of the
network's list."""

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.paginator import Paginator
from django.urls import reverse
from openpyxl import load_workbook

from maillon.catalogue.models import Item
from maillon.circulation.models import Loan
from maillon.network.models import Role
from maillon.stats import listing, summaries, views
from maillon.stats.facts import Period
from maillon.stats.figures import all_figures, compute
from maillon.stats.models import HoldingItem
from maillon.stats.report import build

YEAR = Period.year(2025)
FIGURES = [
    "loans",
    "loans.D1",
    "loans.D4",
    "loans.youth",
    "loans.md",
    "loans.no_key",
    "active",
    "active.adult",
    "active.child",
    "active.collective",
    "active.age.25-39",
    "holdings",
    "holdings.D1",
    "holdings.D1.youth",
    "holdings_md",
    "added.D1",
    "withdrawn.D1",
    "renewals",
    "registered",
    "registered.collective",
    "new",
    "holds",
    "holds_satisfied",
    "sent",
    "received",
]


def _figure(key):
    return next(f for f in all_figures() if f.key == key)


def _identity(row):
    """What tells one row from another, whatever the list reads."""
    if isinstance(row, listing.Borrower):
        return row.key
    if isinstance(row, HoldingItem):
        return row.item_id
    return row.pk


def _paged(rows, size):
    paginator = Paginator(rows, size)
    return [
        _identity(row) for number in paginator.page_range for row in paginator.page(number)
    ], paginator.count


def _check_every_list(network, expect_source):
    libraries = {"AAA": network["a"], "BBB": network["b"], "network": None}
    checked = 0
    for name, library in libraries.items():
        for key in FIGURES:
            figure = compute([_figure(key)], YEAR, library)[key]  # as the report counts it
            rows = listing.of(_figure(key), YEAR, library)
            if key.startswith(("loans", "active")):
                assert rows.source == expect_source, key
            whole = [_identity(row) for row in rows.all()]
            paged, count = _paged(rows, 2)
            assert count == len(whole) == figure, (name, key)
            assert paged == whole, (name, key)  # page after page: the same rows, in order
            assert len(set(whole)) == len(whole), (name, key)  # none twice
            for line in rows.table(rows[0:2]):
                assert len(line) == len(rows.header())
            checked += 1
    return checked


def _blank_one_key():
    """A loan anonymised before Maillon kept a pseudonym: counted in loans, not in borrowers."""
    loan = Loan.objects.filter(checked_out_at__year=2025, library__code="BBB").order_by("pk")[0]
    Loan.objects.filter(pk=loan.pk).update(patron_key="")


def test_every_list_has_as_many_rows_as_its_figure_from_the_raw_rows(activity, network):
    _blank_one_key()
    assert not summaries.loans_counted(YEAR)
    assert _check_every_list(network, "rows") == 3 * len(FIGURES)
    assert build(2025, network["b"]).values["loans.no_key"] == 1  # the list is not empty


def test_every_list_has_as_many_rows_as_its_figure_from_the_summaries(activity, network):
    _blank_one_key()
    call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
    assert summaries.loans_counted(YEAR)
    assert HoldingItem.objects.filter(year=2025).count() == 7  # 6 own documents and the MD's
    assert _check_every_list(network, "summaries") == 3 * len(FIGURES)
    holdings = listing.of(_figure("holdings"), YEAR, network["a"])
    assert holdings.source == "snapshot"


def test_loans_read_by_days_are_the_loans_in_checkout_order(activity, network):
    """From the summaries a page reads only the days its rows fall on: pages of any size give
    the loans in the order the raw rows give them, the last page included."""
    call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
    in_order = list(
        Loan.objects.filter(YEAR.during("checked_out_at"))
        .order_by("checked_out_at", "pk")
        .values_list("pk", flat=True)
    )
    assert len(in_order) == 7
    rows = listing.of(_figure("loans"), YEAR, None)
    assert isinstance(rows, listing.LoanRows) and rows.counted
    for size in (1, 2, 3, 7, 100):
        assert _paged(rows, size) == (in_order, 7), size
    assert [loan.pk for loan in rows[5:7]] == in_order[5:7]
    assert rows[7:9] == []


def test_the_network_lists_a_borrower_of_two_libraries_once(activity, network):
    for refreshed in (False, True):
        if refreshed:
            call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
        borrowers = list(listing.of(_figure("active"), YEAR, None).all())
        keys = [b.key for b in borrowers]
        assert len(keys) == len(set(keys)) == build(2025, None).values["active"] == 4
        # P1 borrowed at AAA and at BBB (their loans anonymised since: the pseudonym stays).
        both = [b for b in borrowers if len(b.libraries) > 1]
        assert len(both) == 1, refreshed
        assert both[0].libraries == ["Bibliothèque AAA", "Bibliothèque BBB"]
        assert both[0].communes == ["Parthenay"]
        by_library = sum(
            listing.of(_figure("active"), YEAR, network[code]).count() for code in ("a", "b")
        )
        assert by_library == 5  # each library's list counts its own borrowers


def test_the_holdings_list_keeps_where_documents_were_at_31_12(activity, network):
    summaries.snapshot_holdings(2025)
    moved = activity["items"]["A2"]
    Item.objects.filter(pk=moved.pk).update(home=network["b"])
    rows = listing.of(_figure("holdings"), YEAR, network["a"])
    found = list(rows.all())
    assert rows.count() == len(found) == build(2025, network["a"]).values["holdings"] == 4
    row = next(h for h in found if h.item_id == moved.pk)
    assert rows.table([row]).__next__()[5] == "Bibliothèque AAA"
    # A snapshot taken before Maillon kept its documents: today's documents, and it says so.
    HoldingItem.objects.all().delete()
    raw = listing.of(_figure("holdings"), YEAR, network["a"])
    assert raw.note and raw.count() == 3


def test_the_page_counts_pages_and_exports_the_whole_list(client, staff, activity, monkeypatch):
    call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    client.force_login(staff[Role.COORDINATOR])
    url = reverse("stats:figure_rows", args=[2025, "reseau", "loans"])
    first = client.get(url)
    assert first.context["value"] == first.context["count"] == 7
    assert first.context["page"].paginator.num_pages == 4
    last = client.get(url + "?page=4")
    assert len(last.context["rows"]) == 1
    assert "?page=1" in last.content.decode()  # back to the first page
    text = b"".join(client.get(url + "?format=csv").streaming_content).decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 7
    active = client.get(reverse("stats:figure_rows", args=[2025, "reseau", "active"]))
    assert active.context["count"] == 4
    pages = [client.get(active.request["PATH_INFO"], {"page": n}) for n in (1, 2)]
    assert sum("Bibliothèque AAA, Bibliothèque BBB" in p.content.decode() for p in pages) == 1
    sheet = client.get(
        reverse("stats:figure_rows", args=[2025, "reseau", "active"]) + "?format=xlsx"
    )
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4


def test_a_list_too_long_for_a_sheet_asks_for_the_csv(client, staff, activity, monkeypatch):
    monkeypatch.setattr(views, "XLSX_ROWS", 6)
    client.force_login(staff[Role.COORDINATOR])
    url = reverse("stats:figure_rows", args=[2025, "reseau", "loans"])
    response = client.get(url + "?format=xlsx")
    assert response.status_code == 302 and response.url == url
    page = client.get(url)
    assert "format=xlsx" not in page.content.decode()
    assert client.get(url + "?format=csv").status_code == 200


@pytest.mark.parametrize("page", ["0", "x", "999"])
def test_a_page_out_of_range_shows_a_page(client, staff, activity, page):
    client.force_login(staff[Role.COORDINATOR])
    url = reverse("stats:figure_rows", args=[2025, "AAA", "loans"])
    assert client.get(url, {"page": page}).status_code == 200


def test_a_year_with_no_loans_lists_nothing(activity, network):
    call_command("stats_refresh", "--date=2026-01-02", stdout=StringIO())
    rows = listing.of(_figure("loans"), Period(dt.date(2025, 8, 1), dt.date(2025, 8, 31)), None)
    assert rows.count() == 0 and list(rows.all()) == [] and rows[0:100] == []
