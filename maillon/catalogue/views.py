from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.forms import ModelForm
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.crypto import get_random_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maillon.audit.display import lines as audit_lines
from maillon.audit.services import entries_for
from maillon.catalogue import export, items, job_kinds, services, sru
from maillon.catalogue.copy import import_candidate
from maillon.catalogue.forms import (
    ChangeHomeForm,
    CollectionForm,
    ExportForm,
    ImportForm,
    ItemForm,
    ItemNoteForm,
    ItemTypeForm,
    RecordForm,
    WithdrawForm,
)
from maillon.catalogue.models import (
    Collection,
    ImportBatch,
    Item,
    ItemStatus,
    ItemType,
    Record,
    RecordMerge,
    SourceCode,
)
from maillon.catalogue.search.facets import LANGUAGES
from maillon.catalogue.search.staff import staff_search
from maillon.core import usage
from maillon.core.decorators import staff_required
from maillon.jobs import services as jobs
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, libraries_for, require


def _items_by_library(record: Record) -> list[tuple]:
    items = record.items.select_related(
        "home", "current", "owner", "item_type", "collection"
    ).order_by("home__name", "call_number", "barcode")
    groups: dict = {}
    for item in items:
        groups.setdefault(item.home, []).append(item)
    return list(groups.items())


@staff_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=pk)
    if record.merged_into_id:
        return redirect("catalogue:record", pk=record.merged_into_id)
    return render(
        request,
        "catalogue/record_detail.html",
        {
            "record": record,
            "groups": _items_by_library(record),
            "merges": record.merges.select_related("library").filter(undone_at=None),
            "can_manage": can(request.user, Action.MANAGE),
            "can_add_item": libraries_for(request.user, Action.MANAGE).exists(),
            "panels": list(usage.answers("record_panels", record, request)),
            "language": LANGUAGES.get(record.language, record.language),
        },
    )


@staff_required
def record_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, Action.MANAGE)
    record = get_object_or_404(Record, pk=pk) if pk else None
    initial = (
        RecordForm.initial_for(record) if record else {"doc_type": "text", "audience": "unknown"}
    )
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if record:
                record = services.update_record(request.user, record, form.record_fields())
            else:
                record = services.create_record(request.user, form.record_fields())
        except services.CatalogueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Record saved."))
            return redirect("catalogue:record", pk=record.pk)
    return render(request, "catalogue/record_form.html", {"form": form, "record": record})


