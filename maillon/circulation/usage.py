"""What circulation answers when the catalogue or patrons ask "is this in use?", and what it does
when the catalogue announces a change (core.usage)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillon.catalogue.models import Item, ItemType
from maillon.circulation import panels, today
from maillon.circulation.models import Hold, Loan, LoanRule
from maillon.circulation.targeting import retarget
from maillon.core import usage
from maillon.patrons.models import PatronCategory


def item_type_uses(item_type: ItemType, *, deleting: bool, known: list[str]) -> list[str]:
    """Loan rules refer to the type's row, not its code: they only stop a delete (the rule would
    go with the type, CASCADE, without anyone having decided it)."""
    words = []
    rules = LoanRule.objects.filter(item_type=item_type).count() if deleting else 0
    if rules:
        words.append(
            ngettext("%(count)d loan rule", "%(count)d loan rules", rules) % {"count": rules}
        )
    # The loan history has no index on the code: read only when nothing else decided already.
    if not known and not words and Loan.objects.filter(item_type_code=item_type.code).exists():
        words.append(_("the loan history"))
    return words


def category_code_in_use(category: PatronCategory) -> bool:
    """Loans and holds keep the category's code for statistics, after anonymisation too."""
    return (
        Loan.objects.filter(patron_category_code=category.code).exists()
        or Hold.objects.filter(patron_category_code=category.code).exists()
    )


def item_changed_by_staff(item: Item) -> None:
    """A copy left its shelf (withdrawn, lost, damaged…) or came back to it: the holds it was
    chosen for get another copy, and a hold waiting for a copy may get this one."""
    retarget(item.record_id, timezone.localdate())


def register() -> None:
    usage.register("item_type_uses", item_type_uses)
    usage.register("category_code_in_use", category_code_in_use)
    usage.register("item_changed_by_staff", item_changed_by_staff)
    usage.register("item_panels", panels.item_panels)
    usage.register("today_counts", today.today_counts)
    usage.register("record_panels", panels.record_panels)
