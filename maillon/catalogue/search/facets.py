"""Facet values and labels: the entry columns facets read, and turning the matches' rows into
[(value, label, count)] lists (counted in Python: a few thousand rows at most, see engine)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue.models import Audience, ItemType
from maillon.network.models import Library

from .types import YEAR_BUCKETS, FacetValue

LANGUAGES = {
    "fre": gettext_lazy("French"),
    "eng": gettext_lazy("English"),
    "ger": gettext_lazy("German"),
    "spa": gettext_lazy("Spanish"),
    "ita": gettext_lazy("Italian"),
    "por": gettext_lazy("Portuguese"),
    "ara": gettext_lazy("Arabic"),
    "bre": gettext_lazy("Breton"),
    "oci": gettext_lazy("Occitan"),
    "baq": gettext_lazy("Basque"),
    "cat": gettext_lazy("Catalan"),
    "dut": gettext_lazy("Dutch"),
    "chi": gettext_lazy("Chinese"),
    "jpn": gettext_lazy("Japanese"),
    "rus": gettext_lazy("Russian"),
    "lat": gettext_lazy("Latin"),
    "mul": gettext_lazy("several languages"),
    "und": gettext_lazy("undetermined"),
}


MAX_BIT_ID = 63  # ids 1…63 have a bit in SearchEntry.*_bits (a signed 64-bit integer)
BIT_COLUMNS = "e.audience, e.language, e.year, e.available, e.library_bits, e.type_bits"
TEXT_COLUMNS = "e.audience, e.language, e.year, e.available, e.libraries, e.item_types"


@dataclass
class Network:
    """The libraries and item types a search names and labels: id → (code, name)."""

    libraries: dict[int, tuple[str, str]]
    types: dict[int, tuple[str, str]]

    @cached_property
    def bits(self) -> bool:
        """Every library and item type has its bit: facets and filters use the bit sets."""
        return max([0, *self.libraries, *self.types]) <= MAX_BIT_ID

    @staticmethod
    def has_bits(ids: Iterable[int]) -> bool:
        return all(0 < pk <= MAX_BIT_ID for pk in ids)

    def library_ids(self, codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [pk for pk, (code, _name) in self.libraries.items() if code in wanted]

    def type_ids(self, codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [pk for pk, (code, _name) in self.types.items() if code in wanted]


def network() -> Network:
    return Network(
        {pk: (code, name) for pk, code, name in Library.objects.values_list("id", "code", "name")},
        {pk: (code, name) for pk, code, name in ItemType.objects.values_list("id", "code", "name")},
    )


def facet_columns(known: Network) -> str:
    """The entry columns a facet count reads, in the order tally() expects."""
    return BIT_COLUMNS if known.bits else TEXT_COLUMNS


@lru_cache(maxsize=4096)
def _bit_ids(value: int) -> tuple[int, ...]:
    ids, position = [], 1
    while value:
        if value & 1:
            ids.append(position)
        value >>= 1
        position += 1
    return tuple(ids)


def _ids(value: int | str) -> tuple[int, ...]:
    if isinstance(value, str):
        return tuple(int(pk) for pk in value.split())
    return _bit_ids(value)


def _bucket(year: int | None) -> str:
    if year is None:
        return ""
    for name, first, last, _label in YEAR_BUCKETS:
        if (first is None or year >= first) and (last is None or year <= last):
            return name
    return ""


def _ordered(counter: Counter, labels: dict[str, str]) -> list[FacetValue]:
    values = [
        FacetValue(value, labels.get(value, value), count)
        for value, count in counter.items()
        if value and count > 0
    ]
    return sorted(values, key=lambda v: (-v.count, v.label))


def tally(rows: Iterable[tuple], known: Network, scale: float = 1.0) -> dict[str, list[FacetValue]]:
    """Facet lists from (audience, language, year, available, libraries, item types) rows,
    the last two bit sets or " 3 17 " id lists (see facet_columns)."""
    # Counted a column at a time by Counter (C speed); bit sets repeat a lot (one copy at
    # the same big library…), so each distinct one is expanded to its ids once.
    columns = list(zip(*rows, strict=True)) or [()] * 6
    audiences, languages, years, available, libraries, item_types = columns
    counters: dict[str, Counter] = {
        "audience": Counter(audiences),
        "language": Counter(languages),
        "year": Counter(),
        "available": Counter("1" for a in available if a),
        "library": Counter(),
        "item_type": Counter(),
    }
    for year, n in Counter(years).items():
        counters["year"][_bucket(year)] += n
    for name, values in (("library", libraries), ("item_type", item_types)):
        counter = counters[name]
        for value, n in Counter(values).items():
            for pk in _ids(value):
                counter[pk] += n
    if scale != 1.0:
        for counter in counters.values():
            for key in counter:
                counter[key] = max(1, round(counter[key] * scale))

    def by_code(counter: Counter, names: dict[int, tuple[str, str]]) -> list[FacetValue]:
        renamed: Counter = Counter()
        labels = {}
        for pk, count in counter.items():
            code, name = names.get(pk, (str(pk), str(pk)))
            renamed[code] += count
            labels[code] = name
        return _ordered(renamed, labels)

    year_list = [
        FacetValue(name, str(label), counters["year"][name])
        for name, _f, _l, label in YEAR_BUCKETS
        if counters["year"][name]
    ]
    return {
        "library": by_code(counters["library"], known.libraries),
        "item_type": by_code(counters["item_type"], known.types),
        "audience": _ordered(counters["audience"], {k: str(v) for k, v in Audience.choices}),
        "language": _ordered(counters["language"], {k: str(v) for k, v in LANGUAGES.items()}),
        "year": year_list,
        "available": _ordered(counters["available"], {"1": _("available now")}),
    }


def empty_facets() -> dict[str, list[FacetValue]]:
    return {
        name: [] for name in ("library", "item_type", "audience", "language", "year", "available")
    }
