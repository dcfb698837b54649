"""The coordinator's changes to the circulation rules and the network policy.

Rules are read by every checkout, renewal and hold (``rules.RuleBook``); they change only here.
A change applies to what happens next: loans already made keep their due date and their length.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from maillon.audit.services import record
from maillon.circulation.errors import CirculationError
from maillon.circulation.models import RULE_SCOPE_TAKEN, LoanRule, NetworkPolicy
from maillon.network.permissions import Action, require

__all__ = ["delete_rule", "save_rule", "update_policy"]


def _scope_taken() -> CirculationError:
    return CirculationError("rule_scope_taken", str(RULE_SCOPE_TAKEN))


def save_rule(actor, rule: LoanRule) -> LoanRule:
    """Create or change a loan rule (coordinator only).

    The default rule keeps its scope: made specific, some loans would have no rule at all.
    Two rules for one scope are refused (the database's unique index decides when two
    coordinators save at the same moment).
    """
    require(actor, Action.ADMINISTER)
    try:
        with transaction.atomic():
            previous = None
            if rule.pk:
                previous = LoanRule.objects.select_for_update().get(pk=rule.pk)
                if previous.is_default and not rule.is_default:
                    raise CirculationError(
                        "default_rule_scope",
                        _(
                            "The network's default rule applies to every library, category and "
                            "item type: add a new rule for a narrower case instead."
                        ),
                    )
            if (
                LoanRule.objects.filter(  # type: ignore[misc]  # None matches IS NULL
                    library_id=rule.library_id,
                    patron_category_id=rule.patron_category_id,
                    item_type_id=rule.item_type_id,
                )
                .exclude(pk=rule.pk)
                .exists()
            ):
                raise _scope_taken()
            try:
                # The scope's uniqueness was checked above and the unique index settles a
                # race; validating the constraint here again would name a race "invalid".
                rule.full_clean(validate_constraints=False)
            except ValidationError as error:
                raise CirculationError("invalid_rule", " ".join(error.messages)) from error
            changes = _changes(previous, rule)
            rule.save()
            if previous is None or changes:
                record(
                    "rule_created" if previous is None else "rule_changed",
                    rule,
                    actor=actor,
                    details={"scope": " × ".join(rule.scope_labels()), "changes": changes},
                )
    except IntegrityError as error:
        raise _scope_taken() from error
    return rule


@transaction.atomic
def delete_rule(actor, rule: LoanRule) -> None:
    require(actor, Action.ADMINISTER)
    rule = LoanRule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_default:
        raise CirculationError(
            "default_rule",
            _(
                "The network's default rule cannot be deleted: every loan needs a rule. "
                "Change its conditions instead."
            ),
        )
    record(
        "rule_deleted",
        rule,
        actor=actor,
        details={"scope": " × ".join(rule.scope_labels()), "changes": _changes(rule, None)},
    )
    rule.delete()


def _changes(before: models.Model | None, after: models.Model | None) -> dict[str, list]:
    """{field: [before, after]} for the fields a coordinator edits that differ, as people read
    them (a library's name, not its id). A rule created: every field, from nothing."""
    given = after if after is not None else before
    assert given is not None, "a change has a before or an after"
    model = type(given)
    changes = {}
    for field in model._meta.concrete_fields:
        if not field.editable or field.primary_key:
            continue
        old, new = (_shown(obj, field) for obj in (before, after))
        if old != new:
            changes[field.name] = [old, new]
    return changes


def _shown(obj: models.Model | None, field: models.Field):
    if obj is None:
        return None
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    return getattr(obj, field.attname)


POLICY_FIELDS = {
    "max_loans_per_library",
    "max_loans_network",
    "collective_exempt",
    "anonymise_after_days",
    "due_soon_days",
}


@transaction.atomic
def update_policy(actor, **fields) -> NetworkPolicy:
    """Change the network's caps, privacy delay and notice delay (coordinator only)."""
    require(actor, Action.ADMINISTER)
    unknown = set(fields) - POLICY_FIELDS
    if unknown:
        raise ValueError(f"not policy fields: {sorted(unknown)}")
    NetworkPolicy.current()  # the row exists before it is locked
    policy = NetworkPolicy.objects.select_for_update().get(pk=1)
    previous = NetworkPolicy.objects.get(pk=1)
    for name, value in fields.items():
        setattr(policy, name, value)
    try:
        policy.full_clean()
    except ValidationError as error:
        raise CirculationError("invalid_policy", " ".join(error.messages)) from error
    changes = _changes(previous, policy)
    policy.save()
    if changes:
        record("policy_changed", policy, actor=actor, details={"changes": changes})
    return policy
