"""The patron's forms on the public catalogue: labelled fields, browser autofill hints."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.patrons.models import Patron, ReceiptChoice


class LoginForm(forms.Form):
    card = forms.CharField(
        label=_("Card number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "text", "autofocus": True}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("Card number or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=200,
        help_text=_("At least 8 characters, not only digits, not too common."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class DetailsChangeForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    comment = forms.CharField(
        label=_("Anything to add for the library (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_patron(cls, patron: Patron, data=None) -> DetailsChangeForm:
        initial = {
            name: getattr(patron, name)
            for name in ("address", "postcode", "city", "phone", "email")
        }
        return cls(data, initial=initial)


class ConsentsForm(forms.Form):
    email_notices = forms.BooleanField(
        label=_("Send me notices by e-mail (hold ready, loan due soon or overdue)"), required=False
    )
    newsletters = forms.BooleanField(label=_("Send me the network's newsletters"), required=False)
    keep_history = forms.BooleanField(label=_("Keep my reading history"), required=False)
    receipt = forms.ChoiceField(
        label=_("The ticket of my loans at the desk"),
        choices=ReceiptChoice.choices,
        widget=forms.RadioSelect,
        required=False,  # not sent: the card keeps its choice
    )
