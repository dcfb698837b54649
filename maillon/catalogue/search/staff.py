"""For the staff catalogue page: one call from a view, and an optional facets block.

from maillon.catalogue.search.staff import staff_search
def catalogue_search(request):
    found = staff_search(request.GET)
    return render(request, "catalogue/search.html", {"found": found})
# in the template: {{ found.facets_html }}, {{ found.result.total }}, found.result.hits…
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.http import QueryDict
from django.template import Context, Engine, Template
from django.utils.safestring import SafeString

from .engine import search
from .params import ParameterError, search_query
from .types import SearchQuery, SearchResult

# Facet name → query-string parameter that filters on it.
PARAMETER = {
    "library": "library",
    "item_type": "item_type",
    "collection": "collection",
    "audience": "audience",
    "language": "language",
    "year": "year",
    "available": "available",
}


@dataclass
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # the query string with this value toggled, page reset


@dataclass
class StaffSearch:
    query: SearchQuery
    result: SearchResult
    error: str = ""  # a bad parameter was ignored; tell the user why
    links: dict[str, list[FacetLink]] = field(default_factory=dict)

    @property
    def facets_html(self) -> SafeString:
        return SafeString(_facets_template().render(Context({"found": self})))


@cache
def _facets_template() -> Template:
    path = Path(__file__).with_name("templates") / "search_facets.html"
    return Engine.get_default().from_string(path.read_text(encoding="utf-8"))


def _toggle(params: QueryDict, name: str, value: str) -> str:
    changed = params.copy()
    current = [v for raw in changed.getlist(name) for v in raw.split(",") if v]
    changed.setlist(
        name, [v for v in current if v != value] if value in current else [*current, value]
    )
    changed.pop("page", None)
    return "?" + changed.urlencode()


def staff_search(params: QueryDict, per_page: int = 20) -> StaffSearch:
    """Search from a query string; a bad parameter is dropped with a message, never a 500."""
    error = ""
    try:
        query = search_query(params)
    except ParameterError as problem:
        query, error = SearchQuery(q=params.get("q", "")[:1000]), problem.message
    if "per_page" not in params:
        query.per_page = per_page
    result = search(query)
    links = {}
    for name, values in result.facets.items():
        parameter = PARAMETER[name]
        chosen = {v for raw in params.getlist(parameter) for v in raw.split(",") if v}
        links[name] = [
            FacetLink(
                v.value, v.label, v.count, v.value in chosen, _toggle(params, parameter, v.value)
            )
            for v in values
        ]
    return StaffSearch(query=query, result=result, error=error, links=links)