@staff_required
def item_edit(request: HttpRequest, record_pk: int, pk: int | None = None) -> HttpResponse:
    record = get_object_or_404(Record, pk=record_pk)
    item = get_object_or_404(Item, pk=pk, record=record) if pk else None
    if item:
        require(request.user, Action.MANAGE, item.home)
    homes = libraries_for(request.user, Action.MANAGE)
    require(request.user, Action.MANAGE)
    here = current_library(request)
    initial = {}
    if item is None:
        initial = {
            "home": here if here and homes.filter(pk=here.pk).exists() else None,
            "audience": record.audience,
        }
    form = ItemForm(request.POST or None, instance=item, homes=homes, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["owner"] = fields.get("owner") or fields["home"]
        try:
            if item:
                item = services.update_item(request.user, item, **fields)
            else:
                barcode, home = fields.pop("barcode"), fields.pop("home")
                item = services.add_item(request.user, record, barcode=barcode, home=home, **fields)
        except services.CatalogueError as error:
            form.add_error("barcode" if error.code.startswith("barcode") else None, error.message)
        else:
            messages.success(request, _("Item %(barcode)s saved.") % {"barcode": item.barcode})
            return redirect("catalogue:record", pk=record.pk)
    return render(
        request, "catalogue/item_form.html", {"form": form, "record": record, "item": item}
    )


@staff_required
def item_detail(request: HttpRequest, barcode: str) -> HttpResponse:
    item = get_object_or_404(
        Item.objects.select_related(
            "record", "home", "current", "owner", "item_type", "collection"
        ),
        barcode=barcode,
    )
    return render(request, "catalogue/item_detail.html", _item_context(request, item))


# An action of the item page without fields of its own: (service, message once done).
ItemAction = tuple[Callable[..., Item], Promise]


def _item_context(request: HttpRequest, item: Item, **forms) -> dict:
    """The item page: its facts, its history from the audit log, the actions the user may take
    on it now (the services check again when they run)."""
    user = request.user
    status = item.status
    allowed = items.TRANSITIONS[status]
    desk = can(user, Action.CIRCULATE, item.home_id) or can(user, Action.CIRCULATE, item.current_id)
    manage = can(user, Action.MANAGE, item.home_id)
    here = current_library(request)
    homes = libraries_for(user, Action.MANAGE).exclude(pk=item.home_id)
    actions = {
        "lost": desk and ItemStatus.LOST in allowed,
        "missing": desk and ItemStatus.MISSING in allowed,
        "damaged": desk and ItemStatus.DAMAGED in allowed,
        "repaired": desk and status in (ItemStatus.DAMAGED, ItemStatus.IN_PROCESSING),
        "found": status in (ItemStatus.LOST, ItemStatus.MISSING)
        and can(user, Action.CIRCULATE, here or item.current_id),
        "withdraw": manage and ItemStatus.WITHDRAWN in allowed,
        "reinstate": manage and status == ItemStatus.WITHDRAWN,
        "home": manage and status != ItemStatus.WITHDRAWN and homes.exists(),
    }
    entries = entries_for(item).select_related("library", "user")[:200]
    return {
        "item": item,
        "panels": list(usage.answers("item_panels", item, request)),
        "history": audit_lines(entries),
        "can_manage": manage,
        "actions": {name for name, shown in actions.items() if shown},
        "desk_actions": [name for name in SIMPLE_ACTIONS if actions[name]],
        "found_at": here or item.current,
        "note_form": forms.get("note_form") or ItemNoteForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "home_form": forms.get("home_form") or ChangeHomeForm(homes=homes),
    }


@staff_required
@require_POST
def item_action(request: HttpRequest, barcode: str) -> HttpResponse:
    """One action of the item page (lost, withdrawn, new home…), through catalogue.items."""
    item = get_object_or_404(Item.objects.select_related("home", "current"), barcode=barcode)
    action = request.POST.get("action", "")
    user = request.user
    note_form = ItemNoteForm(request.POST)
    forms: dict = {}
    done: Promise
    try:
        if action == "withdraw":
            withdraw_form = forms["withdraw_form"] = WithdrawForm(request.POST)
            if not withdraw_form.is_valid():
                raise _invalid()
            items.withdraw(user, item, **withdraw_form.cleaned_data)
            done = gettext_lazy("Item %(barcode)s withdrawn from the collection.")
        elif action == "home":
            homes = libraries_for(user, Action.MANAGE).exclude(pk=item.home_id)
            home_form = forms["home_form"] = ChangeHomeForm(request.POST, homes=homes)
            if not home_form.is_valid():
                raise _invalid()
            data = home_form.cleaned_data
            items.change_home(user, item, data["home"], note=data["note"])
            done = gettext_lazy("Item %(barcode)s now belongs to %(library)s.")
        elif action in SIMPLE_ACTIONS and note_form.is_valid():
            change, done = SIMPLE_ACTIONS[action]
            note = note_form.cleaned_data["note"]
            if action == "found":
                here = current_library(request) or item.current
                items.mark_found(user, item, here, note=note)
            else:
                change(user, item, note=note)
        else:
            raise Http404
    except items.ItemError as error:
        item.refresh_from_db()
        messages.error(request, error.message)
        context = _item_context(request, item, note_form=note_form, **forms)
        return render(request, "catalogue/item_detail.html", context, status=409)
    item.refresh_from_db()
    messages.success(request, str(done) % {"barcode": item.barcode, "library": item.home.name})
    return redirect("catalogue:item", barcode=item.barcode)


def _invalid() -> items.ItemError:
    return items.ItemError("invalid", _("Check the fields below."))


SIMPLE_ACTIONS: dict[str, ItemAction] = {
    "lost": (items.mark_lost, gettext_lazy("Item %(barcode)s marked lost.")),
    "missing": (items.mark_missing, gettext_lazy("Item %(barcode)s marked missing.")),
    "damaged": (items.mark_damaged, gettext_lazy("Item %(barcode)s marked damaged, to repair.")),
    "repaired": (items.mark_repaired, gettext_lazy("Item %(barcode)s back on the shelf.")),
    "found": (items.mark_found, gettext_lazy("Item %(barcode)s found again, on the shelf.")),
    "reinstate": (items.reinstate, gettext_lazy("Item %(barcode)s reinstated in the collection.")),
}


@staff_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(RecordMerge, pk=pk)
    try:
        split = services.undo_merge(request.user, merge)
    except services.CatalogueError as error:
        messages.error(request, error.message)
        return redirect("catalogue:record", pk=merge.record_id)
    messages.success(request, _("Merge undone: the items now hang on their own record."))
    return redirect("catalogue:record", pk=split.pk)


@staff_required
def import_upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE)
    libraries = libraries_for(request.user, Action.MANAGE)
    here = current_library(request)
    form = ImportForm(
        request.POST or None, request.FILES or None, libraries=libraries, initial={"library": here}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        folder = Path(settings.VAR_DIR) / "imports"
        folder.mkdir(parents=True, exist_ok=True)
        # One file per upload: a queued job must not see its file replaced by the next one.
        stored = folder / f"{request.user.pk}-{get_random_string(8)}-{Path(upload.name).name}"
        with open(stored, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        library = form.cleaned_data["library"]
        job = jobs.launch(
            job_kinds.IMPORT,
            user=request.user,
            library=library,
            title=upload.name,
            params={
                "path": str(stored),
                "library": library.pk,
                "dry_run": form.cleaned_data["dry_run"],
                "file_name": upload.name,
            },
        )
        if job.state == job.State.DONE:  # a worker was quicker than the redirect
            return redirect("catalogue:import_report", pk=job.result["batch"])
        return redirect("jobs:detail", pk=job.pk)
    batches = ImportBatch.objects.select_related("library")[:20]
    return render(request, "catalogue/import_form.html", {"form": form, "batches": batches})


@staff_required
def export_download(request: HttpRequest) -> HttpResponseBase:
    """A MARC file of the catalogue (or one library's holdings) with items, streamed."""
    network = export.may_export_network(request.user)
    libraries = export.exportable_libraries(request.user)
    here = current_library(request)
    form = ExportForm(
        request.POST or None,
        libraries=libraries,
        network=network,
        initial={"library": here if here is not None and here in libraries else None},
    )
    if request.method == "POST" and form.is_valid():
        library, flavour = form.cleaned_data["library"], form.cleaned_data["flavour"]
        fmt = form.cleaned_data["format"]
        if "background" in request.POST:  # the whole catalogue is better prepared by a worker
            job = jobs.launch(
                job_kinds.EXPORT,
                user=request.user,
                library=library,
                title=export.file_name(library, flavour, fmt),
                params={
                    "library": library.pk if library else None,
                    "flavour": flavour,
                    "format": fmt,
                },
            )
            return redirect("jobs:detail", pk=job.pk)
        response = StreamingHttpResponse(
            export.stream(library, flavour, fmt),
            content_type="application/marcxml+xml" if fmt == "marcxml" else "application/marc",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{export.file_name(library, flavour, fmt)}"'
        )
        return response
    return render(
        request,
        "catalogue/export_form.html",
        {"form": form, "network": network},
        status=400 if form.errors else 200,
    )


@staff_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("library"), pk=pk)
    require(request.user, Action.VIEW, batch.library)
    return render(request, "catalogue/import_report.html", {"batch": batch})


@staff_required
def import_rejects(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    require(request.user, Action.MANAGE, batch.library)
    if not batch.reject_file:
        raise Http404
    path = Path(batch.reject_file)
    path = path.with_suffix(".csv") if kind == "motifs" else path
    if not path.is_file():
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=path.name)  # noqa: SIM115


@staff_required
def copy_search(request: HttpRequest) -> HttpResponse:
    """Search the BnF (or the configured SRU service) and import a record in one click."""
    require(request.user, Action.MANAGE)
    kind = request.GET.get("type", "isbn")
    value = request.GET.get("q", "").strip()
    found, error = [], None
    if value:
        try:
            found = sru.search(kind, value)
        except sru.SruError as exc:
            error = str(exc)
    return render(
        request,
        "catalogue/copy_search.html",
        {
            "kind": kind,
            "value": value,
            "found": found,
            "error": error,
            "kinds": [
                ("isbn", _("ISBN")),
                ("title", _("Title")),
                ("author", _("Author")),
                ("anywhere", _("Anywhere")),
            ],
            "searched": bool(value),
        },
    )


@staff_required
@require_POST
def copy_import(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE)
    library = current_library(request)
    if library is None:
        messages.error(request, _("Choose the library you work at first."))
        return redirect("catalogue:copy_search")
    kind, value = request.POST.get("type", ""), request.POST.get("q", "")
    try:
        position = int(request.POST.get("position", ""))
        response = sru.fetch(sru.cql(kind, value))
        chosen = sru.candidates(response)[position]
    except (ValueError, IndexError, sru.SruError) as exc:
        messages.error(
            request,
            str(exc)
            if isinstance(exc, sru.SruError)
            else _("This result is no longer offered by the service."),
        )
        return redirect("catalogue:copy_search")
    record, report = import_candidate(chosen, library, request.user)
    if record is None:
        messages.error(request, _("The record could not be imported: see the report."))
        return redirect("catalogue:import_report", pk=report.batch_id)
    if report.created:
        messages.success(request, _("Record imported. Add the items of your library."))
    else:
        messages.info(request, _("This record was already in the catalogue."))
    return redirect("catalogue:record", pk=record.pk)


@staff_required
def search_page(request: HttpRequest) -> HttpResponse:
    """The network catalogue for staff: one box, facets, sorts; a barcode goes to its item."""
    q = request.GET.get("q", "").strip()
    if q and (item := Item.objects.filter(barcode=q).only("barcode").first()):
        return redirect("catalogue:item", barcode=item.barcode)
    filtered = any(
        k in request.GET
        for k in ("library", "item_type", "audience", "language", "year", "available")
    )
    found = staff_search(request.GET) if q or filtered else None
    pages = {}
    if found:
        for name, page in (("prev", found.result.page - 1), ("next", found.result.page + 1)):
            if 1 <= page <= found.result.pages:
                params = request.GET.copy()
                params["page"] = str(page)
                pages[name] = "?" + params.urlencode()
    return render(
        request,
        "catalogue/search.html",
        {
            "q": q,
            "found": found,
            "pages": pages,
            "sorts": [
                ("relevance", _("relevance")),
                ("title", _("title")),
                ("author", _("author")),
                ("year", _("year")),
                ("new", _("newest")),
            ],
            "sort": request.GET.get("sort", "relevance"),
            "can_manage": can(request.user, Action.MANAGE),
        },
    )


@staff_required
def source_codes(request: HttpRequest) -> HttpResponse:
    """The operator's table: a source system's codes (995/952) → our libraries, types, statuses."""
    require(request.user, Action.VIEW)
    error = None
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                mapping = get_object_or_404(SourceCode, pk=request.POST["delete"])
                services.delete_source_code(request.user, mapping)
                messages.success(request, _("Mapping removed."))
            else:
                services.save_source_code(
                    request.user,
                    request.POST.get("kind", ""),
                    request.POST.get("code", ""),
                    request.POST.get("target", ""),
                )
                messages.success(request, _("Mapping saved: the next imports use it."))
                return redirect("catalogue:source_codes")
        except services.CatalogueError as exc:
            error = exc.message
    return render(
        request,
        "catalogue/source_codes.html",
        {
            "mappings": SourceCode.objects.order_by("kind", "code"),
            "kinds": SourceCode.Kind.choices,
            "error": error,
            "posted": request.POST,
            "can_administer": can(request.user, Action.ADMINISTER),
            "targets": {
                "library": list(Library.objects.values_list("code", "name")),
                "item_type": list(ItemType.objects.values_list("code", "name")),
                "collection": list(Collection.objects.values_list("code", "name")),
                "status": list(ItemStatus.choices),
            },
        },
        status=400 if error else 200,
    )


@staff_required
def type_settings(request: HttpRequest) -> HttpResponse:
    """Item types and collections on one page: read by all the staff, changed by a
    coordinator."""
    require(request.user, Action.VIEW)
    # One grouped count per column of items rather than a join per row.
    items = Item.objects.order_by()
    by_type = dict(items.values_list("item_type").annotate(n=Count("pk")))
    by_collection = dict(items.values_list("collection").annotate(n=Count("pk")))
    item_types = list(ItemType.objects.order_by("name"))
    for item_type in item_types:
        item_type.item_count = by_type.get(item_type.pk, 0)  # type: ignore[attr-defined]
    collections = list(Collection.objects.order_by("name"))
    for collection in collections:
        collection.item_count = by_collection.get(collection.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "catalogue/type_settings.html",
        {
            "item_types": item_types,
            "collections": collections,
            "can_administer": can(request.user, Action.ADMINISTER),
        },
    )


@staff_required
def item_type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item_type = get_object_or_404(ItemType, pk=pk) if pk else None
    return _setting_edit(
        request,
        item_type,
        ItemTypeForm,
        services.save_item_type,
        {
            "kind": "item_type",
            "saved": _("Item type %(name)s saved."),
        },
        uses_of=lambda found: services.item_type_uses(found, deleting=True),
    )


@staff_required
def collection_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk) if pk else None
    return _setting_edit(
        request,
        collection,
        CollectionForm,
        services.save_collection,
        {
            "kind": "collection",
            "saved": _("Collection %(name)s saved."),
        },
        uses_of=services.collection_uses,
    )


