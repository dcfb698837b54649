"""A patron asks, from their account, to change their contact details; staff apply or dismiss.

The patron never writes their record from the public side: the request waits for the staff of
their home library, who apply it through ``update_patron`` (with all its checks) or dismiss it.
"""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.network.permissions import Action, require
from maillon.patrons.models import (
    CHANGEABLE_DETAILS,
    ChangeRequestStatus,
    DetailsChangeRequest,
    Patron,
)
from maillon.patrons.services import PatronError, update_patron

COMMENT_MAX = 500


def _clean(patron: Patron, wanted: dict[str, str]) -> dict[str, str]:
    """The fields that really change, stripped and checked like the staff form would."""
    changes: dict[str, str] = {}
    for name in CHANGEABLE_DETAILS:
        if name not in wanted:
            continue
        value = " ".join(str(wanted[name] or "").split())
        limit = cast(models.Field, Patron._meta.get_field(name)).max_length
        if limit and len(value) > limit:
            raise PatronError(
                "too_long", _("At most %(count)d characters.") % {"count": limit}, field=name
            )
        if name == "email" and value:
            try:
                validate_email(value)
            except ValidationError as exc:
                raise PatronError(
                    "email_invalid", _("Enter a valid e-mail address."), field="email"
                ) from exc
        if value != getattr(patron, name):
            changes[name] = value
    return changes


@transaction.atomic
def request_details_change(
    patron: Patron, wanted: dict[str, str], comment: str = ""
) -> DetailsChangeRequest:
    """Record what the patron wants changed; a request still waiting is replaced, not doubled.

    Code: nothing_changed (every value is the current one)."""
    patron = Patron.objects.select_for_update().get(pk=patron.pk)
    changes = _clean(patron, wanted)
    if not changes:
        raise PatronError(
            "nothing_changed", _("These are already your details: change a field before sending.")
        )
    comment = comment.strip()[:COMMENT_MAX]
    pending = patron.change_requests.filter(status=ChangeRequestStatus.PENDING).first()
    if pending is None:
        return DetailsChangeRequest.objects.create(patron=patron, changes=changes, comment=comment)
    pending.changes, pending.comment, pending.created_at = changes, comment, timezone.now()
    pending.save(update_fields=["changes", "comment", "created_at"])
    return pending


def pending_request(patron: Patron) -> DetailsChangeRequest | None:
    return patron.change_requests.filter(status=ChangeRequestStatus.PENDING).first()


def _locked_pending(actor, change_request: DetailsChangeRequest) -> DetailsChangeRequest:
    Patron.objects.select_for_update().get(pk=change_request.patron_id)
    locked = DetailsChangeRequest.objects.select_related("patron").get(pk=change_request.pk)
    require(actor, Action.CIRCULATE, locked.patron.home_library_id)
    if locked.status != ChangeRequestStatus.PENDING:
        raise PatronError(
            "request_decided",
            _("This request has already been %(status)s.")
            % {"status": locked.get_status_display()},
        )
    return locked


def _decide(change_request: DetailsChangeRequest, actor, status: str) -> None:
    change_request.status = status
    change_request.decided_at = timezone.now()
    change_request.decided_by = actor
    change_request.save(update_fields=["status", "decided_at", "decided_by"])


@transaction.atomic
def apply_change_request(actor, change_request: DetailsChangeRequest) -> Patron:
    """Write the requested details on the patron (CIRCULATE at their home library)."""
    locked = _locked_pending(actor, change_request)
    patron = update_patron(
        actor,
        locked.patron,
        **{name: value for name, value in locked.changes.items() if name in CHANGEABLE_DETAILS},
    )
    _decide(locked, actor, ChangeRequestStatus.APPLIED)
    return patron


@transaction.atomic
def dismiss_change_request(actor, change_request: DetailsChangeRequest) -> DetailsChangeRequest:
    locked = _locked_pending(actor, change_request)
    _decide(locked, actor, ChangeRequestStatus.DISMISSED)
    return locked
