"""Full-text search over the union catalogue, with facets; SQLite FTS5 or PostgreSQL.

from maillon.catalogue.search import SearchQuery, search, index_records
result = search(SearchQuery(q="petit prince", libraries=["AAA"], sort="title"))
index_records(record_ids)   # after writing records or their items (import chunk, form…)
"""

from .engine import search
from .index import (
    holdings_read,
    index_records,
    rebuild_index,
    refresh_holdings,
    refreshes_deferred,
    remove_records,
)
from .types import (
    FACET_NAMES,
    SORTS,
    YEAR_BUCKETS,
    FacetValue,
    Hit,
    SearchQuery,
    SearchResult,
)

__all__ = [
    "FACET_NAMES",
    "SORTS",
    "YEAR_BUCKETS",
    "FacetValue",
    "Hit",
    "SearchQuery",
    "SearchResult",
    "holdings_read",
    "index_records",
    "rebuild_index",
    "refresh_holdings",
    "refreshes_deferred",
    "remove_records",
    "search",
]
