"""A connected terminal acts as its account stands at each message: its user's roles, its
user's standing and its library's row are read again with the terminal's own (one statement),
and whatever changed there applies from the next message on."""

from django.contrib.auth import get_user_model

from maillon.circulation.models import Loan
from maillon.network.models import Library, Role, StaffRole
from maillon.network.services import grant_role, revoke_role
from maillon.sip2.services import Session, answer

from .test_server import date


def lend(session: Session, card: str, barcode: str) -> str:
    return answer(session, f"11YN{date()}{' ' * 18}AOAAA|AA{card}|AB{barcode}|AC|")


def test_roles_user_and_library_are_read_at_each_message(
    terminal, reader, make_item, book, staff, network
):
    account, password = terminal
    coordinator = staff[Role.COORDINATOR]
    first, second, third = make_item(book), make_item(book), make_item(book)
    kiosk = Session()
    assert answer(kiosk, f"9300CN{account.login}|CO{password}|CPAAA|").startswith("941")
    assert lend(kiosk, reader.card_number, first.barcode).startswith("121")

    # Its role revoked from the staff pages: it may not lend any more, and says why.
    revoke_role(coordinator, StaffRole.objects.get(user=account.user))
    refused = lend(kiosk, reader.card_number, second.barcode)
    assert refused.startswith("120") and "|AF" in refused
    assert not Loan.objects.filter(item=second).exists()
    grant_role(coordinator, account.user, network["a"], Role.VOLUNTEER)
    assert lend(kiosk, reader.card_number, second.barcode).startswith("121")

    # Its user deactivated: refused likewise.
    get_user_model().objects.filter(pk=account.user_id).update(is_active=False)
    assert lend(kiosk, reader.card_number, third.barcode).startswith("120")
    get_user_model().objects.filter(pk=account.user_id).update(is_active=True)

    # Its library's code changed: the next answer gives the new one.
    Library.objects.filter(pk=network["a"].pk).update(code="AAA2")
    assert "AOAAA2|" in lend(kiosk, reader.card_number, third.barcode)
    assert Loan.objects.filter(item=third, returned_at__isnull=True).exists()
