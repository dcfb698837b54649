"""The loan ticket (ticket de prêt): printed on receipt-printer paper at the end of a checkout,
or sent by e-mail when the patron chose it; only what was lent today at this desk's library."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillon.audit.models import AuditEntry
from maillon.circulation import services
from maillon.circulation.models import HoldStatus
from maillon.circulation.receipts import receipt_for
from maillon.patrons.models import ReceiptChoice

DESK = reverse("circulation:desk")
RECEIPT = reverse("circulation:receipt")
SEND = reverse("circulation:receipt_send")


@pytest.fixture
def reader(make_patron, now):
    return make_patron(
        "Martin",
        "Léa",
        email="lea.martin@example.org",
        registered_on=now - dt.timedelta(days=30),
        expires_on=now + dt.timedelta(days=300),
    )


@pytest.fixture
def lent(desk, network, reader, make_record, make_item, now):
    """Two documents lent today at AAA, one at BBB; one lent at AAA a month ago, overdue."""
    network["a"].name, network["a"].grammar = "Médiathèque de Parthenay", ""
    network["a"].save()
    here = [make_item(make_record(title)) for title in ("Le Petit Prince", "Vendredi")]
    for item in here:
        services.checkout(desk["a"], network["a"], reader.card_number, item.barcode)
    elsewhere = make_item(make_record("L'Écume des jours"), network["b"])
    services.checkout(desk["b"], network["b"], reader.card_number, elsewhere.barcode)
    old = make_item(make_record("Germinal"))
    services.checkout(
        desk["a"], network["a"], reader.card_number, old.barcode, today=now - dt.timedelta(days=40)
    )
    loan = old.loans.get(returned_at__isnull=True)
    type(loan).objects.filter(pk=loan.pk).update(
        checked_out_at=timezone.now() - dt.timedelta(days=40)
    )
    return here


def test_the_ticket_lists_what_was_lent_here_today(client, desk, network, reader, lent):
    client.force_login(desk["a"])
    page = client.get(RECEIPT, {"carte": reader.card_number, "imprimer": "1"}).content.decode()
    assert "Le Petit Prince" in page and "Vendredi" in page
    assert "Écume" not in page and "Germinal" not in page  # elsewhere, or not today
    assert "2 documents prêtés" in page
    due = lent[0].loans.get().due_on
    number = "1er" if due.day == 1 else str(due.day)
    assert f"à rendre le {number} " in page
    assert "Et 2 autres documents en prêt." in page and "1 document en retard." in page
    assert "Médiathèque de Parthenay" in page and reader.card_number in page
    assert "Martin" not in page  # initials only: a ticket may be left on a table
    assert "L. M." in page
    assert "data-autoprint" in page and "slip.css" in page


def test_the_desk_offers_the_ticket_after_a_loan(client, desk, reader, lent):
    client.force_login(desk["a"])
    page = client.get(DESK, {"carte": reader.card_number}).content.decode()
    assert "Ticket de prêt : 2 documents prêtés ici aujourd’hui" in page
    assert "Imprimer le ticket" in page and "L’envoyer par e-mail" in page
    assert "préfère recevoir son ticket par e-mail" not in page
    reader.receipt = ReceiptChoice.EMAIL
    reader.save()
    page = client.get(DESK, {"carte": reader.card_number}).content.decode()
    assert "préfère recevoir son ticket par e-mail" in page


def test_no_ticket_before_anything_is_lent(client, desk, make_patron, now):
    patron = make_patron(
        registered_on=now - dt.timedelta(days=1), expires_on=now + dt.timedelta(days=30)
    )
    client.force_login(desk["a"])
    assert (
        "Imprimer le ticket" not in client.get(DESK, {"carte": patron.card_number}).content.decode()
    )


def test_another_library_s_desk_sees_only_its_own_loans(client, desk, reader, lent):
    client.force_login(desk["b"])
    page = client.get(RECEIPT, {"carte": reader.card_number}).content.decode()
    assert "Écume des jours" in page
    assert "Le Petit Prince" not in page and "Vendredi" not in page


def test_the_ticket_needs_a_desk_and_a_known_card(client, desk, reader, lent):
    assert client.get(RECEIPT, {"carte": reader.card_number}).status_code == 302  # to log in
    client.force_login(desk["a"])
    assert client.get(RECEIPT, {"carte": "99999999"}).status_code == 404


def test_sent_by_e_mail_with_the_same_content(client, desk, network, reader, lent):
    client.force_login(desk["a"])
    response = client.post(SEND, {"library": network["a"].pk, "carte": reader.card_number})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea.martin@example.org"]
    assert message.subject == "Vos emprunts à la Médiathèque de Parthenay"
    assert "Le Petit Prince" in message.body and "Vendredi" in message.body
    assert "Germinal" not in message.body and "Écume" not in message.body
    assert "à rendre le" in message.body
    assert "1 document est en retard" in message.body
    entry = AuditEntry.objects.get(action="receipt_emailed")
    assert entry.patron_id == reader.pk and entry.library_id == network["a"].pk
    assert "lea.martin" not in str(entry.details)  # no address in the log
    page = client.get(response["Location"]).content.decode()
    assert "Le ticket a été envoyé à lea.martin@example.org." in page


def test_no_address_or_nothing_lent_is_said_and_nothing_sent(
    client, desk, network, reader, lent, make_patron, now
):
    client.force_login(desk["a"])
    reader.email = ""
    reader.save()
    response = client.post(SEND, {"library": network["a"].pk, "carte": reader.card_number})
    assert (
        "Cette carte n’a pas d’adresse e-mail." in client.get(response["Location"]).content.decode()
    )
    other = make_patron(
        "Bézier",
        "Hervé",
        email="herve@example.org",
        registered_on=now - dt.timedelta(days=1),
        expires_on=now + dt.timedelta(days=30),
    )
    response = client.post(SEND, {"library": network["a"].pk, "carte": other.card_number})
    assert "il n’y a pas de ticket à envoyer" in client.get(response["Location"]).content.decode()
    assert mail.outbox == [] and not AuditEntry.objects.filter(action="receipt_emailed").exists()


def test_a_form_drawn_for_another_desk_is_refused(client, desk, network, reader, lent):
    client.force_login(desk["b"])
    response = client.post(SEND, {"library": network["a"].pk, "carte": reader.card_number})
    assert response.status_code == 403 and mail.outbox == []


def test_holds_waiting_are_on_the_ticket(desk, network, reader, lent, make_record, make_item):
    record = make_record("Le Horla")
    item = make_item(record)
    hold = services.place_hold(desk["a"], network["a"], reader, record, network["a"])
    services.checkin(desk["a"], network["a"], item.barcode)
    hold.refresh_from_db()
    assert hold.status == HoldStatus.READY
    receipt = receipt_for(reader, network["a"])
    assert [h.record.title for h in receipt.ready] == ["Le Horla"]


def test_the_patron_chooses_in_their_account(client, reader):
    from django.contrib.auth.hashers import make_password

    from tests.opac.conftest import log_in

    reader.password = make_password("motdepasse-solide-1")
    reader.save()
    log_in(client, reader.card_number, "motdepasse-solide-1")
    page = client.get(reverse("opac:account_consents")).content.decode()
    assert "Le ticket de mes emprunts à la banque de prêt" in page
    client.post(reverse("opac:account_consents"), {"receipt": "email"})
    reader.refresh_from_db()
    assert reader.receipt == ReceiptChoice.EMAIL


def test_staff_see_and_edit_the_choice_on_the_card(client, desk, reader):
    client.force_login(desk["a"])
    page = client.get(reverse("patrons:detail", args=[reader.pk])).content.decode()
    assert re.search(r"Ticket de prêt\s*:\s*imprimé", page)
    form = client.get(reverse("patrons:edit", args=[reader.pk])).content.decode()
    assert 'name="receipt"' in form and 'value="email"' in form
