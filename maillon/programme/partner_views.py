"""Staff pages: a partner's cultural history (conventions, class visits, events together), the
class visits of a library, head counts of sessions, and the programme's figures."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.exports import Row, table_response
from maillon.network.current import current_library
from maillon.network.models import Partner, PartnerKind
from maillon.network.permissions import Action, can
from maillon.programme import access, figures, partners
from maillon.programme.models import ClassVisit, Convention, Event, Headcount, Room, Session
from maillon.programme.services import ProgrammeError


class ConventionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    starts_on = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.FileField(label=gettext_lazy("Signed document"), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), required=False)


class VisitForm(forms.Form):
    class_name = forms.CharField(label=gettext_lazy("Class"), max_length=60)
    teacher = forms.CharField(label=gettext_lazy("Teacher"), max_length=120)
    pupils = forms.IntegerField(label=gettext_lazy("Pupils"), min_value=1, max_value=60)
    theme = forms.CharField(label=gettext_lazy("Theme"), max_length=200, required=False)
    day = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    starts = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(label=gettext_lazy("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    room = forms.ModelChoiceField(
        label=gettext_lazy("Room"), queryset=Room.objects.none(), required=False
    )
    every_weeks = forms.IntegerField(
        label=gettext_lazy("Every … weeks"),
        min_value=0,
        max_value=8,
        initial=0,
        help_text=gettext_lazy("0 for a single visit."),
    )
    until = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The end of the school year, for a series."),
    )

    def __init__(self, *args, partner: Partner, **kwargs):
        super().__init__(*args, **kwargs)
        room = self.fields["room"]
        assert isinstance(room, forms.ModelChoiceField)
        room.queryset = Room.objects.filter(library=partner.library_id)


def _partner(request: HttpRequest, pk: int) -> Partner:
    partner = get_object_or_404(Partner.objects.select_related("library"), pk=pk)
    access.require_view(request.user, partner.library)
    return partner


@staff_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What the network did with a partner: conventions, class visits, events together."""
    partner = _partner(request, pk)
    manage = can(request.user, Action.MANAGE, partner.library)
    convention_form = ConventionForm(prefix="c") if manage else None
    visit_form = (
        VisitForm(prefix="v", partner=partner)
        if manage and partner.kind == PartnerKind.SCHOOL
        else None
    )
    if manage and request.method == "POST":
        if "c-title" in request.POST:
            convention_form = ConventionForm(request.POST, request.FILES, prefix="c")
            if convention_form.is_valid():
                data = convention_form.cleaned_data
                try:
                    partners.add_convention(
                        request.user,
                        partner,
                        title=data["title"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        document=data["document"],
                        notes=data["notes"],
                    )
                except ProgrammeError as error:
                    convention_form.add_error(
                        error.field if error.field in convention_form.fields else None,
                        error.message,
                    )
                else:
                    messages.success(request, _("The convention is saved."))
                    return redirect("programme:partner", pk=partner.pk)
        elif visit_form is not None:
            visit_form = VisitForm(request.POST, prefix="v", partner=partner)
            if visit_form.is_valid():
                data = visit_form.cleaned_data
                zone = timezone.get_current_timezone()
                try:
                    visits = partners.schedule_class_visits(
                        request.user,
                        partner.library,
                        partner,
                        class_name=data["class_name"],
                        teacher=data["teacher"],
                        pupils=data["pupils"],
                        theme=data["theme"],
                        starts_at=dt.datetime.combine(data["day"], data["starts"], tzinfo=zone),
                        ends_at=dt.datetime.combine(data["day"], data["ends"], tzinfo=zone),
                        room=data["room"],
                        every_weeks=data["every_weeks"] or 0,
                        until=data["until"],
                    )
                except ProgrammeError as error:
                    visit_form.add_error(
                        error.field if error.field in visit_form.fields else None, error.message
                    )
                else:
                    messages.success(
                        request,
                        ngettext(
                            "%(count)d visit scheduled.", "%(count)d visits scheduled.", len(visits)
                        )
                        % {"count": len(visits)},
                    )
                    return redirect("programme:partner", pk=partner.pk)
    return render(
        request,
        "programme/partner_detail.html",
        {
            "partner": partner,
            "manage": manage,
            "today": timezone.localdate(),
            "conventions": partner.conventions.all(),
            "visits": partner.class_visits.select_related("room").order_by("-starts_at")[:100],
            "events": Event.objects.filter(partners=partner)
            .select_related("library")
            .order_by("-created_at")[:100],
            "convention_form": convention_form,
            "visit_form": visit_form,
        },
    )


@staff_required
def convention_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    convention = get_object_or_404(Convention.objects.select_related("partner"), pk=pk)
    access.require_view(request.user, convention.partner.library_id)
    if not convention.document:
        raise Http404
    return FileResponse(convention.document.open("rb"), as_attachment=True)


@staff_required
def class_visits(request: HttpRequest) -> HttpResponse:
    """A library's class visits: to come, and done (with how many pupils came)."""
    viewable = access.viewable(request.user)
    code = request.GET.get("bibliotheque", "")
    library = viewable.filter(code=code).first() if code else current_library(request)
    visits = ClassVisit.objects.select_related("partner", "library", "room")
    if library is not None:
        visits = visits.filter(library=library)
    else:
        visits = visits.filter(library__in=viewable)
    now = timezone.now()
    return render(
        request,
        "programme/class_visits.html",
        {
            "library": library,
            "libraries": viewable.filter(is_active=True),
            "upcoming": visits.filter(ends_at__gte=now).order_by("starts_at")[:200],
            "done": visits.filter(ends_at__lt=now).order_by("-starts_at")[:200],
            "schools": Partner.objects.filter(kind=PartnerKind.SCHOOL, library=library)
            if library
            else [],
        },
    )


@staff_required
@require_POST
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(ClassVisit, pk=pk)
    value = request.POST.get("pupils_came", "").strip()
    try:
        partners.record_visit(
            request.user,
            visit,
            pupils_came=int(value) if value.isdigit() else None,
            cancelled=request.POST.get("cancelled") == "1",
        )
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The visit is recorded."))
    return redirect(f"{reverse('programme:class_visits')}?bibliotheque={visit.library.code}")


@staff_required
@require_POST
def headcount(request: HttpRequest, pk: int) -> HttpResponse:
    """Who came to a session without registration, by age band."""
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    counts = {}
    for band in Headcount.BANDS:
        value = request.POST.get(band, "0").strip() or "0"
        if not value.lstrip("-").isdigit():
            messages.error(request, _("Give whole numbers of people."))
            return redirect("programme:event", pk=session.event_id)
        counts[band] = int(value)
    try:
        count = partners.record_headcount(request.user, session, counts)
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)d person counted.", "%(count)d people counted.", count.total)
            % {"count": count.total},
        )
    return redirect("programme:event", pk=session.event_id)


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        start = dt.date(today.year, 1, 1)
    try:
        end = dt.date.fromisoformat(request.GET.get("au", ""))
    except ValueError:
        end = dt.date(start.year, 12, 31)
    return start, max(start, end)


