from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.bookings.models import DocumentKind, Resource, ResourceKind
from maillon.network.models import Library

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "owner",
            "description",
            "contents",
            "audience",
            "space_needed",
            "insurance_value",
            "crates",
            "state",
            "bookable",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "contents": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners


class FilterForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=ResourceKind.objects.all(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Library.objects.filter(resources__isnull=False).distinct(),
        required=False,
    )


class BookingForm(forms.Form):
    library = forms.ModelChoiceField(label=_("For the library"), queryset=Library.objects.none())
    start = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    # Set when the librarian chose these very dates over the proposed ones.
    keep = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["library"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = libraries


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CheckForm(forms.Form):
    damaged = forms.BooleanField(label=_("Damaged or incomplete"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DocumentForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())
    kind = forms.ModelChoiceField(label=_("Document"), queryset=DocumentKind.objects.all())
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF or photo (JPEG, PNG), 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["library"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = libraries


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)

    def clean(self):
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The last day comes before the first."))
        return data
