"""What the purchasing routes accept and answer (typed: the OpenAPI document is generated from
them). Money is a decimal string in euros. Descriptions stay in English (developers)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from .schemas import Named


class ListsQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)
    open: bool | None = Field(None, description="true: lists taking commitments now.")


class ListSummary(Schema):
    id: int
    name: str
    closes_on: dt.date
    open: bool = Field(description="Takes titles and commitments now.")
    titles: int = Field(ge=0)


class ListPage(Schema):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    next: str | None = Field(description="The next page's address, if any.")
    lists: list[ListSummary]


class RecordRef(Schema):
    id: int
    title: str
    author: str
    isbn: str


class NetworkHolding(Schema):
    library: str = Field(description="Library code.")
    copies: int = Field(ge=0)


class NetworkFigures(Schema):
    held: int = Field(ge=0, description="Copies the network holds (not gone, not on order).")
    held_by: list[NetworkHolding]
    on_order: int = Field(ge=0)
    holds_waiting: int = Field(ge=0)
    loans_12_months: int = Field(ge=0)


class FundRef(Schema):
    id: int
    code: str
    name: str
    year: int


class CommitmentOut(Schema):
    id: int
    library: Named
    fund: FundRef
    quantity: int = Field(ge=1)
    ordered: bool = Field(description="Already on an order.")
    seen: dict[str, int] = Field(description="The network's figures when the library decided.")


class ProposedTitle(Schema):
    id: int
    record: RecordRef
    public_price: str | None = Field(description="Public price incl. VAT, decimal, in euros.")
    cap: int | None = Field(description="Copies for the whole network at most.")
    left: int | None = Field(description="Copies still free under the cap.")
    network: NetworkFigures
    commitments: list[CommitmentOut]


class SelectionListOut(ListSummary):
    description: str
    proposed: list[ProposedTitle]


class CommitmentIn(Schema):
    title: int = Field(description="Id of the proposed title (in `proposed`).")
    fund: int = Field(description="Id of one of the library's funds.")
    quantity: int = Field(description="Copies promised; 1 or more.")
    library: str | None = Field(
        None,
        max_length=20,
        description="Code of the committing library; default: the account's first library "
        "it manages.",
    )
    overspent_reason: str = Field(
        "", max_length=300, description="Required when the fund would be overspent."
    )


class Money(Schema):
    excl_tax: str
    vat: str
    incl_tax: str


class LineOut(Schema):
    id: int
    record: RecordRef
    fund: FundRef
    quantity: int
    received: int
    cancelled: int
    public_price: str
    discount: str = Field(description="Percentage.")
    net_price: str = Field(description="Unit price paid, incl. VAT.")
    vat_rate: str = Field(description="Percentage.")
    total: str = Field(description="Net price × copies not cancelled.")


class SupplierRef(Schema):
    id: int
    name: str
    gln: str
    contract_lot: str


class OrderOut(Schema):
    id: int
    number: str
    state: Literal["draft", "sent", "closed"]
    state_label: str
    library: Named
    supplier: SupplierRef
    sent_at: dt.datetime | None
    lines: list[LineOut]
    totals: Money
