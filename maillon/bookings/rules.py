"""Editing the booking rules and seasonal limits: who may, what is consistent, and the audited
change. Kept apart from services.py, which reads the rules when booking.

Who: the coordinator everywhere; the MD's staff for the rules of the owners they manage (the
departmental library). A librarian reads the rules but does not change them, even for the
tools her own library lends: the network agrees on them. A rule or a limit for any owner
(empty owner) applies to every lender: the coordinator's alone.

A change applies to bookings asked for from then on; bookings already made keep their dates.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from maillon.audit.services import record as audit
from maillon.bookings.models import BookingRule, Delivery, SeasonalLimit
from maillon.bookings.services import BookingError
from maillon.core.errors import Kind
from maillon.network.models import WEEKDAYS, Library, Role
from maillon.network.permissions import Action, can, roles_of

RULE_FIELDS = [
    "kind",
    "owner",
    "lead_days",
    "min_days",
    "max_days",
    "buffer_days",
    "max_per_library",
    "max_per_library_kind",
    "approval_needed",
    "delivery",
    "collection_days",
    "renewal_days",
    "renewals",
]
LIMIT_FIELDS = ["kind", "owner", "month_from", "month_to", "max_per_library"]
# A longer loan or lead time is a typing mistake (MDs lend for three months at most).
MAX_RULE_DAYS = 366


def may_edit(user, owner: Library | None) -> bool:
    """May `user` change the rules of `owner`'s resources (None: of every owner)?"""
    if can(user, Action.ADMINISTER, owner):
        return True
    if owner is None:
        return False
    return roles_of(user).get(owner.pk) == Role.MD_STAFF and can(user, Action.MANAGE, owner)


def owners_for(user):
    """The owners whose rules `user` may change."""
    if can(user, Action.ADMINISTER):
        return Library.objects.all()
    ids = [pk for pk, role in roles_of(user).items() if role == Role.MD_STAFF]
    return Library.objects.filter(pk__in=ids)


def _require(user, owner: Library | None) -> None:
    if not may_edit(user, owner):
        raise BookingError(
            "rules_not_allowed",
            _("Only the network coordinator changes the rules for every owner.")
            if owner is None
            else _(
                "Only the departmental library’s staff and the network coordinator change "
                "the booking rules."
            ),
            kind=Kind.FORBIDDEN,
        )


def rule_problems(data: dict[str, Any]) -> list[tuple[str | None, str]]:
    """What makes a rule inconsistent, as (field, French message): the form shows them all,
    the service refuses on the first."""
    found: list[tuple[str | None, str]] = []
    min_days, max_days = data.get("min_days"), data.get("max_days")
    if min_days is not None and min_days < 1:
        found.append(("min_days", _("A loan lasts at least one day.")))
    if min_days is not None and max_days is not None and min_days > max_days:
        found.append(
            (
                "max_days",
                _("The maximum duration (%(max)d days) is shorter than the minimum (%(min)d days).")
                % {"max": max_days, "min": min_days},
            )
        )
    for name in ("lead_days", "max_days", "buffer_days", "renewal_days"):
        value = data.get(name)
        if value is not None and value > MAX_RULE_DAYS:
            message = _("At most %(days)d days: is it a typing mistake?")
            found.append((name, message % {"days": MAX_RULE_DAYS}))
    overall, per_kind = data.get("max_per_library"), data.get("max_per_library_kind")
    if overall is not None and overall < 1:
        found.append(
            ("max_per_library", _("Allow at least one booking at once, or leave it empty."))
        )
    if per_kind is not None and per_kind < 1:
        found.append(
            ("max_per_library_kind", _("Allow at least one booking at once, or leave it empty."))
        )
    if overall is not None and per_kind is not None and per_kind > overall:
        found.append(
            (
                "max_per_library_kind",
                _(
                    "At most %(overall)d bookings at once in all: %(per_kind)d of this kind "
                    "could never be reached."
                )
                % {"overall": overall, "per_kind": per_kind},
            )
        )
    if per_kind is not None and data.get("kind") is None:
        found.append(
            ("max_per_library_kind", _("A quota per kind needs a kind: choose one above."))
        )
    days = data.get("collection_days") or []
    if data.get("delivery") == Delivery.COLLECTION and not days:
        found.append(
            ("collection_days", _("Tick the days on which libraries collect and bring back."))
        )
    if any(day not in dict(WEEKDAYS) for day in days):
        found.append(("collection_days", _("Choose days of the week.")))
    if (data.get("renewals") or 0) > 0 and not data.get("renewal_days"):
        found.append(("renewal_days", _("Say how many days a renewal adds.")))
    if data.get("renewal_days") and not data.get("renewals"):
        found.append(("renewals", _("Say how many renewals are allowed.")))
    return found


