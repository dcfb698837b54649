"""The patrons' audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import LIBRARY, register

VIA = {"page": _("the staff page"), "api": _("the API")}

register(
    {"patron_read": _("Patron's record read by staff of another library")},
    details={
        "via": (_("read through"), lambda value: str(VIA.get(value, value))),
        "home_library": (_("patron's library"), LIBRARY),
    },
)
