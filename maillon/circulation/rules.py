"""Which loan rule applies, and why; the network policy.

The most specific rule wins. Each criterion a rule sets adds its weight: library 4, patron
category 2, item type 1 (so the library's own rules come first, then the category, then the item
type). A rule that sets a criterion the situation does not match never applies. Two rules cannot
have the same three criteria (database constraint), so the winner is never a tie. The default
rule (any, any, any) is seeded by migration and always matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _

from maillon.circulation.errors import CirculationError
from maillon.circulation.models import LoanRule, NetworkPolicy
from maillon.core.prepared import Prepared

# Read at every checkout: compiled once (see maillon.core.prepared).
_ALL_RULES = Prepared(lambda: LoanRule.objects.all())

__all__ = ["RuleBook", "RuleExplanation", "explain_rule", "policy", "rule_for"]


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


class RuleBook:
    """Every rule loaded once (a few dozen rows), to answer many questions in one service call;
    loaded when first asked, so that a service that turns out to need none reads none.
    `with_names`: with their library, category and item type, for a page that names them
    (the joins cost more than the rules' own rows: services deciding by ids go without)."""

    def __init__(self, *, with_names: bool = False, rules: list[LoanRule] | None = None) -> None:
        self.with_names = with_names
        if rules is not None:  # read by the caller (a checkout, with what it reads after locks)
            self.__dict__["rules"] = rules

    @cached_property
    def rules(self) -> list[LoanRule]:
        if self.with_names:
            return list(LoanRule.objects.select_related("library", "patron_category", "item_type"))
        return _ALL_RULES.all()

    def candidates(self, library, category, item_type) -> list[LoanRule]:
        ids = (_pk(library), _pk(category), _pk(item_type))
        found = [rule for rule in self.rules if rule.matches(*ids)]
        return sorted(found, key=lambda r: (-r.specificity, r.pk))

    def rule_for(self, library, category, item_type) -> LoanRule:
        found = self.candidates(library, category, item_type)
        if not found:
            raise CirculationError(
                "no_rule",
                _(
                    "No loan rule applies here: the network's default rule is missing. "
                    "Ask the coordinator to restore it."
                ),
            )
        return found[0]


def rule_for(library, category, item_type) -> LoanRule:
    """The rule for a loan at `library` to a patron of `category` of an item of `item_type`."""
    return RuleBook().rule_for(library, category, item_type)


@dataclass
class RuleExplanation:
    rule: LoanRule
    reason: str  # a French sentence for the desk
    overridden: list[LoanRule]  # the other rules that matched, most specific first


def explain_rule(library, category, item_type) -> RuleExplanation:
    """The rule that applies and a sentence saying why, for the desk's "which rule?" button."""
    book = RuleBook(with_names=True)
    found = book.candidates(library, category, item_type)
    rule, others = book.rule_for(library, category, item_type), found[1:]
    criteria = []
    if rule.library:
        criteria.append(_("the library %(name)s") % {"name": rule.library.name})
    if rule.patron_category:
        criteria.append(_("the patron category %(name)s") % {"name": rule.patron_category.name})
    if rule.item_type:
        criteria.append(_("the item type %(name)s") % {"name": rule.item_type.name})
    if not criteria:
        reason = _("No more specific rule matches: the network's default rule applies.")
    else:
        reason = _(
            "This rule applies because it names %(criteria)s; it is the most specific "
            "of the %(count)d matching rules (the library counts most, then the patron "
            "category, then the item type)."
        ) % {"criteria": ", ".join(criteria), "count": len(found)}
    terms = _("Loan of %(days)d days, %(renewals)d renewals, holds %(holds)s.") % {
        "days": rule.loan_days,
        "renewals": rule.renewals,
        "holds": _("allowed") if rule.holds_allowed else _("not allowed"),
    }
    return RuleExplanation(rule=rule, reason=f"{reason} {terms}", overridden=others)


def policy() -> NetworkPolicy:
    return NetworkPolicy.current()
