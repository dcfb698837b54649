"""The programme's audit action codes, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import register

register(
    {
        "event_created": _("Event created"),
        "event_changed": _("Event changed"),
        "event_published": _("Event published"),
        "event_session_added": _("Event session added"),
    },
)
