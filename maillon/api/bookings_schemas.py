"""What the animation resources and bookings routes accept and answer (typed: the OpenAPI
document is generated from them). Descriptions stay in English (developers)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .schemas import Named

BookingState = Literal[
    "requested", "approved", "refused", "delivered", "returned", "checked", "cancelled"
]  # bookings.models.BookingStatus


class ResourcesQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)
    start: dt.date | None = Field(None, description="First day of the period (YYYY-MM-DD).")
    end: dt.date | None = Field(None, description="Last day of the period (YYYY-MM-DD).")
    kind: str | None = Field(None, max_length=30, description="Kind code (exposition, valise…).")
    owner: str | None = Field(None, max_length=20, description="Owner's library code.")
    barcode: str | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="A barcode read from a crate's label: the resource it belongs to (any case).",
    )


class Taken(Schema):
    start: dt.date
    until: dt.date = Field(description="Last day taken, checking days included.")


class Resource(Schema):
    id: int
    title: str
    barcode: str = Field(
        description="The barcode printed on each of its crates' labels and scanned when it "
        "leaves the owner and comes back."
    )
    crates: int = Field(ge=0, description="How many crates travel (one label each).")
    kind: str = Field(description="Kind code.")
    kind_label: str
    owner: Named
    audience: str
    bookable: bool
    available: bool | None = Field(
        description="With a period: whether booking it then is worth asking for (free, within "
        "the lead time and durations). Null without a period."
    )
    taken: list[Taken] = Field(description="With a period: the bookings that meet it.")


class ResourceList(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    next: str | None
    resources: list[Resource]


class BookingRequest(Schema):
    resource: int = Field(ge=1, description="Resource id.")
    library: str = Field(min_length=1, max_length=20, description="Code of the library it is for.")
    start: dt.date
    end: dt.date


class Booking(Schema):
    id: int
    resource: int
    resource_title: str
    library: Named
    start: dt.date
    end: dt.date
    taken_until: dt.date = Field(description="Last day the resource is taken (checking days).")
    status: BookingState
    status_label: str
