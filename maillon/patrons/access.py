"""Who may find which patrons, and the trace of reading a patron of another library.

The single card means any desk must open a patron of another library *by the card*. Browsing
and searching by name across the network is for the roles whose work needs it: the
coordinator, librarians and MD staff. A volunteer searches by name among the patrons of the
libraries where they work. Every read of a patron's record by staff who work at none of the
patron's home library is written in the audit log (``patron_read``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from maillon.audit.services import record
from maillon.network.models import Library, Role
from maillon.network.permissions import Action, libraries_for, roles_of
from maillon.patrons.models import Patron

NETWORK_SEARCH_ROLES = frozenset({Role.COORDINATOR, Role.LIBRARIAN, Role.MD_STAFF})


def may_search_network(user) -> bool:
    """May `user` search patrons by name in the whole network?"""
    if getattr(user, "is_superuser", False):
        return True
    return any(role in NETWORK_SEARCH_ROLES for role in roles_of(user).values())


def searchable(user, patrons: QuerySet[Patron]) -> QuerySet[Patron]:
    """The patrons `user` may find by name."""
    if may_search_network(user):
        return patrons
    return patrons.filter(home_library__in=libraries_for(user, Action.CIRCULATE))


def record_read(user, patron: Patron, *, via: str, library: Library | int | None = None) -> bool:
    """Note in the audit log that `user` read `patron`'s record, if they work at none of the
    patron's home library (reads at home are the library's own business). Returns whether an
    entry was written. `via`: "page" or "api"."""
    if patron.home_library_id in roles_of(user):
        return False
    record(
        "patron_read",
        patron,
        actor=user,
        library=library,
        patron=patron,
        details={"via": via, "home_library": patron.home_library_id},
    )
    return True
