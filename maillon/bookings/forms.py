from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.bookings import rules
from maillon.bookings.models import (
    BookingRule,
    DocumentKind,
    Resource,
    ResourceKind,
    SeasonalLimit,
)
from maillon.network.models import WEEKDAYS, Library, Partner

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
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    start = forms.DateField(label=_("Free from"), required=False, widget=DATE_WIDGET)
    end = forms.DateField(label=_("to"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The audiences the resources name, as written (the network's own words).
        audiences = (
            Resource.objects.exclude(audience="")
            .order_by("audience")
            .values_list("audience", flat=True)
            .distinct()
        )
        field = self.fields["audience"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any audience")), *((a, a) for a in audiences)]

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("end" if start else "start", _("Give both days, or neither."))
        elif start and end and end < start:
            self.add_error("end", _("The last day comes before the first."))
        return data


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


class RuleForm(forms.ModelForm):
    """A booking rule; its consistency (min ≤ max, quotas, collection days…) is checked by
    `rules.rule_problems`, the service's own check, so that the form shows every problem."""

    collection_days = forms.TypedMultipleChoiceField(
        label=_("Collection days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When collected at the owner’s: the days it hands over and takes back."),
    )

    class Meta:
        model = BookingRule
        fields = [
            "kind",
            "owner",
            "lead_days",
            "min_days",
            "max_days",
            "buffer_days",
            "max_per_library",
            "max_per_library_kind",
            "approval_needed",
            "documents",
            "renewals",
            "renewal_days",
            "delivery",
            "collection_days",
        ]
        widgets = {"documents": forms.CheckboxSelectMultiple}
        help_texts = {
            "max_per_library": _("Every kind together; empty: no limit."),
            "max_per_library_kind": _("Of the kind above; empty: no limit."),
        }

    def __init__(self, *args, owners, any_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kind, owner = self.fields["kind"], self.fields["owner"]
        assert isinstance(kind, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        kind.empty_label = str(_("Any kind"))
        owner.queryset = owners
        owner.empty_label = str(_("Any owner"))
        owner.required = not any_owner

    def clean(self):
        data = super().clean() or {}
        for field, message in rules.rule_problems(data):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
            elif field not in self.fields:
                self.add_error(None, message)
        return data


class LimitForm(forms.ModelForm):
    class Meta:
        model = SeasonalLimit
        fields = ["kind", "owner", "month_from", "month_to", "max_per_library"]
        help_texts = {
            "month_to": _("Across the new year when it comes before the first month."),
        }

    def __init__(self, *args, owners, any_owner: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kind, owner = self.fields["kind"], self.fields["owner"]
        assert isinstance(kind, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        kind.empty_label = str(_("Any kind"))
        owner.queryset = owners
        owner.empty_label = str(_("Any owner"))
        owner.required = not any_owner

    def clean(self):
        data = super().clean() or {}
        for field, message in rules.limit_problems(data):
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, 5 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class SubLoanForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=Partner.objects.none())
    start = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args, library, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Partner.objects.filter(library=library)
