"""Who may do what where. Every view and service asks here; nothing else decides.

A coordinator acts on the whole network. MD staff read everything and work fully at the
departmental library. A librarian does everything at their own library, a volunteer works the
circulation desk there.

Reading comes in two kinds. What the network shares (its catalogue and items, the libraries'
pages and hours, lots, plans, campaigns, the resources' calendars) every role reads everywhere
(VIEW). A library's own files — its partners and their contacts, its bookings and their loans
on to partners, its events' registrations, class visits and conventions — are read by its own
staff, and across the network by the roles whose work needs them: the coordinator, MD staff
and librarians (who organise events and bookings together). A volunteer reads only the files
of the libraries they work at (VIEW_PRIVATE). Statistics follow their own, stricter rule
(maillon.stats.access: the coordinator and MD staff see every library, others their own).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from maillon.network.models import Library, Role, StaffRole


class Action(StrEnum):
    VIEW = "view"  # read what the network shares about a library
    VIEW_PRIVATE = "view_private"  # read a library's own files: partners, bookings, registrations
    CIRCULATE = "circulate"  # desk work: loans, returns, holds, transfers, patrons
    MANAGE = "manage"  # catalogue, library settings, partners, events
    ADMINISTER = "administer"  # the network itself: libraries, roles, shared rules


# What each role may do at the library it is attached to.
LOCAL_ACTIONS: dict[str, set[Action]] = {
    Role.COORDINATOR: set(Action),
    Role.MD_STAFF: {Action.VIEW, Action.VIEW_PRIVATE, Action.CIRCULATE, Action.MANAGE},
    Role.LIBRARIAN: {Action.VIEW, Action.VIEW_PRIVATE, Action.CIRCULATE, Action.MANAGE},
    Role.VOLUNTEER: {Action.VIEW, Action.VIEW_PRIVATE, Action.CIRCULATE},
}
# What each role may do at any other library of the network.
NETWORK_ACTIONS: dict[str, set[Action]] = {
    Role.COORDINATOR: set(Action),
    Role.MD_STAFF: {Action.VIEW, Action.VIEW_PRIVATE},
    Role.LIBRARIAN: {Action.VIEW, Action.VIEW_PRIVATE},
    Role.VOLUNTEER: {Action.VIEW},
}


def roles_of(user) -> dict[int, str]:
    """library id → role, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_maillon_roles", None)
    if cached is None:
        cached = dict(StaffRole.objects.filter(user=user).values_list("library_id", "role"))
        user._maillon_roles = cached
    return cached


def remember_roles(user, roles: dict[int, str]) -> None:
    """Give `user` the roles a caller already read (library id → role), as ``roles_of`` would
    have cached them: the SIP2 server reads them with the terminal's account."""
    user._maillon_roles = roles


def is_staff_member(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or roles_of(user))


def can(user, action: Action, library: Library | int | None = None) -> bool:
    """May `user` do `action` at `library` (None: somewhere in the network)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = roles_of(user)
    library_id = library.pk if isinstance(library, Library) else library
    if library_id is None:
        return any(action in LOCAL_ACTIONS[r] for r in roles.values())
    local = roles.get(library_id)
    if local is not None and action in LOCAL_ACTIONS[local]:
        return True
    return any(action in NETWORK_ACTIONS[r] for r in roles.values())


def require(user, action: Action, library: Library | int | None = None) -> None:
    if not can(user, action, library):
        raise PermissionDenied(denial_message(action))


def denial_message(action: Action) -> str:
    messages = {
        Action.VIEW: _("You have no access to this library's data."),
        Action.VIEW_PRIVATE: _(
            "This belongs to another library: a volunteer reads the files of their own "
            "library only."
        ),
        Action.CIRCULATE: _("Your role does not allow circulation work at this library."),
        Action.MANAGE: _("Your role does not allow changing this library's data."),
        Action.ADMINISTER: _("Only a network coordinator may do this."),
    }
    return messages[action]


def libraries_for(user, action: Action):
    """The libraries where `user` may do `action`."""
    qs = Library.objects.all()
    if user.is_superuser or any(action in NETWORK_ACTIONS[r] for r in roles_of(user).values()):
        return qs
    ids = [lib for lib, role in roles_of(user).items() if action in LOCAL_ACTIONS[role]]
    return qs.filter(pk__in=ids)
