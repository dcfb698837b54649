"""The report reads what the other apps keep: acquisitions (items' acquisition dates, and the
copies purchasing received), the departmental library's deposits at 31/12 (the deposits'
entries), and the cultural programme's figures. Every value is counted by hand below."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus
from maillon.deposits.models import Deposit, DepositEntry, DepositLevel, ExchangeSession
from maillon.network.models import Partner, PartnerKind
from maillon.programme.models import ClassVisit, Event, EventKind, EventStatus, Headcount, Session
from maillon.purchasing.models import (
    Fund,
    Medium,
    Order,
    OrderedItem,
    OrderLine,
    Receipt,
    Supplier,
)
from maillon.stats.report import build

D = dt.date


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def acquisitions(activity, network, make_item, record_of):
    """At AAA (besides A5, created 2025-02-01 with no acquisition date):
    - OLD: created in 2024, acquired 2025-05-02 (its date says so): acquired in 2025;
    - LATE: created in 2025, acquired 2026-01-05: neither acquired nor held in 2025;
    - WAITING: a youth book on order since 2025-10-01, not received: not counted;
    - BOUGHT: a youth book ordered in 2025-09, received 2025-11-15: acquired and bought."""
    a = network["a"]
    book, youth = record_of("Acquis"), record_of("Album reçu")
    old = make_item(book, a, audience="adult")
    late = make_item(book, a, audience="adult")
    waiting = make_item(youth, a, audience="youth", status=ItemStatus.ON_ORDER)
    bought = make_item(youth, a, audience="youth")
    Item.objects.filter(pk=old.pk).update(created_at=_at(D(2024, 6, 1)), acquired_on=D(2025, 5, 2))
    Item.objects.filter(pk=late.pk).update(
        created_at=_at(D(2025, 12, 1)), acquired_on=D(2026, 1, 5)
    )
    Item.objects.filter(pk=waiting.pk).update(created_at=_at(D(2025, 10, 1)))
    Item.objects.filter(pk=bought.pk).update(
        created_at=_at(D(2025, 9, 1)), acquired_on=D(2025, 11, 15)
    )
    medium = Medium.objects.get_or_create(code="LIVRE", defaults={"name": "Livres"})[0]
    supplier = Supplier.objects.create(name="Librairie", medium=medium)
    fund = Fund.objects.create(library=a, year=2025, code="JEU", name="Jeunesse", amount=100)
    order = Order.objects.create(number="C1", supplier=supplier, library=a, state="sent")
    line = OrderLine.objects.create(
        order=order,
        record=youth,
        fund=fund,
        medium=medium,
        quantity=2,
        received=1,
        public_price=Decimal("10"),
        discount=Decimal("0"),
        net_price=Decimal("10"),
        vat_rate=Decimal("5.50"),
    )
    receipt = Receipt.objects.create(line=line, quantity=1)
    Receipt.objects.filter(pk=receipt.pk).update(received_at=_at(D(2025, 11, 15)))
    OrderedItem.objects.create(line=line, item=bought, receipt=receipt)
    OrderedItem.objects.create(line=line, item=waiting)


def test_acquisitions_read_acquisition_dates_and_purchasing(acquisitions, network):
    values = build(2025, network["a"]).values
    # A5 (created 2025, no date), OLD (dated 2025), BOUGHT (received 2025); not LATE, WAITING.
    assert values["added.D1"] == 3
    assert values["added.D1.youth"] == 1  # BOUGHT
    assert values["bought.D1"] == 1
    # A1, A2, A3, A5 as before, plus OLD and BOUGHT; LATE came in 2026, WAITING is on order.
    assert values["holdings"] == 6
    assert values["holdings.D1.youth"] == 2  # A2, BOUGHT
    assert build(2025, None).values["bought.D1"] == 1
    assert build(2025, network["b"]).values["bought.D1"] == 0
    assert build(2026, network["a"]).values["added.D1"] == 1  # LATE


@pytest.fixture
def deposits(activity, network, make_item, record_of):
    """The MD's deposit at BBB, from entries (BBB has no MD item by its home otherwise):
    D1 (book) lent 2025-03-01, still there; D2 (book) lent 2025-03-01, returned 2025-11-01;
    D3 (video) lent 2025-03-01, returned 2026-02-01 (there at 31/12); D4 (book) lent 2026-01-10.
    Their home is the MD now (taken back, or not yet lent), except D1's."""
    md, b = network["md"], network["b"]
    book, film = record_of("Dépôt"), record_of("Film du dépôt", doc_type="video")
    made = {
        "D1": make_item(book, b, audience="adult"),
        "D2": make_item(book, md, audience="adult"),
        "D3": make_item(film, md, audience="adult"),
        "D4": make_item(book, md, audience="youth"),
    }
    Item.objects.filter(pk__in=[i.pk for i in made.values()]).update(owner=md)
    level = DepositLevel.objects.create(code="N2", name="Niveau 2")
    deposit = Deposit.objects.create(md=md, library=b, level=level, opened_on=D(2025, 3, 1))
    sessions = {
        day: ExchangeSession.objects.create(deposit=deposit, library=b, day=day, kind="bibliobus")
        for day in (D(2025, 3, 1), D(2025, 11, 1), D(2026, 1, 10), D(2026, 2, 1))
    }
    for key, lent, back in (
        ("D1", D(2025, 3, 1), None),
        ("D2", D(2025, 3, 1), D(2025, 11, 1)),
        ("D3", D(2025, 3, 1), D(2026, 2, 1)),
        ("D4", D(2026, 1, 10), None),
    ):
        DepositEntry.objects.create(
            deposit=deposit,
            item=made[key],
            lent_in=sessions[lent],
            lent_on=lent,
            due_on=D(2027, 1, 1),
            returned_in=sessions[back] if back else None,
            returned_on=back,
        )


