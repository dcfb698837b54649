from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.purchasing.models import Fund, Supplier, SupplierContact, SupplyArticle


class FundForm(forms.ModelForm):
    class Meta:
        model = Fund
        fields = ["library", "year", "code", "name", "amount"]

    def __init__(self, *args, libraries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries
        self.fields["amount"].localize = True
        self.fields["amount"].widget.is_localized = True


class SupplierForm(forms.ModelForm):
    class Meta:
        model = Supplier
        fields = [
            "name",
            "contract_lot",
            "medium",
            "discount",
            "delivery_days",
            "gln",
            "email",
            "phone",
            "address",
            "active",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discount"].localize = True
        self.fields["discount"].widget.is_localized = True


class ContactForm(forms.ModelForm):
    class Meta:
        model = SupplierContact
        fields = ["name", "role", "email", "phone"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_contact_%s")  # below the supplier's own form
        super().__init__(*args, **kwargs)


class SelectionListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    closes_on = forms.DateField(
        label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TitleTerms(forms.Form):
    """What is said of a proposed title, whichever way it was found."""

    public_price = forms.DecimalField(
        label=_("Public price incl. VAT"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        localize=True,
    )
    cap = forms.IntegerField(
        label=_("Copies for the network at most"),
        required=False,
        min_value=1,
        help_text=_("Empty: as many as the libraries commit."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IsbnForm(TitleTerms):
    isbn = forms.CharField(label=_("ISBN"), max_length=20)
    field_order = ["isbn", "public_price", "cap", "note"]


class ByHandForm(TitleTerms):
    title = forms.CharField(label=_("Title"), max_length=500)
    author = forms.CharField(label=_("Author"), max_length=200, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1400, max_value=2100)
    isbn = forms.CharField(label=_("ISBN"), max_length=20, required=False)
    field_order = ["title", "author", "publisher", "year", "isbn", "public_price", "cap", "note"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_hand_%s")  # below the ISBN form on the same page
        super().__init__(*args, **kwargs)


class SupplyArticleForm(forms.ModelForm):
    class Meta:
        model = SupplyArticle
        fields = [
            "name",
            "kind",
            "unit",
            "unit_price",
            "in_stock",
            "reorder_at",
            "reorder_quantity",
            "active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_price"].localize = True
        self.fields["unit_price"].widget.is_localized = True


class SupplyOrderForm(forms.Form):
    season = forms.CharField(label=_("Season"), max_length=100)
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.filter(active=True)
    )
    needs_by = forms.DateField(
        label=_("Needs to give by"), widget=forms.DateInput(attrs={"type": "date"})
    )