def _setting_edit(
    request: HttpRequest,
    setting: ItemType | Collection | None,
    form_class: type[ModelForm],
    save: Callable,
    context: dict,
    *,
    uses_of: Callable[[Any], list[str]],  # takes the setting's own type
) -> HttpResponse:
    require(request.user, Action.ADMINISTER)
    # The heading names the setting as saved; the form may carry a name being typed.
    heading = setting.name if setting else ""
    form = form_class(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(request.user, form.instance)
        except services.CatalogueError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, context["saved"] % {"name": saved.name})
            return redirect("catalogue:types")
    # What uses it, said up front: the delete button is offered only when nothing does. Read
    # from the saved row: the form has copied what was typed onto `setting`.
    uses = uses_of(type(setting).objects.get(pk=setting.pk)) if setting else []
    return render(
        request,
        "catalogue/type_form.html",
        {
            **context,
            "form": form,
            "setting": setting,
            "heading": heading,
            "uses": uses,
        },
    )


@staff_required
@require_POST
def item_type_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item_type = get_object_or_404(ItemType, pk=pk)
    try:
        services.delete_item_type(request.user, item_type)
    except services.CatalogueError as error:
        messages.error(request, error.message)
        return redirect("catalogue:item_type_edit", pk=pk)
    messages.success(request, _("Item type %(name)s deleted.") % {"name": item_type.name})
    return redirect("catalogue:types")


@staff_required
@require_POST
def collection_delete(request: HttpRequest, pk: int) -> HttpResponse:
    collection = get_object_or_404(Collection, pk=pk)
    try:
        services.delete_collection(request.user, collection)
    except services.CatalogueError as error:
        messages.error(request, error.message)
        return redirect("catalogue:collection_edit", pk=pk)
    messages.success(request, _("Collection %(name)s deleted.") % {"name": collection.name})
    return redirect("catalogue:types")
