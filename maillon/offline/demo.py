"""The demo's offline day: Ménigoute's connection dropped yesterday morning, its desk kept
lending with Koha's offline tool, and the .koc file was imported: most lines applied, one loan
of an item still on loan to someone else and one payment line wait in the review list."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from maillon.catalogue.models import Item, ItemStatus
from maillon.circulation.models import Loan
from maillon.network.models import Library
from maillon.offline.models import OfflineFile, Status
from maillon.offline.services import import_file
from maillon.patrons.models import Patron


def build_offline(today: dt.date) -> dict[str, int]:
    if OfflineFile.objects.exists():
        return {}
    library = Library.objects.filter(code="MEN").first()
    librarian = get_user_model().objects.filter(username="menigoute").first()
    if library is None or librarian is None:
        return {}
    morning = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10)))
    patron = (
        Patron.objects.filter(home_library=library, expires_on__gt=today, blocks__isnull=True)
        .order_by("pk")
        .first()
    )
    shelf = list(
        Item.objects.filter(current=library, home=library, status=ItemStatus.AVAILABLE).order_by(
            "pk"
        )[:2]
    )
    loans = list(
        Loan.objects.filter(
            library=library, returned_at=None, checked_out_at__lt=morning, patron__isnull=False
        )
        .exclude(patron=patron)
        .select_related("item")
        .order_by("pk")[:2]
    )
    if patron is None or len(shelf) < 2 or len(loans) < 2:
        return {}

    def stamp(minutes: int) -> str:
        return (morning + dt.timedelta(minutes=minutes)).strftime("%Y-%m-%d %H:%M:%S 000")

    card = patron.card_number
    lines = [
        "Version=1.0\tGenerator=kocQt4\tGeneratorVersion=0.2",
        f"{stamp(3)}\tissue\t{card}\t{shelf[0].barcode}",
        f"{stamp(4)}\tissue\t{card}\t{shelf[1].barcode}",
        f"{stamp(12)}\treturn\t{loans[0].item.barcode}",
        # Still on loan to another reader: the review list asks whether it was really returned.
        f"{stamp(20)}\tissue\t{card}\t{loans[1].item.barcode}",
        f"{stamp(21)}\tpayment\t{card}\t2.00",
    ]
    content = ("\n".join(lines) + "\n").encode()
    name = f"menigoute-{morning:%Y-%m-%d}.koc"
    report = import_file(librarian, library, name, content)
    return {"operations": len(report.outcomes), "to_review": report.count(Status.CONFLICT)}
