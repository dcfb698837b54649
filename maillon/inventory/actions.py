"""Inventory's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import TEXT, register

register(
    {
        "inventory_started": _("Inventory started"),
        "inventory_closed": _("Inventory closed"),
    },
    details={"marked_missing": (_("items marked missing"), TEXT)},
)
