"""Bookings' audit action codes and detail keys, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import BOOL, CHANGES, DATE, LIBRARY, TEXT, register

register(
    {
        "resource_created": _("Animation resource created"),
        "resource_changed": _("Animation resource changed"),
        "booking_requested": _("Booking requested"),
        "booking_approved": _("Booking approved"),
        "booking_refused": _("Booking refused"),
        "booking_delivered": _("Booked resource delivered"),
        "booking_returned": _("Booked resource returned"),
        "booking_checked": _("Returned resource checked"),
        "booking_cancelled": _("Booking cancelled"),
        "booking_renewed": _("Booking renewed"),
        "booking_waiting": _("Waiting for booked dates"),
        "booking_dates_offered": _("Freed dates offered to the first waiting"),
        "booking_waiting_withdrawn": _("No longer waiting for booked dates"),
        "booking_document_added": _("Document on file for bookings"),
        "resource_photo_added": _("Photo of a resource added"),
        "resource_photo_deleted": _("Photo of a resource deleted"),
        "booking_lent_on": _("Booked resource lent to a partner"),
        "booking_lent_on_withdrawn": _("Loan of a booked resource to a partner removed"),
        "booking_rule_created": _("Booking rule created"),
        "booking_rule_changed": _("Booking rule changed"),
        "booking_rule_deleted": _("Booking rule deleted"),
        "seasonal_limit_created": _("Seasonal booking limit created"),
        "seasonal_limit_changed": _("Seasonal booking limit changed"),
        "seasonal_limit_deleted": _("Seasonal booking limit deleted"),
    },
    details={
        "resource": (_("resource"), TEXT),
        "start": (_("from"), DATE),
        "end": (_("to"), DATE),
        "for_library": (_("for"), LIBRARY),
        "refusal_reason": (_("reason"), TEXT),
        "damaged": (_("damaged"), BOOL),
        "check_notes": (_("notes"), TEXT),
        "resource_changes": (_("changes"), CHANGES),
        "booking_document": (_("document kind"), TEXT),
        "rule_scope": (_("kind / owner"), TEXT),
        "partner_name": (_("partner"), TEXT),
    },
)
