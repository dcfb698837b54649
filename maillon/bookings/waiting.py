"""The waiting list: a library asks to be told when taken dates of a resource free up; the
cancellation or refusal that frees them tells the first in line (services._offer_freed)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.bookings.models import Resource, Waiting
from maillon.bookings.services import (
    BookingError,
    _check_dates,
    _conflict,
    _lock_library,
    _lock_resource,
    rule_for,
)
from maillon.core.errors import Kind
from maillon.network.models import Library
from maillon.network.permissions import Action, require


def wait_for(
    actor,
    library: Library,
    resource: Resource,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
) -> Waiting:
    """Put `library` in line for start..end of `resource`. Refused when the dates are free (book
    them) or the library already waits for them. Locks as a booking request does."""
    require(actor, Action.CIRCULATE, library)
    today = today or timezone.localdate()
    _check_dates(library, start, end, today)
    with transaction.atomic():
        library = _lock_library(library)
        resource = _lock_resource(resource)
        until = end + dt.timedelta(days=rule_for(resource).buffer_days)
        if _conflict(resource, start, until, today) is None:
            raise BookingError(
                "dates_free",
                _("These dates are free: book them instead of waiting."),
                kind=Kind.CONFLICT,
            )
        mine = Waiting.objects.filter(
            resource=resource,
            library=library,
            status=Waiting.Status.WAITING,
            start__lte=end,
            end__gte=start,
        )
        if mine.exists():
            raise BookingError(
                "already_waiting",
                _("%(library)s already waits for these dates.") % {"library": library.name},
                kind=Kind.CONFLICT,
            )
        wait = Waiting.objects.create(
            resource=resource,
            library=library,
            start=start,
            end=end,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(
            "booking_waiting",
            wait,
            actor=actor,
            library=library,
            details={
                "resource": resource.title,
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
        )
    return wait


def position(wait: Waiting) -> int:
    """1 for the first in line for (some of) these dates."""
    ahead = Waiting.objects.filter(
        resource_id=wait.resource_id,
        status=Waiting.Status.WAITING,
        start__lte=wait.end,
        end__gte=wait.start,
        created_at__lt=wait.created_at,
    )
    return ahead.count() + 1


def stop_waiting(actor, wait: Waiting) -> Waiting:
    require(actor, Action.CIRCULATE, wait.library_id)
    with transaction.atomic():
        wait = Waiting.objects.select_for_update().get(pk=wait.pk)
        if wait.status == Waiting.Status.WAITING:
            wait.status = Waiting.Status.WITHDRAWN
            wait.save(update_fields=["status"])
            audit("booking_waiting_withdrawn", wait, actor=actor, library=wait.library_id)
    return wait
