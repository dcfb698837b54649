"""What /api/v1/ accepts and answers, as typed schemas: the OpenAPI document is generated from
them, and every answer is checked against them. Descriptions stay in English (developers)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StringConstraints

from maillon.catalogue.models import Audience, DocType, ItemStatus
from maillon.circulation.models import HoldStatus
from maillon.network.models import LibraryKind

# A required text: at least one character that is not a blank.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LIBRARY_HELP = (
    "Code of the library where the desk is; default: the account's first workplace. "
    "Refused (403 library_forbidden) if the account may not do circulation work there."
)

_YEAR = r"(\d{1,4}|\d{1,4}-\d{0,4}|-\d{1,4})"
YEARS = rf"^{_YEAR}(,{_YEAR})*$"
AUDIENCES = r"^(adult|youth|unknown)(,(adult|youth|unknown))*$"
SortCode = Literal["relevance", "title", "author", "year", "new"]  # search.SORTS


class ErrorBody(Schema):
    code: str = Field(description="Stable machine-readable code.")
    message: str = Field(description="For people, in French.")
    overridable: bool | None = Field(
        None, description="Circulation refusals: a librarian may force it with `override_reason`."
    )
    details: dict[str, Any] | None = None
    field: str | None = Field(None, description="The request field at fault.")


class Error(Schema):
    error: ErrorBody
    id: int | None = Field(None, description="Surviving record (record_merged).")
    url: str | None = None


# Public catalogue --------------------------------------------------------------------------


MAX_SEARCH_PAGE = 500


class SearchParams(Schema):
    """A list parameter may be repeated (`?library=A&library=B`) or comma-separated."""

    q: str = Field(
        "", description="Words (the first 1,000 characters); an empty query lists everything."
    )
    page: int = Field(1, ge=1, le=MAX_SEARCH_PAGE)
    per_page: int = Field(20, ge=1, le=100)
    sort: SortCode = "relevance"
    library: list[str] = Field([], description="Library codes: items held there.")
    item_type: list[str] = Field([], description="Item type codes.")
    audience: list[
        Annotated[
            str, StringConstraints(pattern=r"^(adult|youth|unknown)(,(adult|youth|unknown))*$")
        ]
    ] = Field([], description="adult, youth, unknown.")
    language: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{3}(,[a-z]{3})*$")]] = Field(
        [], description="Three-letter codes such as fre."
    )
    year: list[Annotated[str, StringConstraints(pattern=YEARS)]] = Field(
        [], description="A year (1998), a range (1990-1999, 2000-, -1949)."
    )
    available: bool = Field(False, description="Only records with a copy on a shelf now.")


class Hit(Schema):
    id: int
    title: str
    subtitle: str
    authors: list[str]
    year: int | None
    doc_type: DocType
    isbn: str
    url: str


class FacetValue(Schema):
    value: str
    label: str
    count: int = Field(ge=0)


class Facets(Schema):
    model_config = ConfigDict(extra="forbid")
    library: list[FacetValue]
    item_type: list[FacetValue]
    collection: list[FacetValue]
    audience: list[FacetValue]
    language: list[FacetValue]
    year: list[FacetValue]
    available: list[FacetValue]


class SearchResponse(Schema):
    total: int = Field(ge=0)
    approximate: bool = Field(
        description="True for very common words: counts are estimates from a sample; show about."
    )
    only_stop_words: bool = Field(
        description="Words were typed, all too common to search (le, la, de…): nothing was "
        "searched; ask for a more precise word."
    )
    page: int = Field(ge=1)
    per_page: int = Field(ge=1, le=100)
    pages: int = Field(ge=1)
    next: str | None = Field(description="The next page's address, if any.")
    hits: list[Hit]
    facets: Facets


class Named(Schema):
    code: str
    name: str


class Item(Schema):
    call_number: str
    status: ItemStatus
    status_label: str
    item_type: Named
    collection: str | None
    current_library: str | None = Field(description="Code, when not at its home library.")
    due_on: dt.date | None
    transfer_to: Named | None


class Holding(Schema):
    library: Named
    available: int = Field(ge=0)
    items: list[Item]


class Record(Schema):
    id: int
    title: str
    subtitle: str
    other_titles: list[str]
    authors: list[dict[str, str]]
    publisher: str
    year: int | None
    isbn: str
    language: str
    classification: str
    subjects: list[str]
    series: list[dict[str, str]]
    summary: str
    doc_type: DocType
    audience: Audience
    holdings: list[Holding]


class Library(Schema):
    code: str
    name: str
    kind: LibraryKind
    commune: str
    postcode: str
    address: str
    phone: str
    email: str
    website: str
    latitude: float | None
    longitude: float | None


class LibraryList(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    next: str | None = Field(description="The next page's address, if any.")
    libraries: list[Library]


# Circulation ---------------------------------------------------------------------------------


class Loan(Schema):
    id: int
    item: str = Field(description="Barcode.")
    title: str
    record: int
    patron: str | None = Field(description="Card number.")
    library: str = Field(description="Code of the lending library.")
    checked_out_at: dt.datetime
    due_on: dt.date
    renewals: int = Field(ge=0)
    overridden: bool


class Hold(Schema):
    id: int
    record: int
    title: str
    item: str | None = Field(description="Barcode, for a hold on one copy.")
    patron: str | None
    pickup_library: str
    status: HoldStatus
    status_label: str
    position: int | None = Field(ge=1, description="Place in the queue, while waiting.")
    created_at: dt.datetime
    ready_until: dt.date | None
    target: str | None = Field(description="Barcode of the chosen copy.")


class CheckinResult(Schema):
    action: Literal["shelve", "hold_shelf", "transfer"] = Field(
        description="What the desk must do with the item."
    )
    item: str
    destination: str = Field(description="Code of the library it goes to (this one: shelve it).")
    destination_name: str
    reason: Literal["", "hold", "return_home", "manual", "claim", "workshop"]
    message: str = Field(description="For the desk, in French.")
    hold: int | None
    transfer: int | None
    loan_closed: int | None
    patron_card: str
    patron_initials: str
    repeated: bool = Field(description="A double scan: nothing changed.")
    misrouted_from: str | None


class HoldCancellation(Schema):
    hold: Hold
    decision: CheckinResult | None = Field(description="Where the copy kept for it goes now.")


class Block(Schema):
    kind: str
    label: str
    note: str
    since: dt.datetime


class Patron(Schema):
    card: str
    surname: str
    first_name: str
    category: str
    home_library: str
    email: str
    registered_on: dt.date
    expires_on: dt.date
    status: Literal["ok", "expired", "blocked"]
    blocks: list[Block]
    loans: list[Loan]
    holds: list[Hold]


class TransferState(Schema):
    from_library: str
    to_library: str
    reason: Literal["hold", "return_home", "manual", "claim", "workshop"]
    created_at: dt.datetime
    sent_at: dt.datetime | None


class WorkshopState(Schema):
    state: str = Field(description="travelling, queued or in_batch.")
    state_label: str
    work: str = Field(description="repair or equip.")
    batch: str | None
    arrived_at: dt.datetime | None


class ItemState(Schema):
    barcode: str
    record: int
    title: str
    call_number: str
    item_type: str
    status: ItemStatus
    status_label: str
    home_library: str
    current_library: str
    due_on: dt.date | None
    transfer: TransferState | None
    local_collection: Named | None = Field(None, description="Its library's local collection.")
    lot: Named | None = Field(None, description="The lot (crate) it is in.")
    deposit: Named | None = Field(None, description="The departmental library's deposit.")
    workshop: WorkshopState | None = Field(None, description="In the workshop's hands.")


class DeskRequest(Schema):
    library: str | None = Field(None, max_length=20, description=LIBRARY_HELP)


class CheckoutRequest(DeskRequest):
    patron: Text = Field(description="Card number.")
    item: Text = Field(description="Barcode.")
    override_reason: str = Field(
        "",
        max_length=300,
        description="Force an overridable refusal (librarians only); kept on the loan.",
    )


class CheckinRequest(DeskRequest):
    item: Text = Field(description="Barcode.")


class RenewalRequest(DeskRequest):
    item: Text = Field(description="Barcode.")


class HoldRequest(DeskRequest):
    patron: Text = Field(description="Card number.")
    record: int | None = Field(None, ge=1, description="A hold on any copy of the record.")
    item: Text | None = Field(None, description="Or a hold on this copy (barcode).")
    pickup_library: Text


class PatronRequest(Schema):
    card: Text
    surname: Text
    first_name: str = Field("", max_length=100)
    birth_date: dt.date | None = None
    category: Text = Field(description="Patron category code.")
    home_library: Text
    email: str = Field("", max_length=254)
    email_notices: bool | None = None
    newsletters: bool | None = None
    keep_history: bool | None = None
