"""Weeding's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import LIBRARY, TEXT, register

register(
    {
        "weeding_campaign_created": _("Weeding campaign created"),
        "weeding_campaign_confirmed": _("Weeding campaign confirmed"),
        "offer_claimed": _("Claimed from the items offered to the network"),
    },
    details={
        "candidates": (_("items proposed"), TEXT),
        "withdrawn": (_("items withdrawn"), TEXT),
        "not_done": (_("decisions not carried out"), TEXT),
        "offered_by": (_("offered by"), LIBRARY),
        "claimed_by": (_("claimed by"), LIBRARY),
        "old_owner": (_("previous owner"), LIBRARY),
        "new_owner": (_("new owner"), LIBRARY),
    },
)
