"""Local collections' audit action codes and detail keys (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import TEXT, register

register(
    {
        "local_collection_created": _("Local collection created"),
        "local_collection_edited": _("Local collection edited"),
        "put_in_local_collection": _("Put in a local collection"),
        "taken_out_of_local_collection": _("Taken out of a local collection"),
    },
    details={
        "collection_code": (_("collection"), TEXT),
        "previous_collection": (_("previous collection"), TEXT),
    },
)
