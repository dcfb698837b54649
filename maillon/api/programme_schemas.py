"""Schemas of the cultural programme's part of /api/v1/ (events and registrations)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

# The programme's Audience and EventStatus codes (a test keeps them the same).
AudienceCode = Literal[
    "all",
    "babies",
    "children",
    "teens",
    "adults",
    "seniors",
    "families",
    "schools",
    "professionals",
]
StatusCode = Literal["draft", "published", "full", "postponed", "rescheduled", "cancelled"]


class EventsQuery(Schema):
    page: int = Field(1, ge=1, le=10000)
    per_page: int = Field(50, ge=1, le=200)
    library: str | None = Field(
        None, max_length=20, description="Library code: its events and those it hosts."
    )
    audience: AudienceCode | None = None
    kind: str | None = Field(None, max_length=40, description="Kind code (story-time…).")
    programme: str | None = Field(None, max_length=80, description="Festival's slug.")
    from_: dt.date | None = Field(
        None, alias="from", description="Events with a date on or after this day (default today)."
    )
    to: dt.date | None = Field(None, description="Events with a date on or before this day.")


class NamedLibrary(Schema):
    code: str
    name: str


class SessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    room: str | None = None
    remaining: int | None = Field(
        None, description="Places left for this date when registering per date."
    )


class EventOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    audience: AudienceCode
    audience_label: str
    age_min: int | None
    age_max: int | None
    status: StatusCode
    status_label: str
    status_note: str
    library: NamedLibrary
    other_libraries: list[NamedLibrary]
    programme: str | None = Field(None, description="Festival's slug.")
    attendance_mode: Literal[1, 2, 3] = Field(description="1 on site, 2 online, 3 both.")
    registration_required: bool
    capacity: int | None
    remaining: int | None = Field(None, description="Places left for the whole event.")
    price_note: str
    accessibility: list[str]
    sessions: list[SessionOut]
    url: str = Field(description="The event's public page (empty for a draft).")


class EventList(Schema):
    total: int
    page: int
    per_page: int
    next: str | None
    events: list[EventOut]


class SessionIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class EventIn(Schema):
    library: str = Field(min_length=1, max_length=20, description="Library code.")
    title: str = Field(min_length=1, max_length=200)
    kind: str = Field(min_length=1, max_length=40, description="Kind code (story-time…).")
    description: str = Field("", max_length=10000)
    audience: AudienceCode = "all"
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    capacity: int | None = Field(None, ge=1, le=100000)
    registration_required: bool = False
    price_note: str = Field("", max_length=200)
    attendance_mode: Literal[1, 2, 3] = 1
    programme: str | None = Field(None, max_length=80, description="Festival's slug.")
    room: int | None = Field(None, description="Room id, for every date.")
    sessions: list[SessionIn] = Field(min_length=1, max_length=60)
    publish: bool = Field(False, description="Publish at once (else a draft).")


class RegistrationIn(Schema):
    session: int | None = Field(None, description="One date's id; none: all the dates.")
    card: str | None = Field(None, max_length=40, description="Staff only: the patron's card.")
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)
    places: int = Field(1, ge=1, le=10)


class RegistrationOut(Schema):
    id: int
    event: int
    session: int | None
    status: Literal["confirmed", "waiting"] = Field(
        description="confirmed: registered; waiting: on the waiting list."
    )
    places: int
    cancel_url: str = Field(description="The page where the person may cancel.")
