"""What the lots and circulation-plan routes accept and answer (typed: the OpenAPI document is
generated from them). Descriptions stay in English (developers)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from maillon.catalogue.models import ItemStatus

from .schemas import LIBRARY_HELP, Named, Text

LotState = Literal["station", "transit"]  # lots.models.Lot.State


class LotsQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)
    library: str | None = Field(
        None, max_length=20, description="Library code: lots standing there or travelling there."
    )
    status: LotState | None = Field(
        None, description="station: at its library; transit: on its way to its destination."
    )


class LotSummary(Schema):
    code: str
    name: str
    status: LotState
    status_label: str
    station: Named = Field(description="The library it stands at, or left from.")
    destination: Named | None = Field(description="Where it is travelling to, if sent.")
    count: int = Field(ge=0, description="Items in the lot.")


class LotList(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    next: str | None = Field(description="The next page's address, if any.")
    lots: list[LotSummary]


class LotItem(Schema):
    barcode: str
    title: str
    call_number: str
    status: ItemStatus
    status_label: str
    owner: str = Field(description="Code of the library that owns it.")
    home_library: str
    current_library: str
    price: str | None = Field(description="Decimal, in euros.")


class Lot(LotSummary):
    value: str = Field(description="Total price of the items, decimal, in euros.")
    unpriced: int = Field(ge=0, description="Items without a price (not in the value).")
    items: list[LotItem]


class SendRequest(Schema):
    to_library: Text = Field(description="Code of the library the lot goes to.")


class SendResult(Schema):
    lot: Lot
    sent: list[str] = Field(description="Barcodes of the items that left with the crate.")
    following: list[str] = Field(
        description="Barcodes of the items on loan: they go there when returned."
    )


class ReceiveRequest(Schema):
    library: Text = Field(description="Code of the library receiving the lot. " + LIBRARY_HELP)
    barcodes: list[Text] | None = Field(
        None,
        max_length=1000,
        description="The crate checked item by item: items of the lot not listed stay in "
        "transit (missing), barcodes not of the lot are reported (extra).",
    )


class ReceiveResult(Schema):
    lot: Lot
    received: list[str]
    missing: list[str] = Field(description="Of the lot, not in the crate: still in transit.")
    extra: list[str] = Field(description="In the crate, not of the lot.")
    following: list[str] = Field(description="Not travelling: on loan when the lot left.")
    already: bool = Field(description="Received before: nothing changed.")


class PlansQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)


class PlanSummary(Schema):
    id: int
    name: str
    kind: Literal["continuous", "once_home", "once_stay"]
    kind_label: str
    start: dt.date
    published: bool
    exchanges: int = Field(ge=0, description="Exchange dates of the generated grid.")
    libraries: list[str] = Field(description="Codes, in the ring's order.")
    lots: list[str] = Field(description="Lot codes.")


class PlanList(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    next: str | None
    plans: list[PlanSummary]


class PlanPath(Schema):
    id: int = Field(ge=1, le=2**31 - 1, description="Plan number.")


class Received(Schema):
    lot: str
    from_library: str
    day: dt.date | None = Field(description="The day it leaves the sender.")
    arrival: dt.date | None = Field(description="The day it reaches this library.")


class Sent(Schema):
    lot: str
    to_library: str
    day: dt.date | None
    arrival: dt.date | None


class Slot(Schema):
    library: str
    received: list[Received]
    sent: list[Sent]
    kept: list[str] = Field(description="Lots staying at this library.")


class ExchangeDate(Schema):
    number: int = Field(ge=1)
    planned: dt.date
    run_at: dt.datetime | None = Field(description="When its lots were sent, once all were.")
    libraries: list[Slot]


class StartHolding(Schema):
    library: str
    lots: list[str]


class BrokenRule(Schema):
    code: str
    exchange: int = Field(ge=0, description="0: the starting placement.")
    library: str | None
    lot: str | None
    message: str = Field(description="For people, in French.")


class Grid(Schema):
    plan: PlanSummary
    start: list[StartHolding] = Field(
        description="Which library holds which lots before exchange 1."
    )
    exchanges: list[ExchangeDate]
    broken: list[BrokenRule] = Field(description="The rules the grid breaks now.")
