"""The database picks the weeding candidates (one statement, ``candidates._statement``): what
it picks must be what the rules say when read in Python for each item (``proposes`` below),
for one library and over the whole network, and the Dewey class it works out must be
``dewey_class``'s."""

import datetime as dt
import random
import re
import sys
import zoneinfo
from typing import NamedTuple

import pytest
from django.db.models import Value
from django.utils import timezone
from django.utils.translation import gettext

from maillon.catalogue.models import GONE_STATUSES, Collection, CollectionKind, Item, ItemStatus
from maillon.circulation.models import ACTIVE_HOLD_STATUSES, Hold
from maillon.circulation.services import place_hold
from maillon.network.models import Library
from maillon.weeding import candidates
from maillon.weeding.models import Criterion
from maillon.weeding.rules import (
    SPACES,
    TESTS,
    DeweyClass,
    RuleBook,
    conditions,
    dewey_class,
    thresholds,
    why,
    years_before,
)
from tests.weeding.conftest import TODAY

TRICKY = [
    "843.7 HUG",
    "843",
    "84",
    "8a3",
    "",
    " 004.16 WIN",
    "\t\xa0\u3000 510 MAT",  # tab, no-break space, ideographic space
    "\u2009944.6",
    "R HUG",
    "R 843",
    "BD 741.5",
    "٨٤٣ arabic-indic digits",  # not a Dewey class
    "²³⁴",
    "12",
    "1234",
    "\n\n\n",
    "０１２ fullwidth",
]


class Facts(NamedTuple):
    """What the rules read of an item."""

    library_id: int  # its home library: that library's own criteria come first
    dewey: str
    audience: str
    doc_type: str
    item_type_id: int
    year: int | None
    last_use: dt.date  # last loan, else acquisition, else entry in the catalogue
    loans: int


def proposes(book: RuleBook, facts: Facts, today: dt.date) -> Criterion | None:
    """The rules read in Python for one item: the first row whose conditions hold decides,
    and proposes the item if it is past the row's X or Y."""
    for row in book.rows:
        tests = conditions(row)
        if all(TESTS[test][0](getattr(facts, fact), value) for fact, test, value in tests):
            published_by, used_by = thresholds(row, today)
            old = published_by is not None and facts.year is not None
            if (old and facts.year <= published_by) or (
                used_by is not None and facts.last_use <= used_by
            ):
                return row
            return None
    return None


def reasons(row: Criterion, facts: Facts, today: dt.date) -> dict[str, int]:
    return why(
        row.years_since_publication,
        row.years_without_loan,
        facts.year,
        facts.last_use,
        facts.loans,
        today,
    )


def test_the_spaces_are_python_s():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(re.findall(r"\s", every)) == SPACES


@pytest.mark.parametrize("text", TRICKY)
def test_the_database_reads_the_dewey_class_as_python_does(network, text):
    found = (
        Library.objects.annotate(
            one=DeweyClass(Value(text)), two=DeweyClass(Value(text), Value("R 123"))
        )
        .values_list("one", "two")
        .first()
    )
    assert found == (dewey_class(text), dewey_class(text, "R 123")), repr(text)


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _expected(library, today: dt.date) -> dict[int, tuple[int, dict]]:
    """item → (criterion, reasons), the rules read in Python over every item of the shelf."""
    book = RuleBook(library.pk)
    held = set(
        Hold.objects.filter(status__in=ACTIVE_HOLD_STATUSES).values_list("record_id", flat=True)
    )
    found = {}
    for item in Item.objects.filter(home=library).select_related("record", "collection", "owner"):
        if item.current_id != library.pk or item.status not in candidates.ON_SHELF:
            continue
        if item.collection and item.collection.kind in candidates.PROTECTED_COLLECTIONS:
            continue
        if item.owner.kind == "departmental" and item.owner_id != library.pk:
            continue
        if item.record_id in held:
            continue
        last_use = (
            _local_date(item.last_loan_at)
            if item.last_loan_at
            else item.acquired_on or _local_date(item.created_at)
        )
        facts = Facts(
            library.pk,
            dewey_class(item.record.classification, item.call_number),
            item.audience,
            item.record.doc_type,
            item.item_type_id,
            item.record.year,
            last_use,
            item.loan_count,
        )
        row = proposes(book, facts, today)
        if row is not None:
            found[item.pk] = (row.pk, reasons(row, facts, today))
    return found


