"""Facet values and labels: the SQL expression of each facet, and turning counted groups into
[(value, label, count)] lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue.models import Audience, ItemType
from maillon.network.models import Library

from .types import YEAR_BUCKETS, FacetValue

LANGUAGES = {
    "fre": gettext_lazy("French"), "eng": gettext_lazy("English"),
    "ger": gettext_lazy("German"), "spa": gettext_lazy("Spanish"),
    "ita": gettext_lazy("Italian"), "por": gettext_lazy("Portuguese"),
    "ara": gettext_lazy("Arabic"), "bre": gettext_lazy("Breton"),
    "oci": gettext_lazy("Occitan"), "baq": gettext_lazy("Basque"),
    "cat": gettext_lazy("Catalan"), "dut": gettext_lazy("Dutch"),
    "chi": gettext_lazy("Chinese"), "jpn": gettext_lazy("Japanese"),
    "rus": gettext_lazy("Russian"), "lat": gettext_lazy("Latin"),
    "mul": gettext_lazy("several languages"), "und": gettext_lazy("undetermined"),
}


def year_bucket_sql() -> str:
    cases = []
    for name, first, last, _label in YEAR_BUCKETS:
        if first is None:
            cases.append(f"WHEN e.year <= {last} THEN '{name}'")
        elif last is None:
            cases.append(f"WHEN e.year >= {first} THEN '{name}'")
        else:
            cases.append(f"WHEN e.year BETWEEN {first} AND {last} THEN '{name}'")
    return f"CASE WHEN e.year IS NULL THEN '' {' '.join(cases)} END"


# One GROUP BY over these columns gives every facet; Python adds up the margins.
GROUP_COLUMNS = ("e.audience", "e.language", year_bucket_sql(), "e.available", "e.item_types",
                 "e.libraries")


def _ordered(counter: Counter, labels: dict[str, str]) -> list[FacetValue]:
    values = [FacetValue(value, labels.get(value, value), count)
              for value, count in counter.items() if value and count > 0]
    return sorted(values, key=lambda v: (-v.count, v.label))


def tally(groups: Iterable[tuple], scale: float = 1.0) -> dict[str, list[FacetValue]]:
    """Facet lists from (audience, language, bucket, available, item_types, libraries, n) rows."""
    counters: dict[str, Counter] = {name: Counter() for name in
                                    ("library", "item_type", "audience", "language", "year",
                                     "available")}
    for audience, language, bucket, available, item_types, libraries, n in groups:
        counters["audience"][audience] += n
        counters["language"][language] += n
        counters["year"][bucket] += n
        if available:
            counters["available"]["1"] += n
        for type_id in item_types.split():
            counters["item_type"][type_id] += n
        for library_id in libraries.split():
            counters["library"][library_id] += n
    if scale != 1.0:
        for counter in counters.values():
            for key in counter:
                counter[key] = max(1, round(counter[key] * scale))

    libraries = {str(pk): (code, name) for pk, code, name in
                 Library.objects.values_list("id", "code", "name")}
    types = {str(pk): (code, name) for pk, code, name in
             ItemType.objects.values_list("id", "code", "name")}

    def by_code(counter: Counter, known: dict[str, tuple[str, str]]) -> list[FacetValue]:
        renamed: Counter = Counter()
        labels = {}
        for pk, count in counter.items():
            code, name = known.get(pk, (pk, pk))
            renamed[code] += count
            labels[code] = name
        return _ordered(renamed, labels)

    year_order = [name for name, *_rest in YEAR_BUCKETS]
    years = [FacetValue(name, str(label), counters["year"][name])
             for name, _f, _l, label in YEAR_BUCKETS if counters["year"][name]]
    years.sort(key=lambda v: year_order.index(v.value))
    return {
        "library": by_code(counters["library"], libraries),
        "item_type": by_code(counters["item_type"], types),
        "audience": _ordered(counters["audience"],
                             {k: str(v) for k, v in Audience.choices}),
        "language": _ordered(counters["language"], {k: str(v) for k, v in LANGUAGES.items()}),
        "year": years,
        "available": _ordered(counters["available"], {"1": _("available now")}),
    }


def empty_facets() -> dict[str, list[FacetValue]]:
    return {name: [] for name in ("library", "item_type", "audience", "language", "year",
                                  "available")}
