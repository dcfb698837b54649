from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import CollectionKind

THEMES = [
    _("local history"),
    _("heritage"),
    _("association life"),
    _("a population (young adults, seniors, newcomers…)"),
    _("regional language"),
]


class LocalCollectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CollectionKind.LOCAL, CollectionKind.LOCAL.label),
            (CollectionKind.HERITAGE, CollectionKind.HERITAGE.label),
        ],
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "themes"}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the library's public page."),
    )
