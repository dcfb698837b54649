"""Who sees which statistics: the coordinator and the departmental library (which collects the
survey in its département) see the network and every library; anyone else, their own library."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from maillon.network.models import Library, Role
from maillon.network.permissions import roles_of

NETWORK_ROLES = {Role.COORDINATOR, Role.MD_STAFF}


def sees_network(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(
        NETWORK_ROLES & set(roles_of(user).values())
    )


def visible_libraries(user) -> QuerySet[Library]:
    libraries = Library.objects.order_by("name")
    if sees_network(user):
        return libraries
    return libraries.filter(pk__in=list(roles_of(user)))


def check(user, library: Library | None) -> None:
    """Refuse the network to those who only see their library, and other libraries."""
    if sees_network(user):
        return
    if library is None or library.pk not in roles_of(user):
        raise PermissionDenied(_("You see the statistics of your own library only."))
