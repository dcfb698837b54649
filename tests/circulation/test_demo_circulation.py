"""The demo's desks have real-looking work, made through the services, and only once."""

import datetime as dt

from maillon.circulation.demo import build_circulation
from maillon.circulation.models import Hold, HoldStatus, Loan, Transfer
from maillon.circulation.services import hold_shelf, pull_list, shuttle_lists
from maillon.network.models import Library

from .helpers import assert_item_consistent

TODAY = dt.date(2026, 11, 25)


def test_demo_circulation_fills_the_desks_once(demo_ground, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    demo_ground()  # the network, patrons, catalogue and build_circulation's work

    history = Loan.objects.filter(returned_at__isnull=False)
    assert history.count() >= 100
    assert history.filter(checked_out_at__date__lt=TODAY - dt.timedelta(days=365)).exists()
    open_loans = Loan.objects.filter(returned_at__isnull=True)
    assert open_loans.count() >= 80
    assert open_loans.filter(due_on__lt=TODAY).exists()  # some overdue
    assert open_loans.filter(due_on__gte=TODAY).exists()
    statuses = set(Hold.objects.values_list("status", flat=True))
    assert {HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY} <= statuses
    assert Transfer.objects.filter(received_at__isnull=True, sent_at__isnull=False).exists()
    assert Transfer.objects.filter(received_at__isnull=True, sent_at__isnull=True).exists()

    libraries = list(Library.objects.all())
    assert any(pull_list(lib, TODAY) for lib in libraries)
    assert any(hold_shelf(lib) for lib in libraries)
    assert any(shuttle_lists(lib, TODAY).expected for lib in libraries)
    for loan in open_loans.select_related("item")[:50]:
        assert_item_consistent(loan.item)

    counts = (Loan.objects.count(), Hold.objects.count(), Transfer.objects.count())
    assert build_circulation(TODAY) == {}
    assert (Loan.objects.count(), Hold.objects.count(), Transfer.objects.count()) == counts
