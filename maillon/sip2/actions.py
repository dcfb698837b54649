"""SIP2 terminal accounts' audit action codes and detail keys (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import TEXT, register

register(
    {
        "sip2_terminal_created": _("SIP2 terminal created"),
        "sip2_terminal_changed": _("SIP2 terminal changed"),
        "sip2_terminal_disabled": _("SIP2 terminal disabled"),
        "sip2_terminal_enabled": _("SIP2 terminal enabled again"),
        "sip2_password_reset": _("SIP2 terminal given a new password"),
        "sip2_terminal_unlocked": _("SIP2 terminal unlocked after failed logins"),
    },
    details={
        "sip2_login": (_("terminal login"), TEXT),
        "sip2_library": (_("library"), TEXT),
        "sip2_can_checkout": (_("may lend"), TEXT),
        "sip2_can_checkin": (_("may take returns"), TEXT),
        "sip2_can_renew": (_("may renew"), TEXT),
        "sip2_fallback_encoding": (_("fallback encoding"), TEXT),
    },
)
