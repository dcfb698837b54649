"""The programme's audit action codes, with their labels (see maillon.audit)."""

from django.utils.translation import gettext_lazy as _

from maillon.audit.labels import BOOL, HIDDEN, TEXT, register
from maillon.programme.models import Verdict


def _verdict(value: str) -> str:
    return str(Verdict(value).label) if value in Verdict.values else value


register(
    {
        "event_created": _("Event created"),
        "event_changed": _("Event changed"),
        "event_published": _("Event published"),
        "event_session_added": _("Event session added"),
        "event_cancelled": _("Event cancelled"),
        "booking_event_linked": _("Booked animation resource linked to an event"),
        "event_postponed": _("Event postponed"),
        "event_rescheduled": _("Event moved to new dates"),
        "event_full": _("Event marked full"),
        "event_reopened": _("Event open to registrations again"),
        "calendar_rules_changed": _("Network calendar rules changed"),
        "programme_created": _("Festival or programme created"),
        "programme_changed": _("Festival or programme changed"),
        "meeting_created": _("Meeting planned"),
        "meeting_invited": _("Staff invited to a meeting"),
        "meeting_answered": _("Answer to a meeting invitation"),
        "meeting_attendance": _("Meeting attendance recorded"),
        "meeting_minutes": _("Meeting minutes written"),
        "meeting_book": _("Book added to a reading committee"),
        "meeting_minutes_file": _("Meeting minutes attached as a file"),
        "committee_pick_proposed": _("Reading committee pick put on a selection list"),
        "convention_added": _("Partner convention added"),
        "class_visits_scheduled": _("Class visits scheduled"),
        "class_visit_recorded": _("Class visit recorded"),
        "event_headcount": _("Head count of a session recorded"),
    },
    details={
        "event": (_("event"), HIDDEN),
        "booked_resource": (_("animation resource"), TEXT),
        "programme": (_("festival or programme"), HIDDEN),
        "meeting": (_("meeting"), HIDDEN),
        "invited": (_("people invited"), TEXT),
        "coming": (_("coming"), BOOL),
        "came": (_("people who came"), TEXT),
        "verdict": (_("verdict"), _verdict),
        "partner": (_("partner"), HIDDEN),
        "visits": (_("class visits"), TEXT),
        "cancelled_visit": (_("did not take place"), BOOL),
        "sessions": (_("dates moved or added"), TEXT),
        "told": (_("people told by e-mail"), TEXT),
        "clash_km": (_("libraries this close compete (km)"), TEXT),
        "gap_months": (_("months without an event that make a gap"), TEXT),
    },
)
