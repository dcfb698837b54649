"""The one change the statistics make: which form of the survey a kind of library answers."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.errors import DomainError, Kind
from maillon.network.models import LibraryKind
from maillon.network.permissions import Action, require
from maillon.stats.models import FormByKind, SurveyForm


class StatsError(DomainError):
    pass


def set_form(actor, library_kind: str, form: str) -> FormByKind:
    """The coordinator decides the form each kind of library fills in (ADMINISTER). Codes:
    unknown_kind, unknown_form."""
    require(actor, Action.ADMINISTER)
    if library_kind not in LibraryKind.values:
        raise StatsError("unknown_kind", _("Unknown kind of library."), kind=Kind.INVALID)
    if form not in SurveyForm.values:
        raise StatsError("unknown_form", _("Unknown form of the annual report."), kind=Kind.INVALID)
    with transaction.atomic():
        row, _created = FormByKind.objects.select_for_update().get_or_create(
            library_kind=library_kind, defaults={"form": form}
        )
        row.form = form
        row.save(update_fields=["form"])
        record(
            "survey_form_changed",
            row,
            actor=actor,
            details={"library_kind": library_kind, "form": form},
        )
    return row
