"""The public catalogue: search, record pages, new arrivals, the libraries. No login, read only.

Views stay thin: search is the catalogue's, copies and hours come from availability.py and
network.py. The patron's side is apart: login_views.py, hold_views.py, account_views.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue.models import Collection, Record, SearchEntry
from maillon.catalogue.search.facets import LANGUAGES, LOCAL_KINDS
from maillon.catalogue.search.staff import staff_search
from maillon.network.models import Library
from maillon.programme.agenda import public_sessions

from . import network
from .arrivals import new_arrivals
from .availability import holdings

FILTERS = ("library", "item_type", "collection", "audience", "language", "year", "available")
LAST_PAGE = 500  # the search engine's deepest page
SORTS = (
    ("relevance", gettext_lazy("relevance")),
    ("title", gettext_lazy("title")),
    ("author", gettext_lazy("author")),
    ("year", gettext_lazy("year")),
    ("new", gettext_lazy("newest")),
)
MAX_RECORD_ID = 2**31 - 1
COMING = 4  # events to come on the home page and a library's page


def _render(request: HttpRequest, template: str, context: dict, status: int = 200):
    context.setdefault("network_name", network.network_name())
    return render(request, f"opac/{template}", context, status=status)


def not_found(request: HttpRequest, message: str = "") -> HttpResponse:
    return _render(request, "not_found.html", {"message": message}, status=404)


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    libraries = network.ordered(network.public_libraries(today))
    return _render(
        request,
        "home.html",
        {
            "arrivals": new_arrivals(limit=12),
            "coming": list(public_sessions()[:COMING]),
            "today": today,
            "libraries": [
                (lib, network.today_spans(lib, today), network.closed_today(lib, today))
                for lib in libraries
            ],
        },
    )


def _sort_labels() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in SORTS]


def _page_url(params: QueryDict, page: int) -> str:
    changed = params.copy()
    changed["page"] = str(page)
    return "?" + changed.urlencode()


def search_page(request: HttpRequest) -> HttpResponse:
    """Same parameters as the API's search; a bad one is dropped with a message, never a 500."""
    params = request.GET.copy()
    q = params.get("q", "").strip()
    notices: list[str] = []
    raw_page = (params.pop("page", None) or [""])[-1].strip()
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() else 0
    if raw_page and page < 1:
        notices.append(
            _("“%(page)s” is not a page number: here is the first page.") % {"page": raw_page[:20]}
        )
    if page > 1:
        params["page"] = str(min(page, LAST_PAGE))
    filtered = any(params.get(name) for name in FILTERS)
    context = {
        "q": q,
        "sorts": _sort_labels(),
        "sort": params.get("sort") or "relevance",
        "hidden": [(k, v) for k in FILTERS for v in params.getlist(k) if v],
    }
    if not q and not filtered:
        return _render(request, "search.html", {**context, "prompt": True})

    found = staff_search(params)
    last = found.result.pages
    if found.result.total and page > last:
        notices.append(
            _("There is no page %(page)d: the results end at page %(last)d.")
            % {"page": page, "last": last}
        )
        if found.result.page != last:
            params["page"] = str(last)
            found = staff_search(params)
    result = found.result
    pages = {
        name: _page_url(params, page)
        for name, page in (("prev", result.page - 1), ("next", result.page + 1))
        if 1 <= page <= result.pages
    }
    if result.pages > 1 and result.page > 2:
        pages["first"] = _page_url(params, 1)
    entries = dict(
        SearchEntry.objects.filter(record_id__in=result.ids).values_list("record_id", "available")
    )
    hits = [(hit, entries.get(hit.id)) for hit in result.hits]
    return _render(
        request,
        "search.html",
        {
            **context,
            "found": found,
            "result": result,
            "hits": hits,
            "pages": pages,
            "first_number": (result.page - 1) * result.per_page + 1,
            "notices": notices,
            "error": found.error,
            "hidden": [] if found.error else context["hidden"],
            "nothing_searchable": bool(q)
            and not result.total
            and not filtered
            and not any(ch.isalnum() for ch in q),
        },
    )


