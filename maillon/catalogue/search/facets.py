"""Facet values and labels: the entry columns facets read, and turning the matches' rows into
[(value, label, count)] lists (counted in Python: a few thousand rows at most, see engine)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillon.catalogue.models import Audience, Collection, CollectionKind, ItemType
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


WORD_BITS = 63  # ids per bit set: a signed 64-bit integer, its sign bit unused
TYPE_WORDS = 1  # item types: ids 1…63 in SearchEntry.type_bits
# Libraries: ids 1…315 in five words, library_bits (1…63), library_bits_1 (64…126)… (and the
# same for available_bits): a departmental network of 300 libraries counts and filters on
# integers. Ids beyond fall back to the " 3 17 " id lists.
LIBRARY_WORDS = 5
COMMON_COLUMNS = "e.audience, e.language, e.year, e.available"
# Collections shown as a facet: a library's local-specific ones (local history, heritage…).
LOCAL_KINDS = (CollectionKind.LOCAL, CollectionKind.HERITAGE)


def word_columns(name: str, words: int) -> list[str]:
    """The columns of a bit set spread over `words` integers: name, name_1, name_2…"""
    return [name if k == 0 else f"{name}_{k}" for k in range(words)]


def _words(ids: Iterable[int], words: int) -> int:
    """How many of the `words` hold every id's bit (a network of 50 libraries reads one); 0
    when some id is beyond them all: the id lists serve."""
    needed = max(1, -(-max([0, *ids]) // WORD_BITS))
    return needed if needed <= words else 0


@dataclass
class Network:
    """The libraries and item types a search names and labels: id → (code, name)."""

    libraries: dict[int, tuple[str, str]]
    types: dict[int, tuple[str, str]]
    # The local-specific collections (the facet); the index lists every collection of a
    # record's items, the others are not shown.
    collections: dict[int, tuple[str, str]] = field(default_factory=dict)

    @cached_property
    def library_words(self) -> int:
        """Words of the library bit sets that facets and filters read; 0: the id lists."""
        return _words(self.libraries, LIBRARY_WORDS)

    @cached_property
    def type_words(self) -> int:
        return _words(self.types, TYPE_WORDS)

    def library_ids(self, codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [pk for pk, (code, _name) in self.libraries.items() if code in wanted]

    def type_ids(self, codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [pk for pk, (code, _name) in self.types.items() if code in wanted]

    def collection_ids(self, codes: Iterable[str]) -> list[int]:
        wanted = set(codes)
        return [pk for pk, (code, _name) in self.collections.items() if code in wanted]


def network() -> Network:
    return Network(
        {pk: (code, name) for pk, code, name in Library.objects.values_list("id", "code", "name")},
        {pk: (code, name) for pk, code, name in ItemType.objects.values_list("id", "code", "name")},
        {
            pk: (code, name)
            for pk, code, name in Collection.objects.filter(kind__in=LOCAL_KINDS).values_list(
                "id", "code", "name"
            )
        },
    )


def facet_columns(known: Network) -> str:
    """The entry columns a facet count reads, in the order tally() expects: the common ones,
    the library bit set's words (or its id list), the item types' bit set (or id list), the
    collections' id list."""
    libraries = word_columns("e.library_bits", known.library_words) or ["e.libraries"]
    types = word_columns("e.type_bits", known.type_words) or ["e.item_types"]
    return ", ".join([COMMON_COLUMNS, *libraries, *types, "e.collections"])


@lru_cache(maxsize=16384)
def _bit_ids(value: int, offset: int = 0) -> tuple[int, ...]:
    """The ids in a bit set whose bit 0 stands for id offset + 1."""
    # One step per bit set (a copy or two per word, usually), not per bit position.
    ids = []
    while value:
        lowest = value & -value
        ids.append(offset + lowest.bit_length())
        value ^= lowest
    return tuple(ids)


def _ids(value: int | str, offset: int = 0) -> tuple[int, ...]:
    """The ids in an id list, or in a bit set (see _bit_ids)."""
    if isinstance(value, str):
        return tuple(int(pk) for pk in value.split())
    return _bit_ids(value, offset)


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
    """Facet lists from (audience, language, year, available, libraries…, item types,
    collections) rows, libraries and item types as bit sets or " 3 17 " id lists (see
    facet_columns)."""
    # Counted a column at a time by Counter (C speed); bit sets repeat a lot (one copy at
    # the same big library…), so each distinct one is expanded to its ids once.
    width = 6 + max(1, known.library_words)
    columns = list(zip(*rows, strict=True)) or [()] * width
    audiences, languages, years, available = columns[:4]
    item_types, collections = columns[-2], columns[-1]
    libraries = list(zip(*columns[4:-2], strict=True))  # one tuple of words per row
    counters: dict[str, Counter] = {
        "audience": Counter(audiences),
        "language": Counter(languages),
        "year": Counter(),
        "available": Counter("1" for a in available if a),
        "library": Counter(),
        "item_type": Counter(),
        "collection": Counter(),
    }
    for year, n in Counter(years).items():
        counters["year"][_bucket(year)] += n
    # Words counted one by one: rows that differ in one word often share the others.
    for (position, word), n in Counter(
        (position, word) for words in libraries for position, word in enumerate(words) if word
    ).items():
        for pk in _ids(word, position * WORD_BITS):
            counters["library"][pk] += n
    for value, n in Counter(item_types).items():
        for pk in _ids(value):
            counters["item_type"][pk] += n
    for value, n in Counter(collections).items():
        for pk in _ids(value):
            if pk in known.collections:
                counters["collection"][pk] += n
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
        "collection": by_code(counters["collection"], known.collections),
        "audience": _ordered(counters["audience"], {k: str(v) for k, v in Audience.choices}),
        "language": _ordered(
            counters["language"], {k: capfirst(str(v)) for k, v in LANGUAGES.items()}
        ),
        "year": year_list,
        "available": _ordered(counters["available"], {"1": _("available now")}),
    }


def empty_facets() -> dict[str, list[FacetValue]]:
    return {
        name: []
        for name in (
            "library",
            "item_type",
            "collection",
            "audience",
            "language",
            "year",
            "available",
        )
    }
