from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from maillon.network.models import WEEKDAYS, Closure, Library, OpeningHours, Partner, Role
from maillon.network.services import LOCAL_FIELDS


class LibraryForm(forms.ModelForm):
    shuttle_days = forms.TypedMultipleChoiceField(
        label=_("Shuttle days"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Library
        fields = [
            "code",
            "name",
            "grammar",
            "kind",
            "commune",
            "postcode",
            "address",
            "phone",
            "email",
            "website",
            "latitude",
            "longitude",
            "shuttle_days",
            "is_active",
            "is_pickup_point",
        ]

    def __init__(self, *args, network_fields: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not network_fields:
            # A librarian edits the practical details of their library, not its place in
            # the network.
            for name in list(self.fields):
                if name not in LOCAL_FIELDS:
                    del self.fields[name]


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


OpeningHoursFormSet = forms.modelformset_factory(
    OpeningHours, form=OpeningHoursForm, extra=3, can_delete=True
)


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["start", "end", "reason"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["library", "name", "kind", "contact_name", "email", "phone", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if libraries is not None:
            self.fields["library"].queryset = libraries


class StaffMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username


class RoleForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.all())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
