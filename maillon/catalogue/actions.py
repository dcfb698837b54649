"""The catalogue's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import CHANGES, HIDDEN, LIBRARY, TEXT, register
from maillon.catalogue.items import Destination, WithdrawalReason, choice_label, status_label

register(
    {
        "item_created": _("Item created"),
        "record_edited_marc": _("Record edited in the MARC editor"),
        "item_edited": _("Item edited"),
        "imported": _("Imported"),
        "merge_undone": _("Moved by an undone merge"),
        "marked_lost": _("Marked lost"),
        "marked_missing": _("Marked missing"),
        "marked_damaged": _("Marked damaged, to repair"),
        "repaired": _("Repaired, back on the shelf"),
        "found": _("Found again"),
        "withdrawn": _("Withdrawn from the collection"),
        "reinstated": _("Reinstated in the collection"),
        "home_changed": _("Home library changed"),
    },
    details={
        "previous_status": (_("previous status"), status_label),
        "reason": (_("reason"), lambda v: choice_label(WithdrawalReason.CHOICES, v)),
        "destination": (_("destination"), lambda v: choice_label(Destination.CHOICES, v)),
        "note": (_("note"), TEXT),
        "old_home": (_("previous home library"), LIBRARY),
        "new_home": (_("new home library"), LIBRARY),
        "changes": (_("changes"), CHANGES),
        "batch": (_("import batch"), HIDDEN),
        "from_record": (_("from record no."), TEXT),
        "to_record": (_("to record no."), TEXT),
        # The item form's fields, as named in "changes".
        "barcode": (_("barcode"), TEXT),
        "call_number": (_("call number"), TEXT),
        "owner": (_("owner"), TEXT),
        "collection": (_("collection"), TEXT),
        "item_type": (_("item type"), TEXT),
        "audience": (_("audience"), TEXT),
        "location": (_("shelving location"), TEXT),
        "acquired_on": (_("acquisition date"), TEXT),
        "price": (_("price"), TEXT),
        "notes": (_("notes"), TEXT),
    },
)
