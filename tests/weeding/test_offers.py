"""Items a weeding review offers to the network: another library claims one (a transfer; on
arrival the item changes home and owner through the item service), or the offer expires and
the item goes to the campaign's destination."""

import datetime as dt
import html

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maillon.audit.services import entries_for
from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Transfer, TransferReason
from maillon.circulation.services import checkout, receive_transfer, send_transfer
from maillon.jobs.registry import DAILY_TASKS
from maillon.network.models import Role
from maillon.weeding import offers, services
from maillon.weeding.models import Offer, OfferPeriod
from tests.circulation.helpers import assert_item_consistent, fr
from tests.weeding.conftest import TODAY, years_ago

YEAR = dt.timedelta(days=366)


@pytest.fixture
def offer_of(desk, network, make_item, record_of):
    """Confirm a campaign at library a that offers one idle item (the last copy) to the
    network; returns its offer."""

    def make(title="Un roman oublié", *, doc_type="text", destination="donated") -> Offer:
        item = make_item(
            record_of(title, year=TODAY.year - 20, doc_type=doc_type),
            network["a"],
            last_loan_at=years_ago(6),
        )
        campaign = services.create_campaign(
            desk["a"], network["a"], f"Offre {title}", offer_destination=destination
        )
        services.decide(desk["a"], campaign.candidates.get(item=item), "offer")
        services.confirm(desk["a"], campaign)
        return Offer.objects.get(item=item)

    return make


def test_claimed_sent_received_changes_home_and_owner(desk, network, offer_of):
    OfferPeriod.objects.create(library=None, days=45)
    offer = offer_of()
    assert offer.state == Offer.State.OPEN
    assert offer.expires_on == TODAY + dt.timedelta(days=45)
    assert list(offers.open_to(network["b"], TODAY)) == [offer]
    assert list(offers.open_to(network["a"], TODAY)) == []  # not to the library offering it

    offers.claim(desk["b"], offer, network["b"])
    offer.refresh_from_db()
    transfer = offer.transfer
    assert offer.state == Offer.State.CLAIMED and offer.claimed_by == network["b"]
    assert transfer.reason == TransferReason.CLAIM and transfer.sent_at is None
    assert (transfer.from_library, transfer.to_library) == (network["a"], network["b"])
    item = assert_item_consistent(offer.item)
    assert item.status == ItemStatus.IN_TRANSIT and item.home == network["a"]
    assert list(offers.open_to(network["head"], TODAY)) == []

    send_transfer(desk["a"], network["a"], item.barcode)
    result = receive_transfer(desk["b"], network["b"], item.barcode)
    item = assert_item_consistent(item)
    assert result.action == "shelve" and item.status == ItemStatus.AVAILABLE
    assert (item.home, item.owner, item.current) == (network["b"],) * 3
    offer.refresh_from_db()
    assert offer.state == Offer.State.RECEIVED
    change = entries_for(item).get(action="home_changed")
    assert change.details == {
        "old_home": network["a"].pk,
        "new_home": network["b"].pk,
        "old_owner": network["a"].pk,
        "new_owner": network["b"].pk,
    }
    assert entries_for(item).filter(action="offer_claimed").count() == 1


def test_a_claim_received_at_the_wrong_library_goes_on(desk, network, offer_of):
    offer = offer_of()
    offers.claim(desk["b"], offer, network["b"])
    send_transfer(desk["a"], network["a"], offer.item.barcode)
    result = receive_transfer(desk["head"], network["head"], offer.item.barcode)
    assert result.action == "transfer" and result.destination == network["b"]
    item = assert_item_consistent(offer.item)
    assert item.home == network["a"]  # not the claimant's until it arrives there
    onward = Transfer.objects.get(item=item, received_at__isnull=True)
    assert onward.reason == TransferReason.CLAIM and onward.from_library == network["head"]
    offer.refresh_from_db()
    assert offer.transfer == onward and offer.state == Offer.State.CLAIMED
    send_transfer(desk["head"], network["head"], item.barcode)
    receive_transfer(desk["b"], network["b"], item.barcode)
    item = assert_item_consistent(item)
    assert (item.home, item.owner) == (network["b"], network["b"])


