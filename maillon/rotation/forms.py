import re

from django import forms
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from maillon.lots.models import Lot
from maillon.network.models import Library
from maillon.rotation.models import Plan

_SPLIT = re.compile(r"[\s,;]+")
_NEXT_PAIR = re.compile(r"\s+(?=[A-Za-z0-9_-]+\s*=)")


def _codes(text: str) -> list[str]:
    return [c.upper() for c in _SPLIT.split(text or "") if c]


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Plan.Kind.choices)
    every = forms.IntegerField(label=_("Every"), min_value=1, max_value=52, initial=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Plan.Unit.choices, initial="months")
    start = forms.DateField(
        label=_("First exchange"), widget=forms.DateInput(attrs={"type": "date"})
    )
    exchanges = forms.IntegerField(
        label=_("Number of exchanges"), min_value=1, max_value=60, required=False
    )
    end = forms.DateField(
        label=_("Or last exchange no later than"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    libraries = forms.CharField(
        label=_("Libraries, in the order of the rotation"),
        help_text=_("Library codes separated by commas, e.g. PAR, SEC, MEN."),
    )
    no_youth = forms.CharField(
        label=_("Libraries without a youth section"),
        required=False,
        help_text=_("Codes; youth-only lots never go there."),
    )
    max_lots = forms.CharField(
        label=_("Most lots per exchange"),
        required=False,
        help_text=_("Code=number, e.g. VAS=1."),
    )
    skips = forms.CharField(
        label=_("Exchanges skipped"),
        required=False,
        help_text=_("Code=exchange numbers, e.g. SEC=3,4; VAS=2."),
    )
    lots = forms.ModelMultipleChoiceField(
        label=_("Lots"),
        queryset=Lot.objects.select_related("station").order_by("station__name", "name"),
        widget=forms.CheckboxSelectMultiple,
    )
    youth_lots = forms.ModelMultipleChoiceField(
        label=_("Lots for youth sections only"),
        queryset=Lot.objects.select_related("station").order_by("station__name", "name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def _libraries(self, text: str, field: str) -> list[Library]:
        codes = _codes(text)
        found = {lib.code: lib for lib in Library.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown library code: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in codes]

    def clean_libraries(self):
        return self._libraries(self.cleaned_data["libraries"], "libraries")

    def clean_no_youth(self):
        return {lib.pk for lib in self._libraries(self.cleaned_data["no_youth"], "no_youth")}

    def _pairs(self, text: str) -> dict[str, str]:
        """ "SEC=3,4; VAS=2" (or "SEC=3,4 VAS=2") → {"SEC": "3,4", "VAS": "2"}."""
        pairs = {}
        for chunk in (text or "").split(";"):
            for part in _NEXT_PAIR.split(chunk.strip()):
                if not part:
                    continue
                code, sep, value = part.partition("=")
                if not sep:
                    raise forms.ValidationError(_("Write code=value, e.g. VAS=1."))
                pairs[code.strip().upper()] = value.strip()
        return pairs

    def clean_max_lots(self):
        out = {}
        for code, value in self._pairs(self.cleaned_data["max_lots"]).items():
            if not value.isdigit() or int(value) < 1:
                raise forms.ValidationError(_("A number of lots is a whole number from 1."))
            out[code] = int(value)
        return out

    def clean_skips(self):
        out = {}
        for code, value in self._pairs(self.cleaned_data["skips"]).items():
            numbers = [v for v in re.split(r"[\s,]+", value) if v]
            if not all(v.isdigit() for v in numbers):
                raise forms.ValidationError(_("Exchanges are numbered from 1, e.g. SEC=3,4."))
            out[code] = [int(v) for v in numbers]
        return out


class SwapForm(forms.Form):
    number = forms.TypedChoiceField(label=_("Exchange"), coerce=int, choices=())
    first: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none()
    )
    second: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Swap with"), queryset=Library.objects.none()
    )

    def __init__(self, *args, libraries, exchanges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = [
            (e.number, f"{e.number}. {date_format(e.planned, 'j F Y')}") for e in exchanges
        ]
        self.fields["first"].queryset = libraries
        self.fields["second"].queryset = libraries


class CapacityForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.filter(is_active=True)
    )
    location = forms.CharField(
        label=_("Shelving location"),
        max_length=100,
        required=False,
        help_text=_("Empty: the whole library."),
    )
    max_items = forms.IntegerField(label=_("Most items"), min_value=0, required=False)
    max_copies = forms.IntegerField(
        label=_("Most copies of one title"), min_value=1, max_value=1000, required=False
    )


class RouteForm(forms.Form):
    stops = forms.CharField(
        label=_("Stop order"),
        max_length=2000,
        required=False,
        help_text=_("Library codes in the shuttle's order, e.g. MD79 PAR SEC AZA."),
    )
    max_items = forms.IntegerField(label=_("Most items per run"), min_value=1, max_value=100000)
    max_crates = forms.IntegerField(label=_("Most crates per run"), min_value=1, max_value=1000)
