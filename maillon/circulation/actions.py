"""Circulation's audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import BOOL, DATE, HIDDEN, LIBRARY, TEXT, register
from maillon.circulation.models import LoanRule, NetworkPolicy

# The refusals a librarian overrode at checkout, as the history names them.
OVERRIDES = {
    "patron_expired": _("expired card"),
    "patron_blocked": _("blocked card"),
    "max_loans_library": _("library's loan limit"),
    "max_loans_network": _("network's loan limit"),
    "max_loans_rule": _("rule's loan limit"),
}


def _overrides(codes: list[str]) -> str:
    return ", ".join(str(OVERRIDES.get(code, code)) for code in codes)


register(
    {
        "checkout": _("Checked out"),
        "checkin": _("Checked in"),
        "renewed": _("Renewed"),
        "hold_ready": _("Put on the hold shelf"),
        "hold_placed": _("Hold placed"),
        "hold_cancelled": _("Hold cancelled"),
        "hold_expired": _("Hold not picked up"),
        "transfer_created": _("To send by shuttle"),
        "transfer_sent": _("Sent by shuttle"),
        "transfer_received": _("Received from the shuttle"),
        "transfer_cancelled": _("Transfer cancelled"),
        "capacity_set": _("Capacity set"),
        "rule_created": _("Loan rule created"),
        "rule_changed": _("Loan rule changed"),
        "rule_deleted": _("Loan rule deleted"),
        "policy_changed": _("Network policy changed"),
        "receipt_emailed": _("Loan ticket sent by e-mail"),
    },
    details={
        "loan": (_("loan"), HIDDEN),
        "loans": (_("loans"), HIDDEN),
        "hold": (_("hold"), HIDDEN),
        "record": (_("record"), HIDDEN),
        "item": (_("item"), HIDDEN),
        "transfer": (_("transfer"), HIDDEN),
        "by_patron": (_("by the patron"), HIDDEN),
        "to": (_("to"), LIBRARY),
        "old_due": (_("previous due date"), DATE),
        "new_due": (_("new due date"), DATE),
        "due_on": (_("due on"), DATE),
        "override": (_("overridden"), _overrides),
        "misrouted": (_("arrived at the wrong library"), BOOL),
        "floating": (_("floating collection"), BOOL),
        "location": (_("shelving location"), TEXT),
        "max_items": (_("most items"), TEXT),
        "max_copies": (_("most copies of one title"), TEXT),
        "scope": (_("scope"), TEXT),
        # The fields of a rule or of the policy, as named in "changes" (see catalogue.actions).
        **{
            field.name: (field.verbose_name, TEXT)
            for model in (LoanRule, NetworkPolicy)
            for field in model._meta.concrete_fields
            if field.editable and not field.primary_key
        },
    },
)
