"""Forms of the coordinator's rule pages (the desk's forms are plain HTML: a scanner types)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maillon.catalogue.models import ItemType
from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.network.models import Library
from maillon.patrons.models import PatronCategory

ANY = _("— any —")


class LoanRuleForm(forms.ModelForm):
    class Meta:
        model = LoanRule
        fields = [
            "library",
            "patron_category",
            "item_type",
            "loan_days",
            "renewals",
            "max_loans",
            "holds_allowed",
            "hold_shelf_days",
            "may_travel",
            "note",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("library", "patron_category", "item_type"):
            cast(forms.ModelChoiceField, self.fields[name]).empty_label = ANY
        # Active libraries, and the rule's own if it has closed since.
        cast(forms.ModelChoiceField, self.fields["library"]).queryset = Library.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.library_id)
        )
        if self.instance.pk and self.instance.is_default:
            # The default rule keeps its scope (the service refuses it too).
            for name in ("library", "patron_category", "item_type"):
                self.fields[name].disabled = True


class NetworkPolicyForm(forms.ModelForm):
    class Meta:
        model = NetworkPolicy
        fields = [
            "max_loans_per_library",
            "max_loans_network",
            "collective_exempt",
            "anonymise_after_days",
            "due_soon_days",
        ]


class RuleQuestionForm(forms.Form):
    """Which rule applies to a loan at this library, to this category, of this item type?"""

    bibliotheque = forms.ModelChoiceField(
        Library.objects.all(), label=_("Library"), to_field_name="code"
    )
    categorie = forms.ModelChoiceField(
        PatronCategory.objects.all(), label=_("Patron category"), to_field_name="code"
    )
    type = forms.ModelChoiceField(
        ItemType.objects.all(), label=_("Item type"), to_field_name="code"
    )
