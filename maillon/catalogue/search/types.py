"""What a search asks and what it answers; shared by both database backends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _

Sort = Literal["relevance", "title", "author", "year", "new"]
SORTS: tuple[str, ...] = ("relevance", "title", "author", "year", "new")

# Named publication-year ranges: (name, first year or None, last year or None, label).
YEAR_BUCKETS: tuple[tuple[str, int | None, int | None, object], ...] = (
    ("-1949", None, 1949, _("before 1950")),
    ("1950-1999", 1950, 1999, _("1950–1999")),
    ("2000-2009", 2000, 2009, _("2000–2009")),
    ("2010-2019", 2010, 2019, _("2010–2019")),
    ("2020-", 2020, None, _("2020 and after")),
)
FACET_NAMES: tuple[str, ...] = (
    "library",
    "item_type",
    "collection",
    "audience",
    "language",
    "year",
    "available",
)
MAX_PER_PAGE = 100


@dataclass
class SearchQuery:
    q: str = ""
    libraries: list[str] = field(default_factory=list)  # library codes holding a copy
    item_types: list[str] = field(default_factory=list)  # item type codes
    collections: list[str] = field(default_factory=list)  # local-specific collection codes
    audiences: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    years: list[str] = field(default_factory=list)  # names from YEAR_BUCKETS
    available_now: bool = False  # at one of `libraries` when given, else anywhere
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True


@dataclass
class Hit:
    id: int
    title: str
    subtitle: str
    authors: list[str]
    year: int | None
    doc_type: str
    isbn: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int

    def __iter__(self):  # lets callers unpack (value, label, count)
        return iter((self.value, self.label, self.count))


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    page: int
    per_page: int
    # True when the total or the facet counts are estimates (very common words): show "about".
    approximate: bool = False
    # Nothing was typed: the whole catalogue (with the filters) matched.
    browse: bool = False
    # When approximate, only the sampled matches can be paged through.
    reachable: int | None = None
    # Words were typed, all of them too common to search ("le", "les de la"): say so.
    only_stop_words: bool = False

    @property
    def ids(self) -> list[int]:
        return [hit.id for hit in self.hits]

    @property
    def pages(self) -> int:
        count = self.total if self.reachable is None else min(self.total, self.reachable)
        return max(1, -(-count // self.per_page))
