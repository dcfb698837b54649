"""Deposits' audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import HIDDEN, TEXT, register

register(
    {
        "deposit_opened": _("Deposit opened"),
        "deposit_level_changed": _("Deposit level changed"),
        "deposit_session_opened": _("Exchange session opened"),
        "deposit_session_closed": _("Exchange session closed"),
        "deposit_lent": _("Lent on deposit"),
        "deposit_returned": _("Returned from the deposit"),
        "deposit_sent_back": _("Sent back to the departmental library"),
        "deposit_requested": _("Asked of the departmental library"),
        "deposit_request_answered": _("Request answered"),
        "deposit_quota_set": _("Deposit quota set"),
        "deposit_quota_removed": _("Deposit quota removed"),
    },
    details={
        "level": (_("level"), TEXT),
        "deposit": (_("deposit"), HIDDEN),
        "session": (_("session"), HIDDEN),
        "answer_state": (_("answer"), TEXT),
        "quota": (_("deposit quota"), TEXT),
    },
)
