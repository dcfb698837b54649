"""Purchasing's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import TEXT, register

register(
    {
        "fund_created": _("Fund created"),
        "fund_changed": _("Fund changed"),
        "supplier_created": _("Supplier created"),
        "supplier_changed": _("Supplier changed"),
        "selection_created": _("Selection list created"),
        "selection_closed": _("Selection list closed"),
        "title_proposed": _("Title proposed for purchase"),
        "commitment_made": _("Copies committed"),
        "commitment_withdrawn": _("Commitment withdrawn"),
        "order_created": _("Order created"),
        "order_sent": _("Order sent"),
        "order_line_cancelled": _("Order line cancelled"),
        "order_line_claimed": _("Order line claimed"),
        "order_received": _("Ordered copies received"),
        "invoice_recorded": _("Invoice recorded"),
        "suggestion_made": _("Purchase suggested"),
        "suggestion_accepted": _("Suggestion accepted"),
        "suggestion_refused": _("Suggestion refused"),
        "suggestion_hold_placed": _("Hold placed on a suggestion's arrival"),
        "holds_ratios_changed": _("Holds-ratio thresholds changed"),
        "supply_order_created": _("Supplies order opened"),
        "supply_needs_set": _("Supplies needs given"),
        "supply_order_sent": _("Supplies order sent"),
        "supply_order_received": _("Supplies received and split"),
        "supplies_used": _("Supplies taken from the workshop's stock"),
        "supply_article_created": _("Supply article created"),
        "supply_article_changed": _("Supply article changed"),
    },
    details={
        "fund_amount": (_("amount"), TEXT),
        "supplier_discount": (_("discount"), TEXT),
        "purchase_quantity": (_("copies"), TEXT),
        "overspent_reason": (_("reason for overspending"), TEXT),
        "cancel_reason": (_("reason for cancelling"), TEXT),
        "order_number": (_("order"), TEXT),
        "invoice_number": (_("invoice"), TEXT),
        "suggestion_reason": (_("reason"), TEXT),
        "holds_ratio": (_("holds per copy"), TEXT),
    },
)