@pytest.fixture
def random_shelf(network, make_item, record_of, types, make_patron, desk):
    """Two hundred items of every kind the rules tell apart, with last uses around the
    thresholds, and the library's own rows tightening and loosening the network's."""
    a, b, md = network["a"], network["b"], network["md"]
    draw = random.Random(14)
    Criterion.objects.create(
        library=a,
        label="Informatique (AAA)",
        dewey_from="004",
        dewey_to="004",
        years_since_publication=8,
    )
    Criterion.objects.create(
        library=a,
        label="Romans jeunesse (AAA)",
        audience="youth",
        doc_type="text",
        years_without_loan=6,
    )
    Criterion.objects.create(
        library=a, label="DVD (AAA)", item_type=types["DVD"], years_without_loan=1
    )
    Criterion.objects.create(
        label="Rien",
        dewey_from="640",
        dewey_to="641",
        audience="youth",
        years_since_publication=None,
        years_without_loan=None,
    )
    local = Collection.objects.create(code="LOCTEST", name="Fonds local", kind=CollectionKind.LOCAL)
    heritage = Collection.objects.create(
        code="PAT", name="Patrimoine", kind=CollectionKind.HERITAGE
    )
    base = Collection.objects.create(code="COURANT", name="Fonds courant")
    classes = ["", "004.6", "005", "030", "330.1", "510", "641.5", " 843", "944", "999", "R"]
    calls = ["", "R DUR", "843 HUG", "\xa0641 CUI", "004", "J ALB", "910 GUI"]
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    held_records = []
    for n in range(200):
        year = draw.choice([None, 0, TODAY.year, TODAY.year - 2, TODAY.year - 3, TODAY.year - 5])
        year = year if year is None or year == 0 else year - draw.choice([0, 1, 5, 10, 20])
        record = record_of(
            dewey=draw.choice(classes),
            year=year,
            doc_type=draw.choice(["text", "text", "video", "music", "periodical", "game"]),
        )
        years = draw.choice([0, 1, 2, 3, 3, 4, 6, 7])
        around = dt.datetime.combine(years_before(TODAY, years), dt.time(), paris)
        last_loan = around + dt.timedelta(minutes=draw.choice([-90, -30, 0, 30, 90, 60 * 24]))
        home = a if n % 10 else b
        owner = md if n % 23 == 0 else home
        item = make_item(
            record,
            home,
            item_type=draw.choice(["LIVRE", "LIVRE", "DVD", "NOUV"]),
            call_number=draw.choice(calls),
            audience=draw.choice(["adult", "youth", "unknown"]),
            loan_count=draw.randint(0, 9),
            last_loan_at=draw.choice([last_loan, last_loan, None]),
            acquired_on=draw.choice([None, years_before(TODAY, years)]),
        )
        changes = {"owner": owner}
        if n % 17 == 0:
            changes["collection"] = draw.choice([local, heritage, base])
        if n % 19 == 0:
            changes["status"] = draw.choice([ItemStatus.DAMAGED, ItemStatus.IN_PROCESSING])
        if n % 29 == 0:
            changes["current"] = b if home == a else a
        Item.objects.filter(pk=item.pk).update(**changes)
        if n % 31 == 0:
            held_records.append(record)
    # Around the leap days the tests read the shelf on: last used on either side of them.
    for day in (
        "2021-02-28",
        "2021-03-01",
        "2022-02-28",
        "2022-03-01",
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2025-02-28",
        "2025-03-01",
    ):
        for kind in ("loan", "acquired"):
            noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), paris)
            make_item(
                record_of(year=2000 + n % 7),
                a,
                last_loan_at=noon if kind == "loan" else None,
                acquired_on=noon.date() if kind == "acquired" else None,
            )
    patron = make_patron(expires_on=years_before(TODAY, -1))
    for record in held_records:
        place_hold(desk["a"], a, patron, record, a, today=TODAY)


@pytest.mark.parametrize("day", [TODAY, dt.date(2028, 2, 29), dt.date(2027, 3, 1)])
def test_the_database_proposes_what_the_rules_say(network, random_shelf, day):
    a = network["a"]
    expected = _expected(a, day)
    assert len(expected) > 20  # the shelf has candidates, and items kept
    assert Item.objects.filter(home=a).count() - len(expected) > 20
    found = {p.item_id: (p.criterion_id, p.reasons) for p in candidates.propose(a, day)}
    assert found == expected


def test_the_detailed_rows_and_a_dewey_range(network, random_shelf, record_of, make_item):
    a = network["a"]
    rows = {row.proposal.item_id: row for row in candidates.rows(a, TODAY)}
    assert set(rows) == {p.item_id for p in candidates.propose(a, TODAY)}
    for row in rows.values():
        item = Item.objects.select_related("record").get(pk=row.proposal.item_id)
        copies = Item.objects.filter(record=item.record).exclude(status__in=GONE_STATUSES)
        assert (row.barcode, row.call_number, row.title, row.year) == (
            item.barcode,
            item.call_number,
            item.record.title,
            item.record.year,
        )
        assert (row.copies, row.elsewhere) == (copies.count(), copies.exclude(home=a).count())
    ranged = candidates.propose(a, TODAY, dewey_from="500", dewey_to="899")
    assert ranged and {p.item_id for p in ranged} == {
        pk for pk, row in rows.items() if "500" <= row.proposal.dewey <= "899"
    }


