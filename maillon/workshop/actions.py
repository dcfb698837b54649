"""The workshop's audit action codes and detail keys (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import BOOL, TEXT, register

register(
    {
        "sent_to_workshop": _("Sent to the workshop"),
        "workshop_done": _("Worked at the workshop"),
    },
    details={
        "work": (_("work"), TEXT),
        "tasks": (_("done"), TEXT),
        "minutes": (_("minutes spent"), TEXT),
        "replace": (_("replacement proposed"), BOOL),
    },
)