def test_md_documents_at_31_12_come_from_the_deposits(deposits, network):
    b = build(2025, network["b"]).values
    assert (b["holdings_md"], b["holdings_md.D1"], b["holdings_md.D4"]) == (2, 1, 1)  # D1, D3
    assert b["holdings"] == 2  # B1, B2: the MD's items are not BBB's own stock
    a = build(2025, network["a"]).values
    assert a["holdings_md"] == 1  # M1, put at AAA before the deposits were kept
    assert build(2025, None).values["holdings_md"] == 3
    assert build(2026, network["b"]).values["holdings_md"] == 2  # D1 and D4


@pytest.fixture
def programme(network):
    """At AAA in 2025: a tale (2 sessions of 1 h, 5 counted at the door at the first, shared with
    BBB, with a partner), an exhibition of 20 days (1 session, no hours), a cancelled event;
    2 class visits of one class (24 pupils, 22 came at the second), a third cancelled."""
    a, b = network["a"], network["b"]
    kind = EventKind.objects.create(code="conte", name="Heure du conte")
    tale = Event.objects.create(title="Contes", kind=kind, library=a, status=EventStatus.PUBLISHED)
    tale.other_libraries.add(b)
    show = Event.objects.create(
        title="Exposition", kind=kind, library=a, status=EventStatus.PUBLISHED
    )
    gone = Event.objects.create(title="Annulé", kind=kind, library=a, status=EventStatus.CANCELLED)
    school = Partner.objects.create(library=a, name="École Jules Ferry", kind=PartnerKind.SCHOOL)
    tale.partners.add(school)
    hour = dt.timedelta(hours=1)
    first = Session.objects.create(
        event=tale, starts_at=_at(D(2025, 3, 5)), ends_at=_at(D(2025, 3, 5), 11)
    )
    Session.objects.create(
        event=tale, starts_at=_at(D(2025, 4, 5)), ends_at=_at(D(2025, 4, 5)) + hour
    )
    Session.objects.create(event=show, starts_at=_at(D(2025, 5, 1)), ends_at=_at(D(2025, 5, 21)))
    Session.objects.create(event=gone, starts_at=_at(D(2025, 6, 1)), ends_at=_at(D(2025, 6, 1), 11))
    Headcount.objects.create(session=first, age_0_5=2, adults=3)
    for day, came, cancelled in (
        (D(2025, 2, 3), None, False),
        (D(2025, 10, 6), 22, False),
        (D(2025, 11, 3), None, True),
    ):
        ClassVisit.objects.create(
            library=a,
            partner=school,
            class_name="CE1 A",
            teacher="M. Martin",
            pupils=24,
            starts_at=_at(day),
            ends_at=_at(day, 11),
            cancelled=cancelled,
            pupils_came=came,
        )


def test_cultural_action_reads_the_programme(programme, network):
    a = build(2025, network["a"]).values
    assert (a["events"], a["sessions"], a["sessions.hours"]) == (2, 3, 2.0)
    assert (a["attendance"], a["attendance.counted"], a["attendance.present"]) == (5, 5, 0)
    assert (a["class_visits"], a["class_visits.classes"], a["class_visits.pupils"]) == (2, 1, 46)
    assert a["partners"] == 1
    b = build(2025, network["b"]).values
    assert (b["events"], b["sessions"], b["attendance"], b["class_visits"]) == (1, 2, 5, 0)
    network_values = build(2025, None).values
    assert (network_values["events"], network_values["sessions"]) == (2, 3)