def _search_url(q: str, **extra: str) -> str:
    return reverse("opac:search") + "?" + urlencode({"q": q, **extra})


def _phrase(text: str) -> str:
    return '"' + text.replace('"', " ").strip() + '"'


def other_editions(record: Record, limit: int = 10) -> list[Record]:
    """Records with the same title and first author (the match key before the year)."""
    if not record.sort_title or "|" not in record.match_key:
        return []
    prefix = record.match_key.rsplit("|", 1)[0] + "|"
    return list(
        Record.objects.defer("marc")
        .filter(sort_title=record.sort_title, match_key__startswith=prefix, merged_into=None)
        .exclude(pk=record.pk)
        .order_by("-year", "pk")[:limit]
    )


def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    record = Record.objects.defer("marc").filter(pk=pk).first() if pk <= MAX_RECORD_ID else None
    hops = 0
    while record is not None and record.merged_into_id and hops < 10:
        record = Record.objects.defer("marc").filter(pk=record.merged_into_id).first()
        hops += 1
    if record is None or record.merged_into_id:
        return not_found(
            request,
            _("No record has the number %(pk)s. It may have been removed from the catalogue.")
            % {"pk": pk},
        )
    if record.pk != pk:
        return redirect("opac:record", pk=record.pk, permanent=True)
    authors = [
        {**a, "search": _search_url(_phrase(a["name"]), sort="year")}
        for a in record.authors
        if a.get("name")
    ]
    series = [
        {**s, "search": _search_url(_phrase(s["title"]), sort="title")}
        for s in record.series
        if s.get("title")
    ]
    subjects = [
        {"name": subject, "search": _search_url(_phrase(subject.split(" -- ")[0]))}
        for subject in record.subjects
        if subject.strip()
    ]
    return _render(
        request,
        "record.html",
        {
            "record": record,
            "authors": authors,
            "series": series,
            "subjects": subjects,
            "language": LANGUAGES.get(record.language, record.language),
            "holdings": holdings(record),
            "editions": other_editions(record),
        },
    )


def new_arrivals_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("bibliotheque", "").strip()
    libraries = list(Library.objects.filter(is_active=True).order_by("name"))
    library = next((lib for lib in libraries if lib.code == code), None)
    message = ""
    if code and library is None:
        message = _(
            "No library has the code “%(code)s”: here are the arrivals of the whole network."
        ) % {"code": code[:20]}
    return _render(
        request,
        "new.html",
        {
            "arrivals": new_arrivals(library, limit=48),
            "library": library,
            "libraries": libraries,
            "message": message,
        },
    )


def library_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    libraries = network.ordered(network.public_libraries(today))
    return _render(
        request,
        "libraries.html",
        {
            "today": today,
            "libraries": [
                (lib, network.today_spans(lib, today), network.closed_today(lib, today))
                for lib in libraries
            ],
        },
    )


def library_page(request: HttpRequest, code: str) -> HttpResponse:
    today = timezone.localdate()
    library = network.public_libraries(today).filter(code=code).first()
    if library is None:
        return not_found(
            request, _("No library of the network has the code “%(code)s”.") % {"code": code[:20]}
        )
    return _render(
        request,
        "library.html",
        {
            "library": library,
            "today": today,
            "week": network.week(library, today),
            "closures": network.closures_to_come(library),
            "closure": network.closed_today(library, today),
            "spans": network.today_spans(library, today),
            "map_url": network.map_url(library),
            "next_shuttle": network.next_shuttle_day(library, today),
            "arrivals": new_arrivals(library, limit=6),
            "coming": list(public_sessions(library=library.code)[:COMING]),
            "local_collections": Collection.objects.filter(
                library=library, kind__in=LOCAL_KINDS
            ).order_by("name"),
        },
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """For `handler404`: the public style outside the staff side, the staff page under /pro/."""
    if request.path.startswith(("/pro/", "/admin/")):
        return render(request, "404.html", status=404)
    return not_found(request)
