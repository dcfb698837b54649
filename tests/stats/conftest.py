"""A small network with known activity in 2025 (and one loan in 2024), made through the
services on the days it happened, so the annual report can be checked figure by figure.

Activity (the numbers the tests expect are worked out from this list):
- AAA holds A1 (book, adult), A2 (book, youth), A3 (video), A4 (book, withdrawn 2025-06-01),
  A5 (book, added 2025-02-01) and M1 (a youth book of the departmental library, deposited at
  AAA); BBB holds B1 (book) and B2 (periodical).
- P1 (adult, AAA, Parthenay) borrows at AAA and at BBB; P2 (child, BBB, Secondigny) at BBB;
  P3 (adult, AAA) at AAA, then the loan is anonymised; P4 (collective, registered 2025-03-01)
  borrows M1 at AAA, renewed at the desk then online; P5's card expired in 2024.
- P2 holds A1 for pickup at BBB: A1 travels AAA → BBB by the shuttle and P2 borrows it there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.apps import apps
from django.utils import timezone

from maillon.catalogue import items as item_service
from maillon.catalogue.models import Item
from maillon.circulation import services as circ
from maillon.circulation.models import NetworkPolicy
from maillon.patrons.models import Patron

REAL_NOW = timezone.now


@contextmanager
def travel(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run as if it were `day`: Django's clock and the fields whose default is that clock."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    fields = [
        f
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if getattr(f, "default", None) is REAL_NOW
    ]
    with mock.patch("django.utils.timezone.now", return_value=moment):
        saved = [f.default for f in fields]
        for f in fields:
            f.default = timezone.now
            f.__dict__.pop("_get_default", None)  # Django caches the default's callable
        try:
            yield
        finally:
            for f, default in zip(fields, saved, strict=True):
                f.default = default
                f.__dict__.pop("_get_default", None)


D = dt.date


@pytest.fixture
def activity(network, desk, make_patron, make_item, record_of, categories, policy):
    a, b, md = network["a"], network["b"], network["md"]
    with travel(D(2024, 12, 1)):
        book, youth, film, paper = (
            record_of("Livre"),
            record_of("Album"),
            record_of("Film", doc_type="video"),
            record_of("Revue", doc_type="periodical"),
        )
        items = {
            "A1": make_item(book, a, audience="adult"),
            "A2": make_item(youth, a, audience="youth"),
            "A3": make_item(film, a, audience="adult"),
            "A4": make_item(book, a, audience="adult"),
            "B1": make_item(book, b, audience="adult"),
            "B2": make_item(paper, b, audience="adult"),
            "M1": make_item(youth, a, audience="youth"),
        }
        # A deposit of the departmental library: its item, at home in AAA.
        Item.objects.filter(pk=items["M1"].pk).update(owner=md)
        registered = {"registered_on": D(2024, 1, 1), "expires_on": D(2026, 12, 31)}
        p1 = make_patron("Un", home=a, city="Parthenay", **registered)
        p2 = make_patron(
            "Deux",
            category="child",
            home=b,
            city="Secondigny",
            birth_date=D(2016, 4, 1),
            **registered,
        )
        p3 = make_patron("Trois", home=a, city="Parthenay", **registered)
        p4 = make_patron(
            "École",
            category="collective",
            home=a,
            birth_date=None,
            registered_on=D(2025, 3, 1),
            expires_on=D(2026, 2, 28),
        )
        make_patron("Cinq", home=b, registered_on=D(2020, 1, 1), expires_on=D(2024, 6, 30))
    with travel(D(2024, 12, 5)):
        circ.checkout(desk["a"], a, p1, items["A1"].barcode, today=D(2024, 12, 5))
    with travel(D(2024, 12, 10)):
        circ.checkin(desk["a"], a, items["A1"].barcode, today=D(2024, 12, 10))
    with travel(D(2025, 1, 10)):
        circ.checkout(desk["a"], a, p1, items["A1"].barcode, today=D(2025, 1, 10))
        circ.checkout(desk["a"], a, p3, items["A3"].barcode, today=D(2025, 1, 10))
    with travel(D(2025, 1, 20)):
        circ.checkin(desk["a"], a, items["A1"].barcode, today=D(2025, 1, 20))
        circ.checkin(desk["a"], a, items["A3"].barcode, today=D(2025, 1, 20))
    with travel(D(2025, 2, 1)):
        items["A5"] = make_item(book, a, audience="adult")
    with travel(D(2025, 2, 5)):
        circ.checkout(desk["b"], b, p1, items["B1"].barcode, today=D(2025, 2, 5))
        circ.checkout(desk["b"], b, p2, items["B2"].barcode, today=D(2025, 2, 5))
    with travel(D(2025, 2, 20)):
        circ.renew(desk["b"], b, items["B1"].barcode, today=D(2025, 2, 20))
    with travel(D(2025, 3, 1)):
        circ.checkin(desk["b"], b, items["B1"].barcode, today=D(2025, 3, 1))
        circ.checkin(desk["b"], b, items["B2"].barcode, today=D(2025, 3, 1))
    with travel(D(2025, 3, 10)):
        circ.checkout(desk["a"], a, p4, items["M1"].barcode, today=D(2025, 3, 10))
    with travel(D(2025, 3, 25)):
        circ.renew(desk["a"], a, items["M1"].barcode, today=D(2025, 3, 25))
    with travel(D(2025, 4, 10)):
        circ.renew_own(Patron.objects.get(pk=p4.pk), items["M1"].barcode, today=D(2025, 4, 10))
    with travel(D(2025, 4, 12)):
        circ.checkin(desk["a"], a, items["M1"].barcode, today=D(2025, 4, 12))
        circ.checkout(desk["a"], a, p1, items["A1"].barcode, today=D(2025, 4, 12))
        circ.place_hold(desk["b"], b, p2, items["A1"], b, today=D(2025, 4, 12))
    with travel(D(2025, 4, 22)):
        circ.checkin(desk["a"], a, items["A1"].barcode, today=D(2025, 4, 22))
        circ.send_transfer(desk["a"], a, items["A1"].barcode)
    with travel(D(2025, 4, 25)):
        circ.receive_transfer(desk["b"], b, items["A1"].barcode, today=D(2025, 4, 25))
    with travel(D(2025, 4, 29)):
        circ.checkout(desk["b"], b, p2, items["A1"].barcode, today=D(2025, 4, 29))
    with travel(D(2025, 5, 20)):
        circ.checkin(desk["b"], b, items["A1"].barcode, today=D(2025, 5, 20))
    with travel(D(2025, 6, 1)):
        item_service.withdraw(desk["a"], items["A4"], reason="worn", destination="discarded")
    # P3's loans are anonymised (the delay of the network's policy has passed).
    NetworkPolicy.objects.filter(pk=policy.pk).update(anonymise_after_days=30)
    p3.keep_history = False
    circ.anonymise_history(today=D(2025, 7, 1))
    return {"items": items, "patrons": (p1, p2, p3, p4)}
