"""Staff pages of the animation resources: catalogue, calendar and booking form, a library's
bookings, the owner's requests to decide. Every change goes through services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillon.audit.display import lines
from maillon.audit.services import entries_for
from maillon.bookings import (
    availability,
    documents,
    labels,
    photos,
    scanning,
    services,
    shuttle,
    subloans,
    waiting,
)
from maillon.bookings.forms import (
    BookingForm,
    CheckForm,
    DocumentForm,
    FilterForm,
    PhotoForm,
    RefuseForm,
    ResourceForm,
    SubLoanForm,
)
from maillon.bookings.models import (
    AT_LIBRARY,
    Booking,
    BookingStatus,
    LibraryDocument,
    Resource,
    ResourcePhoto,
    SubLoan,
    Waiting,
    taking,
)
from maillon.core import usage
from maillon.core.decorators import staff_required
from maillon.network.current import current_library
from maillon.network.permissions import Action, can, denial_message, libraries_for, require


def _flag(bookings, today: dt.date) -> list[Booking]:
    """The bookings with what the pages say of each: late, and the day it is taken until."""
    bookings = list(bookings)
    for booking in bookings:
        booking.late = booking.is_overdue(today)  # type: ignore[attr-defined]
        booking.until = booking.taken_until(today)  # type: ignore[attr-defined]
    return bookings


@staff_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """The catalogue of resources libraries browse: by kind, owner, audience, and free on
    given dates (within each one's rules, as `availability.free_for` says)."""
    form = FilterForm(request.GET or None)
    resources = (
        Resource.objects.select_related("kind", "owner")
        .prefetch_related("photos")
        .order_by("kind__name", "title")
    )
    dates = None
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            resources = resources.filter(kind=data["kind"])
        if data["owner"]:
            resources = resources.filter(owner=data["owner"])
        if data["audience"]:
            resources = resources.filter(audience=data["audience"])
        if data["start"] and data["end"]:
            dates = (data["start"], data["end"])
            free, _others = availability.free_for(*dates, timezone.localdate())
            resources = resources.filter(pk__in=[f.resource.pk for f in free])
    return render(
        request,
        "bookings/list.html",
        {
            "resources": resources,
            "filter": form,
            "dates": dates,
            "may_create": libraries_for(request.user, Action.MANAGE).exists(),
            "list_thumb": photos.LIST_THUMB,
        },
    )


def _resource(request: HttpRequest, pk: int) -> Resource:
    return get_object_or_404(Resource.objects.select_related("kind", "owner"), pk=pk)


def _month(request: HttpRequest) -> tuple[int, int]:
    """The month asked for; else the month of the dates chosen in the catalogue; else now."""
    try:
        if "mois" not in request.GET and request.GET.get("start"):
            start = dt.date.fromisoformat(request.GET["start"])
            return start.year, start.month
        year, month = (int(p) for p in request.GET.get("mois", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
    return year, month


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    libraries = libraries_for(request.user, Action.CIRCULATE).filter(is_active=True)
    here = current_library(request)
    form = BookingForm(
        request.POST or None,
        libraries=libraries,
        initial={
            "library": here if here in libraries else None,
            # Coming from "pick the dates first".
            "start": request.GET.get("start"),
            "end": request.GET.get("end"),
        },
    )
    proposal, would_work, may_wait = None, None, False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["keep"]:
            proposal = services.propose(resource, data["library"], data["start"], data["end"])
        if proposal is None or (proposal.start, proposal.end) == (data["start"], data["end"]):
            proposal = None
            try:
                booking = services.request_booking(
                    request.user, data["library"], resource, data["start"], data["end"]
                )
            except services.BookingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
                may_wait = error.code in services.TAKEN
                found = error.details.get("proposal")
                if found:
                    would_work = {k: dt.date.fromisoformat(v) for k, v in found.items()}
            else:
                if booking.status == BookingStatus.APPROVED:
                    messages.success(request, _("Booked: the resource is yours on those dates."))
                else:
                    messages.success(
                        request, _("Booking requested: the owner will approve or refuse it.")
                    )
                return redirect("bookings:mine")
    year, month = _month(request)
    today = timezone.localdate()
    upcoming = _flag(
        services.holding(resource)
        .filter(taking(today, today))
        .select_related("library", "resource")
        .prefetch_related("subloans__partner")
        .order_by("start"),
        today,
    )
    for booking in upcoming:
        # Another library's loans on to its partners are its files (Action.VIEW_PRIVATE).
        booking.readable = services.may_read(request.user, booking)  # type: ignore[attr-defined]
    return render(
        request,
        "bookings/detail.html",
        {
            "resource": resource,
            "rule": services.rule_for(resource),
            "form": form if libraries.exists() and resource.bookable else None,
            "proposal": proposal,
            "would_work": would_work,
            "may_wait": may_wait,
            "weeks": services.month_grid(resource, year, month, today),
            "month": dt.date(year, month, 1),
            "previous": _shift(year, month, -1),
            "next": _shift(year, month, 1),
            "upcoming": upcoming,
            "may_edit": can(request.user, Action.MANAGE, resource.owner),
            "may_label": can(request.user, Action.CIRCULATE, resource.owner),
            "photos": resource.photos.all(),
            "photo_form": PhotoForm(),
            "page_thumb": photos.PAGE_THUMB,
            "history": lines(
                entries_for(resource).select_related("user", "library").order_by("-at")[:20]
            ),
        },
    )


@staff_required
def resource_new(request: HttpRequest) -> HttpResponse:
    owners = libraries_for(request.user, Action.MANAGE)
    if not owners.exists():
        raise PermissionDenied(_("Your role does not allow changing this library's data."))
    form = ResourceForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.create_resource(
                request.user,
                **{name: form.cleaned_data[name] for name in ResourceForm.Meta.fields},
            )
        except services.BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("bookings:detail", pk=resource.pk)
    return render(request, "bookings/edit.html", {"form": form, "resource": None})


@staff_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    require(request.user, Action.MANAGE, resource.owner)
    owners = libraries_for(request.user, Action.MANAGE)
    # A bound ModelForm writes into its instance: give it a copy, the service changes the row.
    form = ResourceForm(
        request.POST or None, instance=Resource.objects.get(pk=resource.pk), owners=owners
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(
                request.user,
                resource,
                **{name: form.cleaned_data[name] for name in ResourceForm.Meta.fields},
            )
        except services.BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("bookings:detail", pk=resource.pk)
    return render(request, "bookings/edit.html", {"form": form, "resource": resource})


@staff_required
def mine(request: HttpRequest) -> HttpResponse:
    """The bookings of the library the user works at."""
    library = current_library(request)
    bookings: list[Booking] = []
    if library is not None:
        require(request.user, Action.VIEW, library)
        bookings = _flag(
            Booking.objects.filter(library=library)
            .select_related("resource__kind", "resource__owner")
            .prefetch_related("subloans__partner")
            .order_by("-start", "-pk"),
            timezone.localdate(),
        )
    return render(
        request,
        "bookings/mine.html",
        {
            "library": library,
            "late": [b for b in bookings if b.late],  # type: ignore[attr-defined]
            "waiting": [
                (entry, waiting.position(entry))
                for entry in Waiting.objects.filter(
                    library=library, status__in=[Waiting.Status.WAITING, Waiting.Status.OFFERED]
                ).select_related("resource")
            ]
            if library is not None
            else [],
            "current": [b for b in bookings if b.status in AT_LIBRARY],
            "past": [b for b in bookings if b.status not in AT_LIBRARY][:50],
            "may_cancel": library is not None and can(request.user, Action.CIRCULATE, library),
        },
    )


@staff_required
def to_decide(request: HttpRequest) -> HttpResponse:
    """What the owners the user works for must do: decide (their managers), deliver, get back
    and check (their desk staff too)."""
    deciders = libraries_for(request.user, Action.MANAGE)
    desks = libraries_for(request.user, Action.CIRCULATE)
    active = _flag(
        Booking.objects.filter(
            Q(resource__owner__in=deciders, status=BookingStatus.REQUESTED)
            | Q(
                resource__owner__in=desks,
                status__in=[
                    BookingStatus.APPROVED,
                    BookingStatus.DELIVERED,
                    BookingStatus.RETURNED,
                ],
            )
        )
        .select_related("resource__kind", "resource__owner", "library")
        .prefetch_related("subloans__partner")
        .order_by("start", "pk"),
        timezone.localdate(),
    )
    by_status: dict[str, list[Booking]] = {}
    for booking in active:
        if booking.status == BookingStatus.REQUESTED:
            booking.missing = documents.missing(  # type: ignore[attr-defined]
                services.rule_for(booking.resource), booking.library, booking.start, booking.end
            )
        by_status.setdefault(booking.status, []).append(booking)
    return render(
        request,
        "bookings/decide.html",
        {
            "requested": by_status.get(BookingStatus.REQUESTED, []),
            "approved": by_status.get(BookingStatus.APPROVED, []),
            "delivered": by_status.get(BookingStatus.DELIVERED, []),
            "returned": by_status.get(BookingStatus.RETURNED, []),
            "late": [b for b in active if b.late],  # type: ignore[attr-defined]
            "refuse": RefuseForm(),
            "check": CheckForm(),
        },
    )


@staff_required
def documents_page(request: HttpRequest) -> HttpResponse:
    """The documents the user's libraries have on file for bookings, and a form to add one."""
    libraries = libraries_for(request.user, Action.MANAGE)
    here = current_library(request)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        libraries=libraries,
        initial={"library": here if here in libraries else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_document(
                request.user,
                data["library"],
                data["kind"],
                data["file"],
                data["valid_from"],
                data["valid_until"],
            )
        except services.BookingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Document on file."))
            return redirect("bookings:documents")
    shown = libraries_for(request.user, Action.CIRCULATE)
    return render(
        request,
        "bookings/documents.html",
        {
            "documents": LibraryDocument.objects.filter(library__in=shown)
            .select_related("kind", "library")
            .order_by("library__name", "kind__name", "-valid_until"),
            "form": form if libraries.exists() else None,
            "today": timezone.localdate(),
        },
    )


@staff_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """A document's file: for its library's staff, and for the owners it books from."""
    document = get_object_or_404(LibraryDocument.objects.select_related("library"), pk=pk)
    lender = libraries_for(request.user, Action.MANAGE).filter(
        resources__bookings__library=document.library
    )
    if not (can(request.user, Action.CIRCULATE, document.library) or lender.exists()):
        raise PermissionDenied(_("This document belongs to another library."))
    return FileResponse(document.file.open("rb"), filename=document.file.name.rsplit("/", 1)[-1])


@staff_required
@require_POST
def wait(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a library in line for taken dates of the resource."""
    resource = _resource(request, pk)
    libraries = libraries_for(request.user, Action.CIRCULATE).filter(is_active=True)
    form = BookingForm(request.POST, libraries=libraries)
    if not form.is_valid():
        messages.error(request, _("Choose the library and the dates again."))
        return redirect("bookings:detail", pk=resource.pk)
    data = form.cleaned_data
    try:
        entry = waiting.wait_for(
            request.user, data["library"], resource, data["start"], data["end"]
        )
    except services.BookingError as error:
        messages.error(request, error.message)
        return redirect("bookings:detail", pk=resource.pk)
    messages.success(
        request,
        _("You are number %(position)d in line: an e-mail will tell you if the dates free up.")
        % {"position": waiting.position(entry)},
    )
    return redirect("bookings:mine")


@staff_required
@require_POST
def unwait(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Waiting, pk=pk)
    waiting.stop_waiting(request.user, entry)
    messages.success(request, _("You no longer wait for these dates."))
    return redirect("bookings:mine")


STEPS = {
    "accepter": "approve",
    "refuser": "refuse",
    "livrer": "deliver",
    "retour": "mark_returned",
    "verifier": "check",
    "annuler": "cancel",
    "prolonger": "renew",
}


@staff_required
@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    booking = get_object_or_404(Booking, pk=pk)
    if step not in STEPS:
        raise Http404
    try:
        if step == "refuser":
            services.refuse(request.user, booking, request.POST.get("reason", ""))
        elif step == "verifier":
            form = CheckForm(request.POST)
            form.is_valid()
            services.check(
                request.user,
                booking,
                damaged=form.cleaned_data.get("damaged", False),
                notes=form.cleaned_data.get("notes", ""),
            )
        else:
            getattr(services, STEPS[step])(request.user, booking)
    except services.BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(booking)s") % {"booking": booking.resource.title})
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return redirect(wanted)
    return redirect("bookings:decide")


@staff_required
@require_POST
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    resource = _resource(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            photos.add_photo(
                request.user, resource, form.cleaned_data["image"], form.cleaned_data["caption"]
            )
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, _("Choose the photo to send."))
    return redirect(reverse("bookings:detail", args=[resource.pk]) + "#h-photos")


@staff_required
def photo_file(request: HttpRequest, pk: int) -> FileResponse:
    """A resource's photo, for the network's staff (the catalogue of resources is theirs)."""
    photo = get_object_or_404(ResourcePhoto, pk=pk)
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "private, max-age=86400"
    return response


@staff_required
def photo_thumbnail(request: HttpRequest, pk: int, size: int) -> FileResponse:
    """A resource's photo reduced for the pages (made and kept on first request when the
    upload did not make it); the original stays at bookings:photo."""
    photo = get_object_or_404(ResourcePhoto, pk=pk)
    if size not in photos.THUMB_SIZES:
        raise Http404
    try:
        name = photos.thumbnail(photo, size)
    except OSError:
        raise Http404 from None
    response = FileResponse(photo.image.storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@staff_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ResourcePhoto.objects.select_related("resource"), pk=pk)
    photos.delete_photo(request.user, photo)
    messages.success(request, _("Photo deleted."))
    return redirect(reverse("bookings:detail", args=[photo.resource_id]) + "#h-photos")


@staff_required
def booking_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: its dates and status, and its loans on to the library's partners."""
    booking = get_object_or_404(
        Booking.objects.select_related("resource__kind", "resource__owner", "library"), pk=pk
    )
    if not services.may_read(request.user, booking):
        raise PermissionDenied(denial_message(Action.VIEW_PRIVATE))
    may_lend = (
        can(request.user, Action.CIRCULATE, booking.library) and booking.status in subloans.LENDABLE
    )
    form = SubLoanForm(
        request.POST or None,
        library=booking.library,
        initial={"start": booking.start, "end": booking.end},
    )
    if request.method == "POST":
        if not may_lend:
            raise PermissionDenied(_("Only the booking library’s staff lend it on to a partner."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                subloans.lend_on(
                    request.user,
                    booking,
                    data["partner"],
                    data["start"],
                    data["end"],
                    data["notes"],
                )
            except services.BookingError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Loan to the partner recorded."))
                return redirect("bookings:booking", pk=booking.pk)
    return render(
        request,
        "bookings/booking.html",
        {
            "booking": _flag([booking], timezone.localdate())[0],
            # Its shuttle day passed and it goes on a later run: say so.
            "carried_over": shuttle.carried_over(booking, timezone.localdate()),
            "subloans": booking.subloans.select_related("partner"),
            "form": form if may_lend else None,
            "may_withdraw": can(request.user, Action.CIRCULATE, booking.library),
            # What the apps above add (the programme: the event the booking serves).
            "panels": [p for p in usage.answers("booking_panels", booking, request) if p],
        },
    )


@staff_required
@require_POST
def subloan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    subloan = get_object_or_404(SubLoan.objects.select_related("booking"), pk=pk)
    subloans.withdraw(request.user, subloan)
    messages.success(request, _("Loan to the partner removed."))
    return redirect("bookings:booking", pk=subloan.booking_id)


@staff_required
def scan_page(request: HttpRequest) -> HttpResponse:
    """The owner's desk scans a resource (scanner types + Enter): it leaves for the library
    that booked it, or comes back."""
    desk = current_library(request)
    if desk is None or not can(request.user, Action.CIRCULATE, desk):
        raise PermissionDenied
    if request.method == "POST":
        try:
            done = scanning.scan(request.user, desk, request.POST.get("barcode", ""))
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            booking = done.booking
            text = (
                _("Delivered: %(resource)s %(to_library)s, until %(end)s.")
                if done.step == "delivered"
                else _("Back: %(resource)s %(of_library)s; check it before lending it again.")
            )
            messages.success(
                request,
                text
                % {
                    "resource": booking.resource.title,
                    "to_library": booking.library.to_name,
                    "of_library": booking.library.of_name,
                    "end": services._d(booking.end),
                },
            )
        return redirect("bookings:scan")
    return render(request, "bookings/scan.html", {"desk": desk})


@staff_required
def resource_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """The resource's crate labels as a PDF, for its owner's staff."""
    resource = _resource(request, pk)
    if not can(request.user, Action.CIRCULATE, resource.owner):
        raise PermissionDenied
    response = HttpResponse(labels.pdf(resource), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="etiquettes-{resource.barcode}.pdf"'
    return response
