from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Audience, Collection, ItemType
from maillon.network.models import Library


class LotForm(forms.Form):
    library: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("E.g. Albums 0-3 ans B"))

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


class SelectionForm(forms.Form):
    title = forms.CharField(label=_("Title contains"), max_length=100, required=False)
    call_prefix = forms.CharField(
        label=_("Call number starts with"), max_length=50, required=False, help_text=_("E.g. R POL")
    )
    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.all(), required=False
    )
    item_type = forms.ModelChoiceField(
        label=_("Item type"), queryset=ItemType.objects.all(), required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", "—"), *Audience.choices], required=False
    )
    idle_months = forms.IntegerField(
        label=_("Not lent for (months)"), min_value=1, max_value=240, required=False
    )


class SendForm(forms.Form):
    to_library: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Send to"), queryset=Library.objects.none()
    )

    def __init__(self, *args, exclude: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_library"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Library.objects.exclude(pk=exclude).order_by("name")


class ReceiveForm(forms.Form):
    code = forms.CharField(label=_("Scan the lot's label"), max_length=20)
    barcodes = forms.CharField(
        label=_("Items found in the crate (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Scan each item to check the crate: the items not scanned are reported "
            "missing, the others extra. Leave empty to receive the whole lot."
        ),
    )
