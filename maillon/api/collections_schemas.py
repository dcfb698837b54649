"""What the collection-policy routes answer (weeding candidates, the core collection) and what
an item's state adds about its collections. Descriptions stay in English (developers)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from .schemas import Named


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)


class CandidatesQuery(PageQuery):
    library: str = Field(min_length=1, max_length=20, description="Library code.")


class Reasons(Schema):
    age: int | None = Field(None, description="Years since publication, when X applies.")
    idle: int | None = Field(None, description="Years without a loan, when Y applies.")
    loans: int | None = Field(None, description="Loans in total.")
    elsewhere: int = Field(description="Copies of the record at other libraries.")
    last_copy: bool = Field(description="The network's last copy: withdrawn only with a reason.")


class Candidate(Schema):
    barcode: str
    call_number: str
    record: int
    title: str
    year: int | None
    dewey: str = Field(description="Dewey class (three digits), empty for fiction and others.")
    criterion: str = Field(description="The criterion's part of the collection and X/Y formula.")
    reasons: Reasons


class CandidateList(Schema):
    library: Named
    total: int = Field(ge=0)
    page: int
    per_page: int
    next: str | None
    candidates: list[Candidate]


class CoreQuery(PageQuery):
    audience: str | None = Field(None, max_length=10, description="adult, youth or unknown.")
    doc_type: str | None = Field(None, max_length=12, description="text, video, sound…")


class GapsQuery(CoreQuery):
    library: str = Field(min_length=1, max_length=20, description="Library code.")


class CoreTitle(Schema):
    record: int
    title: str
    audience: str
    doc_type: str
    rank: int = Field(ge=1, description="Within its audience and kind.")
    loans: int = Field(ge=0, description="Network loans over the period.")
    holds: int = Field(ge=0)
    libraries: int = Field(ge=0, description="Libraries holding a copy when computed.")


class CoreList(Schema):
    start: dt.date
    end: dt.date
    computed_at: dt.datetime
    library: Named | None = Field(None, description="For gaps: the library lacking them.")
    total: int = Field(ge=0)
    page: int
    per_page: int
    next: str | None
    titles: list[CoreTitle]
