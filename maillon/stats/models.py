"""Which form of the annual survey each kind of library fills in: data, changed in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from maillon.network.models import LibraryKind


class SurveyForm(models.TextChoices):
    FULL = "full", _("full report")
    ABRIDGED = "abridged", _("abridged report")
    VERY_ABRIDGED = "very_abridged", _("very abridged report")


class FormByKind(models.Model):
    """The survey has a full, an abridged and a very abridged form (the last for the smallest
    places, about 100 questions): the one a library answers follows its kind."""

    library_kind = models.CharField(
        _("kind of library"), max_length=20, choices=LibraryKind.choices, unique=True
    )
    form = models.CharField(_("form"), max_length=15, choices=SurveyForm.choices)

    class Meta:
        verbose_name = _("annual report form")
        verbose_name_plural = _("annual report forms")
        ordering = ["library_kind"]

    def __str__(self) -> str:
        return f"{self.get_library_kind_display()}: {self.get_form_display()}"
