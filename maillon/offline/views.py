"""The offline desk page (prêt secouru), its service worker, and the review list.

The desk page is drawn once while the server answers; its service worker keeps it and its
static files, and its script keeps the operations in the browser (IndexedDB) until the
server takes them (``/api/v1/offline/operations``). The review list and the file import are
ordinary pages over ``services``.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.core.decorators import staff_required
from maillon.core.errors import DomainError
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, denial_message, is_staff_member, require
from maillon.offline import services
from maillon.offline.forms import DismissForm, ImportForm, ResolveForm
from maillon.offline.models import OfflineOperation, Status

# What the service worker keeps beside the page.
ASSETS = ("maillon/maillon.css", "offline/desk.css", "offline/desk.js")


def _library(request: HttpRequest, action: Action = Action.CIRCULATE) -> Library:
    library = current_library(request)
    if library is None:
        raise PermissionDenied(denial_message(action))
    require(request.user, action, library)
    return library


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    library = _library(request)
    texts = {
        "online": _("Connected: each operation is sent at once."),
        "offline": _(
            "Offline: the operations are kept in this browser and sent when the "
            "server answers again."
        ),
        "login": _("Your session has ended: log in again to send the waiting operations."),
        "refused": _("The server refused the operations: %(message)s"),
        "waiting_one": _("1 operation waiting to be sent"),
        "waiting_many": _("%(count)s operations waiting to be sent"),
        "waiting_none": _("No operation waiting"),
        "checkout": _("checkout"),
        "checkin": _("check-in"),
        "sent": _("sent"),
        "conflict": _("to review"),
        "card_first": _("Scan the patron's card first."),
        "no_storage": _("This browser cannot keep operations: use another browser."),
    }
    return render(
        request,
        "offline/desk.html",
        {"library": library, "texts": texts, "csrf": get_token(request)},
    )


@cache
def _version() -> str:
    """Changes whenever a kept file does: the browser then installs the new worker."""
    digest = hashlib.sha256(get_template("offline/desk.html").template.source.encode())  # type: ignore[attr-defined]
    for name in ASSETS:
        path = finders.find(name)
        if path:
            with open(str(path), "rb") as kept:
                digest.update(kept.read())
    return digest.hexdigest()[:16]


def service_worker(request: HttpRequest) -> HttpResponse:
    """Public: it holds no data, and must load for a browser whose session has ended."""
    body = render_to_string(
        "offline/sw.js",
        {"version": _version(), "page": reverse("offline:desk"), "assets": ASSETS},
    )
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


def session(request: HttpRequest) -> JsonResponse:
    """Is the server there, and the staff session alive? With a fresh CSRF token for the
    sending (the page's own may be days old)."""
    if not request.user.is_authenticated or not is_staff_member(request.user):
        return JsonResponse({"error": "authentication_required"}, status=401)
    return JsonResponse({"csrf": get_token(request)})


# Review ---------------------------------------------------------------------------------------


@staff_required
def review(request: HttpRequest) -> HttpResponse:
    library = _library(request, Action.VIEW)
    conflicts = list(services.conflicts(library))
    manage = can(request.user, Action.MANAGE, library)
    for op in conflicts:
        initial = {
            "kind": op.kind if op.kind != "unreadable" else "",
            "card": op.card,
            "barcode": op.barcode,
        }
        op.form = ResolveForm(initial=initial, prefix=f"op{op.pk}")  # type: ignore[attr-defined]
        op.dismiss_form = DismissForm(prefix=f"op{op.pk}")  # type: ignore[attr-defined]
    settled = (
        OfflineOperation.objects.filter(library=library)
        .exclude(status=Status.CONFLICT)
        .select_related("resolved_by", "file")
        .order_by("-received_at", "-pk")[:50]
    )
    return render(
        request,
        "offline/review.html",
        {"library": library, "conflicts": conflicts, "settled": settled, "can_manage": manage},
    )


def _conflict(request: HttpRequest, pk: int) -> OfflineOperation:
    op = get_object_or_404(OfflineOperation, pk=pk)
    require(request.user, Action.MANAGE, op.library_id)
    return op


@staff_required
@require_POST
def resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    op = _conflict(request, pk)
    form = ResolveForm(request.POST, prefix=f"op{op.pk}")
    if not form.is_valid():
        messages.error(request, _("Give the operation, and the item's barcode."))
        return redirect("offline:review")
    data = form.cleaned_data
    try:
        op = services.resolve(
            request.user,
            op,
            kind=data["kind"],
            card=data["card"],
            barcode=data["barcode"],
            override_reason=data["override_reason"],
            return_first=data["return_first"],
        )
    except services.OfflineError as error:
        messages.error(request, error.message)
        return redirect("offline:review")
    if op.status == Status.RESOLVED:
        messages.success(
            request,
            _("Operation %(seq)d applied.") % {"seq": op.seq}
            + (f" {op.message}" if op.message else ""),
        )
    else:
        messages.error(request, _("Still refused: %(message)s") % {"message": op.message})
    return redirect("offline:review")


@staff_required
@require_POST
def dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    op = _conflict(request, pk)
    form = DismissForm(request.POST, prefix=f"op{op.pk}")
    try:
        services.dismiss(request.user, op, form.data.get(f"op{op.pk}-reason", ""))
    except services.OfflineError as error:
        messages.error(request, error.message)
        return redirect("offline:review")
    messages.success(request, _("Operation %(seq)d dismissed.") % {"seq": op.seq})
    return redirect("offline:review")


@staff_required
def import_view(request: HttpRequest) -> HttpResponse:
    library = _library(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_file(
                request.user,
                library,
                upload.name,
                upload.read(services.MAX_FILE_BYTES + 1),
                day=form.cleaned_data["day"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            conflicts = report.count(Status.CONFLICT)
            messages.info(
                request,
                ngettext(
                    "%(count)d operation read, %(conflicts)d to review.",
                    "%(count)d operations read, %(conflicts)d to review.",
                    len(report.outcomes),
                )
                % {"count": len(report.outcomes), "conflicts": conflicts},
            )
    return render(
        request, "offline/import.html", {"library": library, "form": form, "report": report}
    )
