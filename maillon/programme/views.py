from __future__ import annotations

from django.contrib import messages
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.audit.display import lines
from maillon.audit.services import entries_for
from maillon.bookings.models import Booking
from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, libraries_for, require
from maillon.programme import access, booked, calendar, changes, dates, registrations, services
from maillon.programme.forms import EventForm, RescheduleForm, SessionForm
from maillon.programme.models import Event, EventStatus, Headcount, Programme, Session
from maillon.programme.services import EVENT_FIELDS


@staff_required
def event_list(request: HttpRequest) -> HttpResponse:
    viewable = access.viewable(request.user)
    events = (
        Event.objects.filter(library__in=viewable)
        .select_related("library", "kind")
        .annotate(first=Min("sessions__starts_at"))
        .order_by("first", "title")
    )
    status = request.GET.get("status", "")
    if status in EventStatus.values:
        events = events.filter(status=status)
    return render(
        request,
        "programme/event_list.html",
        {
            "events": events,
            "statuses": EventStatus.choices,
            "status": status,
            "can_create": libraries_for(request.user, Action.MANAGE).exists(),
            "library": current_library(request),
        },
    )


def _event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("library", "kind"), pk=pk)
    access.require_view(request.user, event.library)
    return event


@staff_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    event = _event(request, pk) if pk else None
    if event:
        require(request.user, Action.MANAGE, event.library)
    libraries = libraries_for(request.user, Action.MANAGE)
    form = EventForm(
        request.POST or None,
        instance=event,
        libraries=libraries,
        initial=None
        if event
        else {
            "library": current_library(request),
            "programme": Programme.objects.filter(slug=request.GET.get("programme", "")).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in EVENT_FIELDS}
        try:
            if event:
                saved = services.update_event(
                    request.user,
                    event,
                    other_libraries=data["other_libraries"],
                    partners=data["partners"],
                    **fields,
                )
            else:
                saved = services.create_event(
                    request.user,
                    data["library"],
                    other_libraries=data["other_libraries"],
                    partners=data["partners"],
                    **fields,
                )
        except services.ProgrammeError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("programme:event", pk=saved.pk)
    return render(request, "programme/event_form.html", {"form": form, "event": event})


@staff_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    manage = can(request.user, Action.MANAGE, event.library)
    form = SessionForm(request.POST or None, event=event) if manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        room = form.cleaned_data["room"]
        try:
            added = services.add_sessions(request.user, event, form.spans(), room)
        except services.ProgrammeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The dates are added."))
            _warn_outside_hours(request, room.library if room else event.library, added)
            return redirect("programme:event", pk=event.pk)
    return render(
        request,
        "programme/event_detail.html",
        {
            "event": event,
            "sessions": _with_counts(event),
            "form": form,
            "manage": manage,
            "registrations": event.registrations.select_related("session").order_by(
                "status", "created_at"
            ),
            "taken": registrations.taken(event, None),
            "booked": event.booked_resources.select_related(
                "booking__resource__owner", "booking__library"
            ).order_by("booking__start"),
            "history": lines(
                entries_for(event).select_related("user", "library").order_by("-at", "-pk")[:50]
            ),
            "next_statuses": [
                str(to) for to, froms in changes.ALLOWED_FROM.items() if event.status in froms
            ]
            if manage
            else [],
        },
    )


def _with_counts(event: Event) -> list[Session]:
    """The event's sessions, each with its head count (or None) and whether it has begun."""
    sessions = list(event.sessions.select_related("room"))
    counts = Headcount.objects.in_bulk([s.pk for s in sessions], field_name="session")
    now = timezone.now()
    labels = [(band, Headcount.label(band)) for band in Headcount.BANDS]
    for session in sessions:
        count = counts.get(session.pk)
        session.count = count  # type: ignore[attr-defined]
        session.begun = session.starts_at <= now  # type: ignore[attr-defined]
        session.bands = [  # type: ignore[attr-defined]
            (band, label, getattr(count, band) if count else 0) for band, label in labels
        ]
    return sessions


def _warn_outside_hours(request: HttpRequest, library: Library, added: list[Session]) -> None:
    """Allowed (an evening reading, a Sunday festival), but said: someone must open."""
    library = Library.objects.prefetch_related("opening_hours", "closures").get(pk=library.pk)
    outside = [s for s in added if calendar.outside_hours(library, s.starts_at, s.ends_at)]
    if outside:
        messages.warning(
            request,
            _("Outside the opening hours %(of)s: %(dates)s. The dates are kept.")
            % {
                "of": library.of_name,
                "dates": "; ".join(dates.span(s.starts_at, s.ends_at) for s in outside),
            },
        )


@staff_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    try:
        services.publish(request.user, event)
    except services.ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The event is on the public agenda."))
    return redirect("programme:event", pk=event.pk)


@staff_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    present = {int(value) for value in request.POST.getlist("present") if value.isdigit()}
    came = registrations.record_attendance(request.user, event, present)
    messages.success(request, _("Attendance recorded: %(count)d came.") % {"count": came})
    return redirect("programme:event", pk=event.pk)


@staff_required
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Full, open again, postponed or cancelled: the service checks, saves and e-mails."""
    event = _event(request, pk)
    change = request.POST.get("change", "")
    reason = request.POST.get("reason", "")
    base_url = request.build_absolute_uri("/")
    try:
        if change == "full":
            changes.mark_full(request.user, event, base_url=base_url)
            done = _("The event is marked full; those registered are told.")
        elif change == "reopen":
            changes.reopen(request.user, event)
            done = _("The event takes registrations again.")
        elif change == "postpone":
            changes.postpone_event(request.user, event, reason=reason, base_url=base_url)
            done = _("The event is postponed; everyone is told.")
        elif change == "cancel":
            changes.cancel_event(request.user, event, reason=reason, base_url=base_url)
            done = _("The event is cancelled; everyone is told.")
        else:
            done = ""
            messages.error(request, _("Choose what happens to the event."))
    except services.ProgrammeError as error:
        messages.error(request, error.message)
    else:
        if done:
            messages.success(request, done)
    return redirect("programme:event", pk=event.pk)


@staff_required
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """New dates for an event already announced: one row per date still to come (all of them
    for a postponed event, whose dates may have passed)."""
    event = _event(request, pk)
    require(request.user, Action.MANAGE, event.library)
    sessions = event.sessions.select_related("room").order_by("starts_at")
    if event.status != EventStatus.POSTPONED:
        sessions = sessions.filter(ends_at__gt=timezone.now())
    form = RescheduleForm(request.POST or None, sessions=list(sessions))
    if request.method == "POST" and form.is_valid():
        try:
            changes.reschedule_event(
                request.user,
                event,
                form.moves(),
                reason=form.cleaned_data["reason"],
                base_url=request.build_absolute_uri("/"),
            )
        except services.ProgrammeError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The new dates are saved; everyone is told."))
            return redirect("programme:event", pk=event.pk)
    return render(request, "programme/reschedule.html", {"event": event, "form": form})


@staff_required
@require_POST
def booking_event(request: HttpRequest, pk: int) -> HttpResponse:
    """The event a booking of an animation resource serves (chosen on the booking's page)."""
    booking = get_object_or_404(Booking.objects.select_related("resource"), pk=pk)
    wanted = request.POST.get("event", "")
    event = get_object_or_404(Event, pk=int(wanted)) if wanted.isdigit() else None
    try:
        booked.link(request.user, booking, event)
    except services.ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking's event is saved."))
    return redirect("bookings:booking", pk=booking.pk)
