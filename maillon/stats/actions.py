"""The statistics' audit action codes, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import TEXT, register

register(
    {"survey_form_changed": _("Annual report form changed")},
    details={"library_kind": (_("kind of library"), TEXT), "form": (_("form"), TEXT)},
)
