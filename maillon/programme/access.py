"""Who reads which library's programme data on the staff pages: events with their
registrations (patrons' names, e-mails, phones), partners and their contacts, class visits,
conventions, seasons and figures.

The permission table lets every role read the whole network (maillon.network.permissions);
the project's rule for volunteers is stricter: a volunteer cannot reach another library's
data. Programme data holds personal data, so a person who is only a volunteer reads their own
library's here; other staff read the network. (Published events stay on the public agenda for
everyone; meetings of the network's librarians are open to every invited person.)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from maillon.network.models import Library, Role
from maillon.network.permissions import Action, denial_message, libraries_for, roles_of


def only_volunteer(user) -> bool:
    roles = roles_of(user)
    return (
        not getattr(user, "is_superuser", False)
        and bool(roles)
        and all(role == Role.VOLUNTEER for role in roles.values())
    )


def viewable(user) -> QuerySet[Library]:
    """The libraries whose programme data `user` reads."""
    if only_volunteer(user):
        return Library.objects.filter(pk__in=list(roles_of(user)))
    return libraries_for(user, Action.VIEW)


def require_view(user, library: Library | int) -> None:
    library_id = library.pk if isinstance(library, Library) else library
    if not viewable(user).filter(pk=library_id).exists():
        raise PermissionDenied(denial_message(Action.VIEW))
