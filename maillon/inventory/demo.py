"""An inventory in progress in the demo: Secondigny's adult novels, two thirds scanned, with a
misfiled book, a lent one found on the shelf and a barcode from elsewhere."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from maillon.inventory import services
from maillon.inventory.models import Inventory
from maillon.network.models import Library


def build_inventory() -> dict[str, int]:
    if Inventory.objects.exists():
        return {}
    library = Library.objects.filter(code="SEC").first()
    volunteer = get_user_model().objects.filter(username="benevole").first()
    if library is None or volunteer is None:
        return {}
    inventory = services.start(
        volunteer, library, "Romans adultes A–M", call_from="R A", call_to="R M"
    )
    section = services.expected(inventory)
    on_shelf = sorted(
        (i for i in section if i.status == "available" and i.current_id == library.pk),
        key=lambda i: services.call_key(i.call_number),
    )
    scanned = on_shelf[: max(3, len(on_shelf) * 2 // 3)]
    if len(scanned) >= 3:
        scanned.append(scanned.pop(0))  # one book shelved at the end of the section
    lent = [i for i in section if i.status == "on_loan"][:1]  # returned without a check-in
    for item in scanned + lent:
        services.scan(volunteer, inventory, item.barcode)
    services.scan(volunteer, inventory, "EXT-000-12")  # a label from another system
    return {"scanned": len(scanned) + len(lent) + 1}
