"""A campaign confirmed while a desk lends one of its items: one outcome (PostgreSQL, threads).

The withdrawal goes through the item service, which locks the item: the loan and the
withdrawal cannot both happen (the race without the lock is shown in
tests/catalogue/test_item_concurrency.py). Here: whichever wins, the campaign says so.
"""

import pytest
from django.db import connection

from maillon.catalogue.models import ItemStatus
from maillon.circulation.models import Loan
from maillon.circulation.services import CirculationError, checkout
from maillon.weeding import services
from maillon.weeding.models import Campaign
from tests.circulation.test_concurrency import in_parallel, user
from tests.weeding.conftest import TODAY, years_ago

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_confirm_against_checkout_one_outcome(desk, network, make_item, record_of, make_patron):
    for round_ in range(3):
        record = record_of(f"Roman {round_}", year=TODAY.year - 20)
        item = make_item(record, network["a"], last_loan_at=years_ago(6))
        make_item(record, network["b"])  # not the last copy
        patron = make_patron(expires_on=TODAY.replace(year=TODAY.year + 1))
        campaign = services.create_campaign(desk["a"], network["a"], f"Course {round_}")
        candidate = campaign.candidates.get(item=item)
        services.decide(desk["a"], candidate, "withdraw", ioupi="U", destination="discarded")

        confirmed, lent = in_parallel(
            lambda c=campaign: services.confirm(user("libr"), Campaign.objects.get(pk=c.pk)),
            lambda i=item, p=patron: checkout(
                user("volunt"), network["a"], p.card_number, i.barcode, today=TODAY
            ),
        )
        assert isinstance(confirmed, services.Confirmation), confirmed
        item.refresh_from_db()
        candidate.refresh_from_db()
        if isinstance(lent, Loan):
            assert item.status == ItemStatus.ON_LOAN and confirmed.withdrawn == 0
            assert candidate.outcome  # the campaign says why it was not withdrawn
        else:
            assert isinstance(lent, CirculationError) and lent.code == "item_withdrawn", lent
            assert item.status == ItemStatus.WITHDRAWN and confirmed.withdrawn == 1
            assert not Loan.objects.filter(item=item).exists()