def test_claims_refused_with_a_reason(desk, network, offer_of, make_patron):
    offer = offer_of()
    with pytest.raises(PermissionDenied):  # a volunteer does not decide acquisitions
        offers.claim(desk["volunteer"], offer, network["a"])
    with pytest.raises(services.WeedingError) as own:
        offers.claim(desk["a"], offer, network["a"])
    assert own.value.code == "claim_refused"

    patron = make_patron(expires_on=TODAY.replace(year=TODAY.year + 1))
    checkout(desk["a"], network["a"], patron.card_number, offer.item.barcode, today=TODAY)
    with pytest.raises(services.WeedingError) as lent:
        offers.claim(desk["b"], offer, network["b"])
    assert "retour en rayon" in lent.value.message or "back on the shelf" in lent.value.message

    later = offer_of("Un autre roman")
    offers.claim(desk["b"], later, network["b"])
    with pytest.raises(services.WeedingError) as taken:
        offers.claim(desk["head"], later, network["head"])
    assert taken.value.message == html.unescape(
        fr(
            "The item %(barcode)s was just claimed by %(library)s.",
            barcode=later.item.barcode,
            library=network["b"].name,
        )
    )
    with pytest.raises(services.WeedingError) as expired:
        offers.claim(desk["b"], offer_of("Un troisième"), network["b"], today=TODAY + YEAR)
    assert expired.value.code == "claim_refused"


def test_unclaimed_offers_expire_to_the_campaign_s_destination(
    desk, network, offer_of, make_patron
):
    book = offer_of("Un livre", destination="donated")
    film = offer_of("Un film", doc_type="video", destination="donated")
    lent = offer_of("Un livre prêté", destination="sold")
    claimed = offer_of("Un livre demandé")
    offers.claim(desk["b"], claimed, network["b"])
    patron = make_patron(expires_on=TODAY.replace(year=TODAY.year + 1))
    checkout(desk["a"], network["a"], patron.card_number, lent.item.barcode, today=TODAY)

    assert offers.expire(book.expires_on) == offers.Expiry(0, 0)  # the last day still counts
    done = offers.expire(book.expires_on + dt.timedelta(days=1))
    assert done == offers.Expiry(withdrawn=2, waiting=1)
    for offer, destination in ((book, "donated"), (film, "discarded")):
        offer.refresh_from_db()
        assert offer.state == Offer.State.EXPIRED
        assert Item.objects.get(pk=offer.item_id).status == ItemStatus.WITHDRAWN
        entry = entries_for(offer.item).get(action="withdrawn")
        assert entry.details["destination"] == destination and entry.details["note"]
    lent.refresh_from_db()
    claimed.refresh_from_db()
    assert lent.state == Offer.State.OPEN and claimed.state == Offer.State.CLAIMED


def test_the_offered_page_claims_and_shows_who_claimed(client_fr, desk, network, offer_of, staff):
    offer = offer_of()
    client_fr.force_login(desk["b"])
    page = client_fr.get(reverse("weeding:offered")).content.decode()
    assert offer.item.barcode in page and "Demander" in page
    response = client_fr.post(
        reverse("weeding:claim", args=[offer.pk]), {"library": network["b"].pk}, follow=True
    )
    assert "est à vous" in response.content.decode()
    offer.refresh_from_db()
    assert offer.state == Offer.State.CLAIMED

    client_fr.force_login(desk["a"])
    page = client_fr.get(reverse("weeding:offered")).content.decode()
    assert network["b"].name in page and "Ce que votre bibliothèque a proposé" in page

    client_fr.force_login(staff[Role.COORDINATOR])
    for days in ("0", "-3", "abc", "400"):
        client_fr.post(reverse("weeding:offered"), {"days": days})
        assert not OfferPeriod.objects.exists()
    client_fr.post(reverse("weeding:offered"), {"days": "60"})
    assert OfferPeriod.objects.get(library=None).days == 60


def test_expiry_joins_the_daily_work(offer_of):
    book = offer_of("Un livre oublié", destination="donated")
    task = DAILY_TASKS["maillon.weeding.job_kinds.weeding_offers_expire"]
    assert task(book.expires_on) == {"withdrawn": 0, "waiting": 0}
    assert task(book.expires_on + dt.timedelta(days=1)) == {"withdrawn": 1, "waiting": 0}
