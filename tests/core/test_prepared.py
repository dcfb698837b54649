"""A prepared queryset gives what the queryset gives, and prepared writes write what save()
writes: same rows, same objects, same signals, same refusals."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, OuterRef, signals
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from maillon.audit.models import AuditEntry
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan
from maillon.core import prepared
from maillon.core.prepared import Prepared
from maillon.patrons.models import Patron, PatronBlock

pytestmark = pytest.mark.django_db

ITEM = Prepared(
    lambda barcode: (
        Item.objects.select_related("item_type", "record", "collection")
        .annotate(lent=Exists(Loan.objects.filter(item=OuterRef("pk"), returned_at__isnull=True)))
        .filter(barcode=barcode)
    ),
    str,
)
PATRON_ROWS = Prepared(
    lambda home_id, surname: (
        Patron.objects.filter(home_library_id=home_id, surname=surname)
        .order_by("card_number")
        .values_list("card_number", "registered_on", "category__code")
    ),
    int,
    str,
)
LOCKED = Prepared(lambda pk: Patron.objects.select_for_update().filter(pk=pk), int)


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_instances_as_the_queryset_gives_them(make_item, book, make_patron, network):
    items = [make_item(book), make_item(book)]
    Loan.objects.create(
        item=items[1], patron=make_patron(), library=network["a"], due_on="2026-01-05", loan_days=21
    )
    for item in items:
        expected = (
            Item.objects.select_related("item_type", "record", "collection")
            .annotate(
                lent=Exists(Loan.objects.filter(item=OuterRef("pk"), returned_at__isnull=True))
            )
            .get(barcode=item.barcode)
        )
        found = ITEM.first(item.barcode)
        assert found is not None
        assert _fields(found) == _fields(expected)
        assert found.lent == expected.lent
        assert not found._state.adding and found._state.db == "default"
        with CaptureQueriesContext(connection) as captured:  # the related rows came with it
            assert _fields(found.record) == _fields(expected.record)
            assert _fields(found.item_type) == _fields(expected.item_type)
            assert found.collection == expected.collection
        assert len(captured) == 0
    assert ITEM.first("no such barcode") is None
    assert ITEM.all("no such barcode") == []


def test_values_list_rows_in_order(make_patron, network):
    for surname in ("Martin", "Martin", "Durand"):
        make_patron(surname=surname, home=network["a"])
    expected = list(
        Patron.objects.filter(home_library=network["a"], surname="Martin")
        .order_by("card_number")
        .values_list("card_number", "registered_on", "category__code")
    )
    assert len(expected) == 2
    assert PATRON_ROWS.rows(network["a"].pk, "Martin") == expected
    assert PATRON_ROWS.rows(network["a"].pk, "Nobody") == []
    with pytest.raises(TypeError):
        PATRON_ROWS.all(network["a"].pk, "Martin")


@pytest.mark.django_db(transaction=True)
def test_a_lock_only_inside_a_transaction(make_patron):
    patron = make_patron()
    with transaction.atomic():
        assert LOCKED.first(patron.pk) == patron
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            LOCKED.first(patron.pk)
    else:  # SQLite: no lock clause, and Django does not refuse it either
        assert LOCKED.first(patron.pk) == patron


def test_a_value_the_sql_does_not_take_as_given_is_refused():
    contains = Prepared(lambda text: Patron.objects.filter(surname__contains=text), str)
    with pytest.raises(ValueError):
        contains.all("art")


def test_insert_writes_what_save_writes(make_patron):
    patron = make_patron()
    saved = AuditEntry(action="checkout", object_type="item", object_id=7, patron_id=patron.pk)
    saved.details = {"due_on": "2026-01-05", "loan": 3}
    saved.save(force_insert=True)
    inserted = AuditEntry(action="checkout", object_type="item", object_id=7, patron_id=patron.pk)
    inserted.details = {"due_on": "2026-01-05", "loan": 3}
    seen = []

    def note(sender, instance, **kwargs):
        seen.append((kwargs.get("created"), instance))

    signals.pre_save.connect(note, sender=AuditEntry)
    signals.post_save.connect(note, sender=AuditEntry)
    try:
        with CaptureQueriesContext(connection) as captured:
            prepared.insert(inserted)
    finally:
        signals.pre_save.disconnect(note, sender=AuditEntry)
        signals.post_save.disconnect(note, sender=AuditEntry)
    assert len(captured) == 1
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding
    assert seen == [(None, inserted), (True, inserted)]
    again = {k: v for k, v in _fields(AuditEntry.objects.get(pk=inserted.pk)).items()}
    first = _fields(AuditEntry.objects.get(pk=saved.pk))
    for name in ("id", "at"):
        again.pop(name), first.pop(name)
    assert again == first
    assert AuditEntry.objects.get(pk=inserted.pk).at == inserted.at  # the default, as saved


def test_update_writes_those_columns_only(make_item, book):
    item = make_item(book)
    before = item.updated_at
    other = Item.objects.get(pk=item.pk)
    other.call_number = "R PET"  # changed in memory only: not among the columns written
    other.status = ItemStatus.ON_LOAN
    other.loan_count = 4
    prepared.update(other, ["status", "loan_count", "updated_at"])
    row = Item.objects.get(pk=item.pk)
    assert (row.status, row.loan_count, row.call_number) == (
        ItemStatus.ON_LOAN,
        4,
        item.call_number,
    )
    assert row.updated_at > before  # auto_now, as save(update_fields=…) sets it
    assert other.updated_at == row.updated_at
    gone = Item.objects.get(pk=item.pk)
    Item.objects.filter(pk=item.pk).delete()
    with pytest.raises(DatabaseError):
        prepared.update(gone, ["status"])


def test_an_annotation_as_the_sip2_server_reads_it(make_patron, network):
    from maillon.sip2.services import _patron

    patron = make_patron()
    assert _patron(patron.card_number).has_active_block is False
    kind = PatronBlock._meta.get_field("kind").choices[0][0]
    PatronBlock.objects.create(patron=patron, kind=kind, library=network["a"])
    assert _patron(patron.card_number).has_active_block is True
    assert _patron("no such card") is None


def test_statements_together_give_each_its_rows_in_one_round_trip(make_patron, network):
    first, second = make_patron("Martin"), make_patron("Martin", first_name="Jean")
    count = ("SELECT COUNT(*) FROM patrons_patron WHERE surname = %s", ["Martin"])
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        locked, rows, counted, nothing = prepared.together(
            LOCKED.statement(first.pk),
            PATRON_ROWS.statement(network["a"].pk, "Martin"),
            count,
            LOCKED.statement(-1),
        )
    # One message to PostgreSQL; SQLite, in the process, runs them one by one.
    assert len(captured) == (1 if connection.vendor == "postgresql" else 4)
    assert LOCKED.built(locked) == [first] and LOCKED.built(nothing) == []
    assert rows == PATRON_ROWS.rows(network["a"].pk, "Martin")
    assert [card for card, *_rest in rows] == [first.card_number, second.card_number]
    assert counted == [(2,)]
    with pytest.raises(TypeError):
        PATRON_ROWS.built(rows)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_statements_together_see_what_was_committed_before_each_began(make_patron, network):
    """The second statement runs after the first, with its own snapshot: a row another
    transaction committed while the first waited for its lock is seen by the second."""
    patron = make_patron()
    count = ("SELECT COUNT(*) FROM patrons_patronblock WHERE patron_id = %s", [patron.pk])
    locked, waiting, done = threading.Event(), threading.Event(), []

    def other() -> None:
        try:
            with transaction.atomic():
                LOCKED.first(patron.pk)  # holds the lock until its block is committed
                locked.set()
                waiting.wait(5)
                PatronBlock.objects.create(patron=patron, kind="lost", library=network["a"])
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    assert locked.wait(5)
    timer = threading.Timer(0.3, waiting.set)  # commits while the statements below wait
    timer.start()
    with transaction.atomic():
        rows, (counted,) = prepared.together(LOCKED.statement(patron.pk), count)
        done.append(counted)
    thread.join(5)
    assert LOCKED.built(rows) == [patron] and done == [(1,)]
