from django.contrib import admin

from maillon.circulation.models import LoanRule, NetworkPolicy


# Rules and the policy are configuration; loans, holds and transfers change only through the
# services (invariant 4), so they are not editable here.
@admin.register(LoanRule)
class LoanRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "loan_days", "renewals", "max_loans", "holds_allowed",
                    "hold_shelf_days", "may_travel"]
    list_filter = ["library", "patron_category", "item_type"]


@admin.register(NetworkPolicy)
class NetworkPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "max_loans_per_library", "max_loans_network",
                    "anonymise_after_days", "due_soon_days"]

    def has_add_permission(self, request) -> bool:
        return not NetworkPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
