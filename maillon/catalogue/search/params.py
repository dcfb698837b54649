"""Reading a query string (API, staff page) into a SearchQuery, or an error saying why not."""

from __future__ import annotations

import re

from django.http import QueryDict
from django.utils.translation import gettext as _

from maillon.catalogue.models import Audience, Collection, ItemType
from maillon.network.models import Library

from .types import MAX_PER_PAGE, SORTS, YEAR_BUCKETS, SearchQuery

LANGUAGE = re.compile(r"^[a-z]{3}$")
YEAR_RANGE = re.compile(r"^(\d{1,4})?-(\d{1,4})?$")
TRUE, FALSE = {"1", "true", "yes", "oui"}, {"0", "false", "no", "non", ""}


class ParameterError(ValueError):
    """A bad search parameter: `code` is stable for programs, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _values(params: QueryDict, name: str) -> list[str]:
    """`?library=A&library=B` or `?library=A,B`."""
    return [v.strip() for raw in params.getlist(name) for v in raw.split(",") if v.strip()]


def _int(params: QueryDict, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ParameterError(
            f"invalid_{name}",
            _("“%(name)s” must be a whole number from %(low)d to %(high)d.")
            % {"name": name, "low": low, "high": high},
        )
    return int(raw)


def search_query(params: QueryDict) -> SearchQuery:
    query = SearchQuery(q=params.get("q", "")[:1000])
    query.page = _int(params, "page", 1, 1, 500)
    query.per_page = _int(params, "per_page", 20, 1, MAX_PER_PAGE)
    query.sort = params.get("sort", "relevance") or "relevance"
    if query.sort not in SORTS:
        raise ParameterError("invalid_sort", _("Unknown sort; use one of: %s.") % ", ".join(SORTS))

    query.libraries = _values(params, "library")
    unknown = set(query.libraries) - set(
        Library.objects.filter(code__in=query.libraries).values_list("code", flat=True)
    )
    if unknown:
        raise ParameterError(
            "unknown_library", _("Unknown library code: %s.") % ", ".join(sorted(unknown))
        )
    query.item_types = _values(params, "item_type")
    unknown = set(query.item_types) - set(
        ItemType.objects.filter(code__in=query.item_types).values_list("code", flat=True)
    )
    if unknown:
        raise ParameterError(
            "unknown_item_type", _("Unknown item type code: %s.") % ", ".join(sorted(unknown))
        )
    query.collections = _values(params, "collection")
    unknown = set(query.collections) - set(
        Collection.objects.filter(code__in=query.collections).values_list("code", flat=True)
    )
    if unknown:
        raise ParameterError(
            "unknown_collection", _("Unknown collection code: %s.") % ", ".join(sorted(unknown))
        )
    query.audiences = _values(params, "audience")
    if set(query.audiences) - set(Audience.values):
        raise ParameterError(
            "invalid_audience", _("Unknown audience; use one of: %s.") % ", ".join(Audience.values)
        )
    query.languages = _values(params, "language")
    if not all(LANGUAGE.match(code) for code in query.languages):
        raise ParameterError(
            "invalid_language", _("A language is a three-letter code such as “fre”.")
        )
    buckets = {name for name, *_rest in YEAR_BUCKETS}
    for value in _values(params, "year"):
        if value in buckets:
            query.years.append(value)
            continue
        match = YEAR_RANGE.match(value) if value != "-" else None
        if value.isdigit() and len(value) <= 4:
            query.year_from = query.year_to = int(value)
        elif match:
            query.year_from = int(match[1]) if match[1] else None
            query.year_to = int(match[2]) if match[2] else None
        else:
            raise ParameterError(
                "invalid_year",
                _("A year is a year (“1998”), a range (“1990-1999”, “2000-”) or one of: %s.")
                % ", ".join(sorted(buckets)),
            )
    available = params.get("available", "").strip().lower()
    if available not in TRUE | FALSE:
        raise ParameterError("invalid_available", _("“available” is 1 or 0."))
    query.available_now = available in TRUE
    return query
