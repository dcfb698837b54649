"""The audit log follows the privacy rules (invariant 7): its entries lose their patron link
after the loan history's delay, unless the patron keeps their history, and every entry goes
after the retention period. The patron page shows only what is still linked."""

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from maillon.audit.models import ActorKind, AuditEntry
from maillon.catalogue import items
from maillon.circulation.privacy import anonymise_audit_log
from maillon.circulation.services import checkin, checkout, renew_own
from tests.circulation.conftest import TODAY
from tests.circulation.helpers import fr


def test_patron_links_go_with_the_loan_history(desk, network, make_patron, make_item, book):
    reader, keeper = make_patron(), make_patron("Garde", keep_history=True)
    for patron in (reader, keeper):
        item = make_item(book)
        checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
        renew_own(patron, item.barcode, today=TODAY + dt.timedelta(days=10))
        checkin(desk["a"], network["a"], item.barcode, today=TODAY)
    renewal = AuditEntry.objects.get(action="renewed", patron_id=reader.pk)
    assert (renewal.actor_kind, renewal.actor_id) == (ActorKind.PATRON, reader.pk)
    assert AuditEntry.objects.filter(patron_id=reader.pk).count() == 3

    written = timezone.localdate(renewal.at)
    assert anonymise_audit_log(written + dt.timedelta(days=30)) == {"unlinked": 0, "purged": 0}
    counts = anonymise_audit_log(written + dt.timedelta(days=31))
    assert counts == {"unlinked": 4, "purged": 0}  # three "about", one "by" the reader
    assert not AuditEntry.objects.filter(patron_id=reader.pk).exists()
    renewal.refresh_from_db()
    assert (renewal.actor_kind, renewal.actor_id, renewal.user_id) == (ActorKind.PATRON, None, None)
    # The entries stay, for the item's history and statistics; the keeper's keep their link.
    assert AuditEntry.objects.filter(action="checkout").count() == 2
    assert AuditEntry.objects.filter(patron_id=keeper.pk).count() == 3


@override_settings(MAILLON_AUDIT_RETENTION_DAYS=365)
def test_entries_older_than_the_retention_period_are_deleted(desk, network, make_item, book):
    item = make_item(book)
    items.mark_damaged(desk["a"], item)
    written = timezone.localdate(AuditEntry.objects.get().at)
    assert anonymise_audit_log(written + dt.timedelta(days=365))["purged"] == 0
    assert anonymise_audit_log(written + dt.timedelta(days=366))["purged"] == 1
    assert not AuditEntry.objects.exists()


def test_the_patron_page_shows_their_history_in_words(
    client_fr, desk, network, make_patron, make_item, book
):
    patron = make_patron()
    item = make_item(book)
    checkout(desk["a"], network["a"], patron.card_number, item.barcode, today=TODAY)
    renew_own(patron, item.barcode, today=TODAY + dt.timedelta(days=10))
    client_fr.force_login(desk["a"])
    body = client_fr.get(reverse("patrons:detail", args=[patron.pk])).content.decode()
    assert fr("Checked out") in body and fr("Renewed") in body
    assert fr("the patron, online") in body and item.barcode in body and book.title in body
    assert fr("new due date").capitalize() in body
    assert "new_due" not in body and ">renewed<" not in body

    AuditEntry.objects.update(patron_id=None)  # as anonymisation leaves them
    body = client_fr.get(reverse("patrons:detail", args=[patron.pk])).content.decode()
    assert fr("Nothing recorded for this card.") in body and fr("Renewed") not in body
