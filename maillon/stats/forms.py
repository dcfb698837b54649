from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from maillon.stats.facts import Period

MAX_DAYS = 3 * 366


class FilterForm(forms.Form):
    """A dashboard's period and library; the libraries offered are those the user sees."""

    start = forms.DateField(
        label=pgettext_lazy("period", "From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    library = forms.ChoiceField(label=_("Library"), required=False)

    def __init__(self, data, *, libraries, network: bool) -> None:
        today = timezone.localdate()
        initial = {"start": dt.date(today.year, 1, 1), "end": today}
        super().__init__({**{k: v.isoformat() for k, v in initial.items()}, **data.dict()})
        choices = [(lib.code, lib.name) for lib in libraries]
        network_choice = [("", _("the whole network"))] if network else []
        cast(forms.ChoiceField, self.fields["library"]).choices = network_choice + choices

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The period must start before it ends."))
            if (end - start).days > MAX_DAYS:
                raise forms.ValidationError(_("Choose a period of three years at most."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
