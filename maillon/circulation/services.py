"""Every circulation state change, in one place (invariant 4).

The desk pages, the public account, the API, SIP2 and the demo call these functions; none
writes an item's status itself. The functions live in small modules by family (rules, loans,
holds, transfers, privacy); this module gathers them. Each raises ``CirculationError`` (a stable
code and a French message) for a refusal, and ``PermissionDenied`` when the actor may not do
circulation work at the desk's library.
"""

from maillon.circulation.calendar import due_date, is_open_day, next_open_day, shuttle_arrival
from maillon.circulation.errors import CirculationError
from maillon.circulation.holds import (
    HoldOutcome,
    PullEntry,
    cancel_hold,
    cancel_own_hold,
    expire_holds,
    hold_position,
    hold_shelf,
    holds_of,
    place_hold,
    place_own_hold,
    pull_list,
    queue_of,
    resume_hold,
    resume_own_hold,
    suspend_hold,
    suspend_own_hold,
)
from maillon.circulation.loans import (
    OVERRIDABLE,
    checkin,
    checkin_and_lend,
    checkout,
    due_soon,
    history_of,
    loans_of,
    overdue_loans,
    renew,
    renew_own,
)
from maillon.circulation.privacy import anonymise_history
from maillon.circulation.routing import Action, CheckinResult
from maillon.circulation.rules import RuleExplanation, explain_rule, policy, rule_for
from maillon.circulation.transfers import (
    ShuttleLists,
    create_transfer,
    receive_transfer,
    send_transfer,
    shuttle_lists,
)

__all__ = [
    "OVERRIDABLE",
    "Action",
    "CheckinResult",
    "CirculationError",
    "HoldOutcome",
    "PullEntry",
    "RuleExplanation",
    "ShuttleLists",
    "anonymise_history",
    "cancel_hold",
    "cancel_own_hold",
    "checkin",
    "checkin_and_lend",
    "checkout",
    "create_transfer",
    "due_date",
    "due_soon",
    "expire_holds",
    "explain_rule",
    "history_of",
    "hold_position",
    "hold_shelf",
    "holds_of",
    "is_open_day",
    "loans_of",
    "next_open_day",
    "overdue_loans",
    "place_hold",
    "place_own_hold",
    "policy",
    "pull_list",
    "queue_of",
    "receive_transfer",
    "renew",
    "renew_own",
    "resume_hold",
    "resume_own_hold",
    "rule_for",
    "send_transfer",
    "shuttle_arrival",
    "shuttle_lists",
    "suspend_hold",
    "suspend_own_hold",
]
