"""The offline desk's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import DATETIME, TEXT, register

register(
    {
        "offline_applied": _("Offline operation applied"),
        "offline_conflict": _("Offline operation put in the review list"),
        "offline_resolved": _("Offline operation applied after review"),
        "offline_dismissed": _("Offline operation dismissed"),
        "offline_file_imported": _("Offline circulation file imported"),
    },
    details={
        "offline_desk": (_("desk"), TEXT),
        "offline_seq": (_("sequence number"), TEXT),
        "offline_code": (_("refusal"), TEXT),
        "offline_at": (_("happened at"), DATETIME),
        "offline_reason": (_("reason"), TEXT),
        "offline_file": (_("file"), TEXT),
    },
)
