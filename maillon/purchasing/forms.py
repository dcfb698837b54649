from django import forms

from maillon.purchasing.models import Fund, Supplier, SupplierContact


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
