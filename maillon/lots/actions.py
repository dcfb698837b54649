"""Lots' audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import LIBRARY, TEXT, register

register(
    {
        "lot_created": _("Lot created"),
        "lot_item_added": _("Item put in the lot"),
        "lot_item_removed": _("Item taken out of the lot"),
        "lot_sent": _("Lot sent"),
        "lot_received": _("Lot received"),
        "lot_dissolved": _("Lot emptied"),
    },
    details={
        "item_barcode": (_("barcode"), TEXT),
        "items": (_("items"), TEXT),
        "lot_to": (_("to"), LIBRARY),
        "following": (_("following when returned"), TEXT),
        "missing": (_("missing"), TEXT),
        "extra": (_("extra"), TEXT),
    },
)