def test_the_pages_follow_the_dewey_order(network, random_shelf):
    a = network["a"]
    every = sorted(candidates.propose(a, TODAY), key=lambda p: (p.dewey, p.item_id))
    seen = []
    for offset in range(0, len(every), 7):
        total, page = candidates.page(a, TODAY, offset, 7)
        assert total == len(every)
        seen += [row.proposal.item_id for row in page]
    assert seen == [p.item_id for p in every]
    assert candidates.page(a, TODAY, len(every) + 10, 7) == (len(every), [])


def test_the_network_s_list_is_every_library_s(network, random_shelf):
    from maillon.weeding.services import candidate_table, network_table

    a, b = network["a"], network["b"]
    # b's own criterion must not reach a's items.
    Criterion.objects.create(library=b, label="Tout (BBB)", doc_type="text", years_without_loan=1)
    table = list(network_table(TODAY))
    assert table[0][1:] == candidate_table(a, TODAY)[0]
    for library in (a, b):
        mine = [row[1:] for row in table[1:] if row[0] == library.code]
        assert mine == candidate_table(library, TODAY)[1:]
        criteria = {c.pk: f"{c.label} ({c.formula})" for c in Criterion.objects.all()}
        barcodes = dict(Item.objects.values_list("pk", "barcode"))
        expected = {
            barcodes[pk]: [criteria[criterion], why.get("age"), why.get("idle"), why.get("loans")]
            for pk, (criterion, why) in _expected(library, TODAY).items()
        }
        assert {row[0]: row[4:8] for row in mine} == expected
    codes = [row[0] for row in table[1:]]
    assert [code for n, code in enumerate(codes) if not n or codes[n - 1] != code] == sorted(
        set(codes), key=codes.index
    )  # library after library
    assert set(codes) == {a.code, b.code}


def test_the_command_writes_the_network_s_list(network, random_shelf, tmp_path):
    from django.core.management import CommandError, call_command

    from maillon.weeding.services import network_table

    out = tmp_path / "reseau.csv"
    call_command("weeding_candidates", network=True, csv=out)
    lines = out.read_text(encoding="utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Bibliothèque;Code-barres;Cote")
    assert len(lines) == len(list(network_table(TODAY))) > 20
    with pytest.raises(CommandError):  # one list or the other
        call_command("weeding_candidates", network=True, library="AAA")


def _table_from_rows(library, today: dt.date) -> list[list[object]]:
    """A library's candidate table built the long way, from the detailed rows
    (``candidates.rows``) and their reasons (``rules.why``): what the tables showed before
    they were read from a statement of their own."""
    names = candidates.labels(RuleBook(library.pk))
    found = sorted(
        candidates.rows(library, today), key=lambda r: (r.call_number, r.proposal.item_id)
    )
    return [
        [
            row.barcode,
            row.call_number,
            row.title,
            row.year,
            names[row.proposal.criterion_id],
            row.proposal.reasons.get("age"),
            row.proposal.reasons.get("idle"),
            row.proposal.reasons.get("loans"),
            row.elsewhere,
            gettext("yes") if row.last_copy else gettext("no"),
        ]
        for row in found
    ]


def _network_from_rows(today: dt.date) -> list[list[object]]:
    found = []
    for library in Library.objects.order_by("pk"):
        found += [[library.code, *row] for row in _table_from_rows(library, today)]
    return found


@pytest.mark.parametrize("day", [TODAY, dt.date(2028, 2, 29)])
def test_the_tables_are_the_detailed_rows(network, random_shelf, day):
    from maillon.weeding.services import candidate_table, network_table

    a, b = network["a"], network["b"]
    Criterion.objects.create(library=b, label="Tout (BBB)", doc_type="text", years_without_loan=1)
    assert candidate_table(a, day)[1:] == _table_from_rows(a, day)
    table = list(network_table(day))
    assert table[1:] == _network_from_rows(day)
    assert {row[0] for row in table[1:]} == {a.code, b.code}


def test_the_network_s_table_on_a_generated_network(db, monkeypatch):
    """Many libraries, records with copies here and there: the same rows as the long way,
    streamed or read through a cursor (PostgreSQL with an older libpq)."""
    from maillon.bench.collections_bench import _last_loans
    from maillon.bench.generate import generate
    from maillon.weeding.services import network_table

    generate(600, items_per_record=2.0, libraries=8, seed=14)
    _last_loans()
    table = list(network_table(TODAY))
    expected = _network_from_rows(TODAY)
    assert len(expected) > 300 and len({row[0] for row in expected}) == 8
    assert any(row[-1] == gettext("yes") for row in expected) and any(row[-2] for row in expected)
    assert table[1:] == expected
    monkeypatch.setattr(candidates, "_streams", lambda: False)
    assert list(network_table(TODAY)) == table
