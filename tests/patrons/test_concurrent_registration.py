"""Two desks registering the same card at the same moment: one wins, the other is told.

Real threads with their own PostgreSQL connections. SQLite serialises writers at BEGIN
IMMEDIATE, so the race cannot happen there and the test would prove nothing.
"""

import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from maillon.patrons import services
from maillon.patrons.models import Patron
from maillon.patrons.services import PatronError

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite lets only one writer in at a time",
    ),
    pytest.mark.django_db(transaction=True),
]
TIMEOUT = 20


def register_in_threads(network, categories, start: threading.Barrier) -> list:
    """Run two registrations of card 31415926 in parallel; return what each one got."""
    outcomes: list = [None, None]

    def desk(slot: int, first_name: str) -> None:
        try:
            actor = get_user_model().objects.get(username="coord")  # its own connection
            start.wait(TIMEOUT)
            outcomes[slot] = services.register_patron(
                actor,
                network["a"],
                allow_duplicate=True,
                card_number="31415926",
                surname="Martin",
                first_name=first_name,
                birth_date=dt.date(1990, 1, 1),
                category=categories["adult"],
            )
        except Exception as exc:  # noqa: BLE001 — the test inspects what each desk got
            outcomes[slot] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=desk, args=(i, name)) for i, name in enumerate(("Léa", "Louise"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def assert_exactly_one_wins(outcomes: list) -> None:
    winners = [o for o in outcomes if isinstance(o, Patron)]
    losers = [o for o in outcomes if isinstance(o, PatronError)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert losers[0].code == "card_taken"
    assert "31415926" in losers[0].message
    assert list(Patron.objects.values_list("card_number", "first_name")) == [
        ("31415926", winners[0].first_name)
    ]


def test_two_desks_same_card(network, staff, categories):
    assert_exactly_one_wins(register_in_threads(network, categories, threading.Barrier(2)))


def test_both_past_the_check_the_database_still_decides(network, staff, categories, monkeypatch):
    """Hold both desks after the "is the card free?" query, so both believe it is: the unique
    index must turn the second insert into the same clear refusal."""
    past_check = threading.Barrier(2)
    passed = []
    original = services._validate

    def validate_then_wait(patron):
        original(patron)
        passed.append(patron.first_name)
        past_check.wait(TIMEOUT)

    monkeypatch.setattr(services, "_validate", validate_then_wait)
    outcomes = register_in_threads(network, categories, threading.Barrier(2))
    assert sorted(passed) == ["Louise", "Léa"]  # both saw the card free
    assert_exactly_one_wins(outcomes)
