from django.contrib import admin

from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.core.admin import ReadOnlyAdmin


# Changed in the coordinator's pages (/pro/circulation/regles/).
@admin.register(LoanRule)
class LoanRuleAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "loan_days",
        "renewals",
        "max_loans",
        "holds_allowed",
        "hold_shelf_days",
        "may_travel",
    ]
    list_filter = ["library", "patron_category", "item_type"]


@admin.register(NetworkPolicy)
class NetworkPolicyAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "max_loans_per_library",
        "max_loans_network",
        "anonymise_after_days",
        "due_soon_days",
    ]
