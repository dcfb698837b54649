"""Who acted, as the log keeps and shows it: a staff member, a patron online, an API token
(with the staff account that owns it), or the system."""

import datetime as dt

from django.test import Client

from maillon.api.models import ApiToken
from maillon.audit.display import lines
from maillon.audit.models import ActorKind, AuditEntry
from maillon.circulation.services import checkout
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import fr


def test_an_api_token_is_named_beside_its_owner(desk, network, make_patron, make_item, book):
    token, key = ApiToken.issue(desk["a"], "automate AAA")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    patron = make_patron(expires_on=dt.date.today() + dt.timedelta(days=100))
    item = make_item(book)
    response = api.post(
        "/api/v1/checkouts",
        {"patron": patron.card_number, "item": item.barcode, "library": "AAA"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry = AuditEntry.objects.get(action="checkout")
    assert (entry.actor_kind, entry.user_id, entry.actor_id) == (
        ActorKind.API_TOKEN,
        desk["a"].pk,
        token.pk,
    )
    assert lines([entry])[0].actor == f"{desk['a'].get_full_name()} (API)"


def test_staff_and_system(desk, network, make_patron, make_item, book):
    checkout(
        desk["a"], network["a"], make_patron().card_number, make_item(book).barcode, today=TODAY
    )
    entry = AuditEntry.objects.get()
    assert (entry.actor_kind, entry.user_id) == (ActorKind.STAFF, desk["a"].pk)
    system = AuditEntry(action="hold_expired", actor_kind=ActorKind.SYSTEM)
    assert lines([system])[0].actor == fr("automatic")
