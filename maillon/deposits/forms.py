from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import Audience, ItemType
from maillon.deposits.models import DepositLevel, DepositRequest, ExchangeSession
from maillon.network.models import Library

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DepositForm(forms.Form):
    library: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Library"), queryset=Library.objects.none()
    )
    level = forms.ModelChoiceField(label=_("Level"), queryset=DepositLevel.objects.all())
    opened_on = forms.DateField(label=_("Opened on"), widget=DATE_WIDGET)

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries


class AllowanceForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=DepositLevel.objects.all())
    item_type = forms.ModelChoiceField(
        label=_("Medium"),
        queryset=ItemType.objects.all(),
        required=False,
        empty_label=_("all media"),
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", _("every audience")), *Audience.choices], required=False
    )
    max_items = forms.IntegerField(label=_("At most"), min_value=0, max_value=100000)
    strict = forms.BooleanField(
        label=_("Refuse beyond (otherwise warn)"), required=False, initial=True
    )


class LevelForm(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=DepositLevel.objects.all())


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind"), choices=ExchangeSession.Kind.choices)


class RequestForm(forms.Form):
    text = forms.CharField(
        label=_("Ask the departmental library for"),
        max_length=300,
        help_text=_("A title, an author, a theme (e.g. albums about the sea for a class)."),
    )


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (DepositRequest.State.SENT, DepositRequest.State.SENT.label),
            (DepositRequest.State.DECLINED, DepositRequest.State.DECLINED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    barcodes = forms.CharField(
        label=_("Items sent (barcodes, scanned)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
