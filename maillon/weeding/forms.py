from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.items import Destination
from maillon.network.models import Library
from maillon.weeding.models import Criterion, Deliberation, OfferPeriod


class CampaignForm(forms.Form):
    library: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    dewey_from = forms.CharField(
        label=_("Dewey from"), max_length=3, required=False, help_text=_("Empty: every class.")
    )
    dewey_to = forms.CharField(label=_("Dewey to"), max_length=3, required=False)
    offer_destination = forms.ChoiceField(
        label=_("Offered items nobody claims go"),
        choices=Destination.CHOICES,
        initial="donated",
        help_text=_("Items offered to the network are withdrawn there when their offer ends."),
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = [
            "label",
            "dewey_from",
            "dewey_to",
            "audience",
            "doc_type",
            "item_type",
            "years_since_publication",
            "years_without_loan",
            "source",
            "sourced",
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("dewey_from") or "", data.get("dewey_to") or ""
        for name, value in (("dewey_from", start), ("dewey_to", end)):
            if value and not (len(value) == 3 and value.isdigit()):
                self.add_error(name, _("A Dewey class is three digits (e.g. 640)."))
        if bool(start) != bool(end):
            self.add_error("dewey_to", _("Give both ends of the range, or neither."))
        elif start and end and end < start:
            self.add_error("dewey_to", _("The range ends before it starts."))
        if data.get("years_since_publication") is None and data.get("years_without_loan") is None:
            raise forms.ValidationError(_("Give X, Y or both: otherwise the row proposes nothing."))
        return data


class DeliberationForm(forms.ModelForm):
    class Meta:
        model = Deliberation
        fields = ["reference", "voted_on", "authority"]
        widgets = {"voted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class OfferPeriodForm(forms.ModelForm):
    class Meta:
        model = OfferPeriod
        fields = ["days"]
