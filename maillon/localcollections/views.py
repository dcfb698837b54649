from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from maillon.catalogue.models import Collection, Item
from maillon.catalogue.search import SearchQuery, search
from maillon.core.decorators import staff_required
from maillon.localcollections import services
from maillon.localcollections.forms import THEMES, LocalCollectionForm
from maillon.network.current import current_library
from maillon.network.models import Library
from maillon.network.permissions import Action, can, libraries_for, require


@staff_required
def collection_list(request: HttpRequest) -> HttpResponse:
    mine = libraries_for(request.user, Action.MANAGE)
    here = current_library(request)
    library = here if here is not None and mine.filter(pk=here.pk).exists() else mine.first()
    if request.GET.get("bibliotheque"):
        library = get_object_or_404(Library, code=request.GET["bibliotheque"])
    form = LocalCollectionForm(request.POST or None)
    if request.method == "POST" and library is not None and form.is_valid():
        try:
            collection = services.save(request.user, library, **form.cleaned_data)
        except services.LocalCollectionError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("localcollections:detail", pk=collection.pk)
    collections = (
        Collection.objects.filter(kind__in=services.KINDS, library__isnull=False)
        .select_related("library")
        .order_by("library__name", "name")
    )
    return render(
        request,
        "localcollections/list.html",
        {
            "collections": collections,
            "form": form
            if library is not None and can(request.user, Action.MANAGE, library)
            else None,
            "library": library,
            "themes": THEMES,
        },
    )


def _library_of(collection: Collection) -> Library:
    if collection.library is None:  # _collection only finds a library's collections
        raise Http404
    return collection.library


def _collection(request: HttpRequest, pk: int) -> Collection:
    collection = get_object_or_404(
        Collection.objects.select_related("library"),
        pk=pk,
        kind__in=services.KINDS,
        library__isnull=False,
    )
    require(request.user, Action.VIEW, collection.library)
    return collection


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    collection = _collection(request, pk)
    items = (
        Item.objects.filter(collection=collection)
        .select_related("record")
        .order_by("call_number", "barcode")
    )
    found = None
    q = request.GET.get("q", "").strip()
    if q:
        library = _library_of(collection)
        hits = search(SearchQuery(q=q, libraries=[library.code], per_page=50, facets=False)).hits
        copies: dict[int, list[str]] = {}
        for item in Item.objects.filter(home=library, record_id__in=[h.id for h in hits]).exclude(
            collection=collection
        ):
            copies.setdefault(item.record_id, []).append(item.barcode)
        found = [(hit, copies.get(hit.id, [])) for hit in hits]
    return render(
        request,
        "localcollections/detail.html",
        {
            "collection": collection,
            "page": Paginator(items, 100).get_page(request.GET.get("page")),
            "may_manage": can(request.user, Action.MANAGE, collection.library),
            "q": q,
            "found": found,
        },
    )


@staff_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    collection = _collection(request, pk)
    require(request.user, Action.MANAGE, collection.library)
    form = LocalCollectionForm(
        request.POST or None,
        initial={
            "name": collection.name,
            "kind": collection.kind,
            "theme": collection.theme,
            "description": collection.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save(
                request.user, _library_of(collection), collection=collection, **form.cleaned_data
            )
        except services.LocalCollectionError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Collection saved."))
            return redirect("localcollections:detail", pk=collection.pk)
    return render(
        request,
        "localcollections/edit.html",
        {"collection": collection, "form": form, "themes": THEMES},
    )


@staff_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """Tag by scan (barcode), by call-number range (start, end) or from a search (records)."""
    collection = _collection(request, pk)
    try:
        if request.POST.get("barcode") is not None:
            ids = [services.by_barcode(collection, request.POST["barcode"]).pk]
        elif request.POST.get("start") is not None:
            ids = services.by_call_numbers(
                collection, request.POST["start"], request.POST.get("end", "")
            )
        else:
            records = [int(r) for r in request.POST.getlist("record") if r.isdigit()]
            ids = services.by_records(collection, records)
        done = services.tag(request.user, collection, ids)
    except services.LocalCollectionError as error:
        messages.error(request, error.message)
        return redirect("localcollections:detail", pk=collection.pk)
    if done.added:
        messages.success(
            request,
            ngettext(
                "%(count)d item put in the collection.",
                "%(count)d items put in the collection.",
                len(done.added),
            )
            % {"count": len(done.added)},
        )
    elif not done.refused:
        messages.warning(request, _("No item of the library matches."))
    for reason in done.refused[:20]:
        messages.error(request, reason)
    return redirect("localcollections:detail", pk=collection.pk)


@staff_required
@require_POST
def remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    collection = _collection(request, pk)
    services.untag(request.user, collection, get_object_or_404(Item, pk=item_pk))
    return redirect("localcollections:detail", pk=collection.pk)
