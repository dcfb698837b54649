"""Festivals and programmes (Mois du film documentaire, Nuits de la lecture…): the coordinator
sets them up, libraries join by adding events, and the programme is read on a page and printed
as a leaflet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.core.errors import Kind
from maillon.network.permissions import Action, require
from maillon.programme.models import PUBLIC_STATUSES, EventStatus, Programme, Session
from maillon.programme.services import ProgrammeError

FIELDS = ("name", "scope", "description", "starts_on", "ends_on")


def _check(programme: Programme) -> None:
    if not programme.name.strip():
        raise ProgrammeError(
            "name_missing", _("Give the programme a name."), field="name", kind=Kind.INVALID
        )
    if programme.ends_on < programme.starts_on:
        raise ProgrammeError(
            "ends_before_start",
            _("The programme ends before it starts."),
            field="ends_on",
            kind=Kind.INVALID,
        )


def _slug(name: str, year: int) -> str:
    base = slugify(f"{name} {year}")[:70] or "programme"
    slug, n = base, 1
    while Programme.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_programme(actor: Any, **fields: Any) -> Programme:
    """A festival or season of the network, the département or the country (coordinator)."""
    require(actor, Action.ADMINISTER)
    programme = Programme(**{k: v for k, v in fields.items() if k in FIELDS})
    _check(programme)
    programme.slug = _slug(programme.name, programme.starts_on.year)
    programme.save()
    record("programme_created", programme, actor=actor, details={"programme": programme.pk})
    return programme


@transaction.atomic
def update_programme(actor: Any, programme: Programme, **fields: Any) -> Programme:
    """New dates or words; events already in it must still fit its dates."""
    require(actor, Action.ADMINISTER)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    for name, value in fields.items():
        if name in FIELDS:
            setattr(programme, name, value)
    _check(programme)
    zone = timezone.get_current_timezone()
    outside = (
        Session.objects.filter(event__programme=programme)
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(
            starts_at__gte=dt.datetime.combine(programme.starts_on, dt.time.min, tzinfo=zone),
            ends_at__lt=dt.datetime.combine(
                programme.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone
            ),
        )
        .select_related("event")
        .first()
    )
    if outside is not None:
        raise ProgrammeError(
            "events_outside",
            _("“%(event)s” has a date outside these dates: move it first.")
            % {"event": outside.event.title},
            field="starts_on",
            kind=Kind.INVALID,
        )
    programme.save()
    record("programme_changed", programme, actor=actor, details={"programme": programme.pk})
    return programme


def sessions_of(programme: Programme, *, public: bool) -> QuerySet[Session]:
    """The programme's sessions in date order; only those of published events for the public."""
    sessions = (
        Session.objects.filter(event__programme=programme)
        .select_related("event__library", "event__kind", "room")
        .order_by("starts_at", "event__title")
    )
    if public:
        sessions = sessions.filter(event__status__in=PUBLIC_STATUSES)
    return sessions


def leaflet_html(programme: Programme, network_name: str) -> str:
    """The leaflet: the programme's public dates, day by day, with place, audience and how
    to register — what a library prints and leaves on its desk, in the network's language."""
    sessions = list(sessions_of(programme, public=True))
    days: dict[dt.date, list[Session]] = {}
    for session in sessions:
        days.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "programme/leaflet.html",
            {
                "programme": programme,
                "days": sorted(days.items()),
                "libraries": sorted({s.event.library for s in sessions}, key=lambda lib: lib.name),
                "network_name": network_name,
            },
        )


def leaflet_pdf(programme: Programme, network_name: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a leaflet is printed

    return HTML(string=leaflet_html(programme, network_name)).write_pdf()
