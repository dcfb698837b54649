from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library


class InventoryForm(forms.Form):
    library: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none()
    )
    name = forms.CharField(label=_("Section"), max_length=200)
    call_from = forms.CharField(
        label=_("Call numbers from"), max_length=100, required=False, help_text=_("E.g. R A")
    )
    call_to = forms.CharField(
        label=_("Call numbers to"), max_length=100, required=False, help_text=_("E.g. R F")
    )
    location = forms.CharField(
        label=_("Shelving location"), max_length=100, required=False, help_text=_("Empty: any.")
    )

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File from a portable reader"), help_text=_("One barcode a line (text or CSV).")
    )