def limit_problems(data: dict[str, Any]) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    for name in ("month_from", "month_to"):
        if data.get(name) not in MONTHS:
            found.append((name, _("Choose a month.")))
    if data.get("max_per_library") is None or data["max_per_library"] < 1:
        found.append(("max_per_library", _("Allow at least one booking per library.")))
    return found


def _refuse(problems: list[tuple[str | None, str]], code: str) -> None:
    if problems:
        field, message = problems[0]
        raise BookingError(code, message, field=field, kind=Kind.INVALID)


def _shown(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value if value is None or isinstance(value, bool | int) else str(value)


def _apply(row: Model, data: dict[str, Any], fields: list[str]) -> dict[str, list]:
    """Set `data` on `row`; {field: [before, after]} as people read them (a name, not an id)."""
    changes = {}
    for name in fields:
        if name not in data:
            continue
        before, after = getattr(row, name), data[name]
        if before != after:
            changes[name] = [_shown(before), _shown(after)]
            setattr(row, name, after)
    return changes


def _scope_taken(model, row: Model, data: dict[str, Any]) -> bool:
    return (
        model.objects.filter(kind=data.get("kind"), owner=data.get("owner"))
        .exclude(pk=row.pk)
        .exists()
    )


def save_rule(actor, rule: BookingRule | None, data: dict[str, Any]) -> BookingRule:
    """Create (`rule` None) or change a rule; `data` holds RULE_FIELDS and `documents` (the
    kinds of document required). Both its old and its new owner must be the actor's."""
    data = {**data, "collection_days": sorted(data.get("collection_days") or [])}
    if data.get("delivery") != Delivery.COLLECTION:
        data["collection_days"] = []
    if rule is not None:
        _require(actor, rule.owner)
    _require(actor, data.get("owner"))
    _refuse(rule_problems(data), "invalid_rule")
    try:
        with transaction.atomic():
            return _save_rule(actor, rule, data)
    except IntegrityError as error:  # another editor saved this scope meanwhile
        raise _scope_taken_error() from error


def _scope_taken_error() -> BookingError:
    return BookingError(
        "rule_scope_taken",
        _("A rule already exists for this kind and this owner: change that one."),
        field="kind",
        kind=Kind.CONFLICT,
    )


def _save_rule(actor, rule: BookingRule | None, data: dict[str, Any]) -> BookingRule:
    """save_rule's change, inside its transaction."""
    row = BookingRule()
    if rule is not None:
        row = BookingRule.objects.select_for_update().get(pk=rule.pk)
    if _scope_taken(BookingRule, row, data):
        raise _scope_taken_error()
    changes = _apply(row, data, RULE_FIELDS)
    row.save()
    if "documents" in data:
        before = sorted(str(d) for d in row.documents.all())
        after = sorted(str(d) for d in data["documents"])
        if before != after:
            changes["documents"] = [", ".join(before), ", ".join(after)]
            row.documents.set(data["documents"])
    if rule is None or changes:
        audit(
            "booking_rule_created" if rule is None else "booking_rule_changed",
            row,
            actor=actor,
            library=row.owner,
            details={"rule_scope": str(row), "resource_changes": changes},
        )
    return row


def delete_rule(actor, rule: BookingRule) -> None:
    _require(actor, rule.owner)
    with transaction.atomic():
        row = BookingRule.objects.select_for_update().get(pk=rule.pk)
        audit(
            "booking_rule_deleted",
            row,
            actor=actor,
            library=row.owner,
            details={"rule_scope": str(row)},
        )
        row.delete()


def save_limit(actor, limit: SeasonalLimit | None, data: dict[str, Any]) -> SeasonalLimit:
    """Create or change a seasonal limit (e.g. one kit per library in December)."""
    if limit is not None:
        _require(actor, limit.owner)
    _require(actor, data.get("owner"))
    _refuse(limit_problems(data), "invalid_limit")
    with transaction.atomic():
        row = (
            SeasonalLimit()
            if limit is None
            else SeasonalLimit.objects.select_for_update().get(pk=limit.pk)
        )
        changes = _apply(row, data, LIMIT_FIELDS)
        row.save()
        if limit is None or changes:
            audit(
                "seasonal_limit_created" if limit is None else "seasonal_limit_changed",
                row,
                actor=actor,
                library=row.owner,
                details={"rule_scope": str(row), "resource_changes": changes},
            )
    return row


def delete_limit(actor, limit: SeasonalLimit) -> None:
    _require(actor, limit.owner)
    with transaction.atomic():
        row = SeasonalLimit.objects.select_for_update().get(pk=limit.pk)
        audit(
            "seasonal_limit_deleted",
            row,
            actor=actor,
            library=row.owner,
            details={"rule_scope": str(row)},
        )
        row.delete()
