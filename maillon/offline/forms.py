from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.offline.models import Kind


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Koha's offline circulation file (.koc) or PMB's prêt secouru file (.txt)."),
    )
    day = forms.DateField(
        label=_("Day of the operations (PMB files)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "PMB's file carries no time: its loans start at noon that day (empty: at the import)."
        ),
    )

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("This day has not come yet."))
        return day


class ResolveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Operation"),
        choices=[
            (Kind.CHECKOUT.value, Kind.CHECKOUT.label),
            (Kind.CHECKIN.value, Kind.CHECKIN.label),
        ],
    )
    card = forms.CharField(label=_("Card"), max_length=40, required=False)
    barcode = forms.CharField(label=_("Barcode"), max_length=40)
    override_reason = forms.CharField(
        label=_("Reason to override (expired or blocked card, loan limit)"),
        max_length=300,
        required=False,
    )
    return_first = forms.BooleanField(
        label=_("Check the item in first (it was in the desk's hands: the other loan ends then)"),
        required=False,
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not applied"), max_length=500)
