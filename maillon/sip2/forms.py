"""The staff page's forms for terminal accounts (the service checks them again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Library

# What an older kiosk may send instead of UTF-8.
ENCODINGS = [
    ("cp1252", "Windows-1252"),
    ("iso-8859-1", "ISO-8859-1 (Latin-1)"),
    ("iso-8859-15", "ISO-8859-15 (Latin-9)"),
    ("cp850", "CP850 (DOS)"),
    ("ascii", "ASCII"),
]


class TerminalForm(forms.Form):
    library = forms.ModelChoiceField(
        label=_("Library"),
        queryset=Library.objects.order_by("name"),
        help_text=_("The terminal lends and takes returns as this library's desk."),
    )
    can_checkout = forms.BooleanField(label=_("may lend"), required=False)
    can_checkin = forms.BooleanField(label=_("may take returns"), required=False)
    can_renew = forms.BooleanField(label=_("may renew"), required=False)
    fallback_encoding = forms.ChoiceField(
        label=_("Fallback character set"),
        choices=ENCODINGS,
        help_text=_("Used for a message that is not valid UTF-8."),
    )


class NewTerminalForm(TerminalForm):
    login = forms.CharField(
        label=_("Login"),
        max_length=60,
        help_text=_("What the terminal sends in its login message (CN), e.g. borne-jeunesse."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    field_order = ["login", "library", "can_checkout", "can_checkin", "can_renew"]
