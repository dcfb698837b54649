"""Forms collect what the desk typed; the rules live in services.py."""

from typing import cast

from django import forms
from django.db.models import Q
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from maillon.network.models import Partner
from maillon.patrons.models import BlockKind, Patron, PatronCategory, ReceiptChoice

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PatronForm(forms.ModelForm):
    """Register (with a home library and a duplicate confirmation) or edit a patron."""

    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person, register anyway"), required=False
    )

    class Meta:
        model = Patron
        fields = [
            "card_number",
            "surname",
            "first_name",
            "birth_date",
            "category",
            "home_library",
            "partner",
            "responsible_person",
            "email",
            "phone",
            "address",
            "postcode",
            "city",
            "email_notices",
            "newsletters",
            "keep_history",
            "receipt",
            "notes",
        ]
        widgets = {
            "birth_date": DATE_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "card_number": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        }

    def __init__(self, *args, libraries=None, ask_duplicate: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.category_id if self.instance.pk else None
        category = cast(forms.ModelChoiceField, self.fields["category"])
        category.queryset = PatronCategory.objects.filter(Q(is_active=True) | Q(pk=current))
        partner = cast(forms.ModelChoiceField, self.fields["partner"])
        partner.queryset = Partner.objects.select_related("library").order_by(
            "library__name", "name"
        )
        partner.help_text = _("Only for a collective borrower.")
        partner.label_from_instance = lambda obj: f"{obj.name} — {obj.library.name}"  # type: ignore[method-assign]
        if libraries is not None:
            cast(forms.ModelChoiceField, self.fields["home_library"]).queryset = libraries
        # The confirmation appears only once the service has found a probable duplicate.
        if not ask_duplicate:
            del self.fields["confirm_duplicate"]
        # A form that does not show the choice (an older page, a script) keeps the card's.
        self.fields["receipt"].required = False

    def clean_receipt(self) -> str:
        return self.cleaned_data.get("receipt") or self.instance.receipt or ReceiptChoice.PRINTED

    def _post_clean(self) -> None:
        # The service validates the patron as a whole; the form only checks field syntax.
        pass

    def service_fields(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in self._meta.fields or ()
            if name in self.cleaned_data
        }
        data.pop("home_library", None)
        return data


class CategoryForm(forms.ModelForm):
    """A patron category as the coordinator sets it; save_category checks the whole."""

    class Meta:
        model = PatronCategory
        fields = [
            "code",
            "name",
            "kind",
            "min_age",
            "max_age",
            "registration_months",
            "fee_note",
            "renew_overdue_online",
            "is_active",
        ]
        widgets = {"code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})}
        help_texts = {
            "code": _(
                "2 to 20 capital letters, digits, dashes or underscores (e.g. ADU). "
                "The API and the loan statistics know the category by it: it cannot "
                "change once patrons hold the category."
            ),
            "min_age": _("Empty: no lower limit."),
            "max_age": _("Empty: no upper limit."),
            "is_active": _(
                "Unticked: no new patron can be registered in this category; "
                "those who hold it keep it."
            ),
        }

    def _post_clean(self) -> None:
        # Copy the typed values onto the category, but let the service validate it: the
        # model's constraints would otherwise give people messages like "Constraint … is
        # violated".
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class BlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reason"), choices=BlockKind.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Seen by the staff of every library."),
    )
