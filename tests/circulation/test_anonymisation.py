"""Loan history loses the patron after the delay; the statistics stay (invariant 7)."""

import datetime as dt

from django.core.mail import get_connection
from django.utils import timezone

from maillon.circulation.models import Loan, NoticeKind, NoticeLog
from maillon.circulation.notices import send_notices
from maillon.circulation.services import (
    anonymise_history,
    cancel_own_hold,
    checkin,
    checkout,
    history_of,
    place_hold,
)

from .conftest import TODAY


def returned_loan(desk, network, patron, item):
    loan = checkout(desk["a"], network["a"], patron, item, today=TODAY)
    checkin(desk["b"], network["b"], item, today=TODAY)
    loan.refresh_from_db()
    return loan


def test_old_history_is_anonymised_stats_kept(
    desk, network, make_patron, make_item, book, make_record
):
    reader = make_patron(birth_date=dt.date(2015, 1, 1), category="child")
    keeper = make_patron("Garde", keep_history=True)
    loan = returned_loan(desk, network, reader, make_item(book))
    kept = returned_loan(desk, network, keeper, make_item(make_record("Autre")))
    returned_day = timezone.localdate(loan.returned_at)
    assert anonymise_history(returned_day + dt.timedelta(days=30)) == {
        "loans": 0,
        "holds": 0,
        "notices": 0,
    }
    assert history_of(reader) == [loan]
    counts = anonymise_history(returned_day + dt.timedelta(days=31))
    assert counts["loans"] == 1
    loan.refresh_from_db()
    assert loan.patron is None and loan.anonymised_at
    assert (
        loan.patron_category_code,
        loan.patron_age_band,
        loan.item_type_code,
        loan.library,
        loan.return_library,
        loan.patron_home_library,
    ) == ("ENF", "6-11", "LIVRE", network["a"], network["b"], network["a"])
    assert loan.checked_out_at and loan.returned_at
    kept.refresh_from_db()
    assert kept.patron == keeper
    assert history_of(reader) == []


def test_open_loans_and_active_holds_are_never_anonymised(
    desk, network, make_patron, make_item, book, make_record
):
    patron = make_patron()
    checkout(desk["a"], network["a"], patron, make_item(book), today=TODAY)
    other = make_record("Réservé")
    make_item(other)
    waiting = place_hold(desk["a"], network["a"], patron, other, network["a"], today=TODAY)
    cancelled_record = make_record("Annulé")
    make_item(cancelled_record)
    cancelled = place_hold(
        desk["a"], network["a"], patron, cancelled_record, network["a"], today=TODAY
    )
    cancel_own_hold(patron, cancelled, today=TODAY)
    counts = anonymise_history(timezone.localdate() + dt.timedelta(days=400))
    assert counts == {"loans": 0, "holds": 1, "notices": 0}
    assert Loan.objects.get().patron == patron
    waiting.refresh_from_db()
    cancelled.refresh_from_db()
    assert waiting.patron == patron and cancelled.patron is None
    assert cancelled.patron_category_code == "ADU"


def test_notices_lose_the_patron_with_their_loan(
    desk, network, make_patron, make_item, book, make_record
):
    """The notice log names an address: it goes with the loan's patron link, not before."""
    reader = make_patron(email="lea@example.org", email_notices=True)
    keeper = make_patron("Garde", email="garde@example.org", email_notices=True, keep_history=True)
    late = make_patron("Retard", email="retard@example.org", email_notices=True)
    returned = checkout(desk["a"], network["a"], reader, make_item(book), today=TODAY)
    kept = checkout(desk["a"], network["a"], keeper, make_item(make_record("Gardé")), today=TODAY)
    still_out = checkout(
        desk["a"], network["a"], late, make_item(make_record("Dehors")), today=TODAY
    )
    overdue_day = returned.due_on + dt.timedelta(days=1)
    send_notices(
        overdue_day, connection=get_connection("django.core.mail.backends.locmem.EmailBackend")
    )
    assert NoticeLog.objects.filter(kind=NoticeKind.OVERDUE).count() == 3
    checkin(desk["a"], network["a"], returned.item, today=overdue_day)
    checkin(desk["a"], network["a"], kept.item, today=overdue_day)
    returned_day = timezone.localdate(Loan.objects.get(pk=returned.pk).returned_at)

    assert anonymise_history(returned_day + dt.timedelta(days=30))["notices"] == 0
    assert NoticeLog.objects.get(loan=returned).to == "lea@example.org"
    counts = anonymise_history(returned_day + dt.timedelta(days=31))
    assert counts == {"loans": 1, "holds": 0, "notices": 1}
    gone = NoticeLog.objects.get(loan=returned)
    assert (gone.patron, gone.to, gone.kind) == (None, "", NoticeKind.OVERDUE)
    assert NoticeLog.objects.get(loan=kept).patron == keeper
    assert NoticeLog.objects.get(loan=still_out).to == "retard@example.org"
    assert anonymise_history(returned_day + dt.timedelta(days=31))["notices"] == 0