@staff_required
def figures_page(request: HttpRequest) -> HttpResponseBase:
    """Each library's figures and the network's over a period; CSV or xlsx."""
    start, end = _period(request)
    viewable = set(access.viewable(request.user).values_list("pk", flat=True))
    rows = [
        f for f in figures.per_library(start, end) if f.library is None or f.library.pk in viewable
    ]
    fmt = request.GET.get("format", "")
    if fmt in ("csv", "xlsx"):
        table: list[Row] = [
            [
                _("Library"),
                _("Events"),
                _("Sessions"),
                _("Hours"),
                _("Registered"),
                _("Came (registered)"),
                _("Counted"),
                _("Class visits"),
                _("Classes"),
                _("Pupils"),
                _("Partners"),
            ],
            *(
                [
                    f.library.name if f.library else _("Network"),
                    f.events,
                    f.sessions,
                    f.hours,
                    f.registered,
                    f.present,
                    f.counted,
                    f.class_visits,
                    f.classes,
                    f.pupils,
                    f.partners,
                ]
                for f in rows
            ),
        ]
        return table_response(fmt, f"animations-{start}-{end}", table, title=_("Figures"))
    return render(
        request,
        "programme/figures.html",
        {"rows": rows, "network": rows[-1], "start": start, "end": end},
    )
