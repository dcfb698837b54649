"""Who reads which library's programme data on the staff pages: events with their
registrations (patrons' names, e-mails, phones), partners and their contacts, class visits,
conventions, seasons and figures.

These are a library's own files (Action.VIEW_PRIVATE in maillon.network.permissions): a
person who is only a volunteer reads their own library's; librarians, MD staff and the
coordinator read the network's. (Published events stay on the public agenda for everyone;
meetings of the network's librarians are open to every invited person.)
"""

from __future__ import annotations

from django.db.models import QuerySet

from maillon.network.models import Library
from maillon.network.permissions import Action, libraries_for, require


def viewable(user) -> QuerySet[Library]:
    """The libraries whose programme data `user` reads."""
    return libraries_for(user, Action.VIEW_PRIVATE)


def require_view(user, library: Library | int) -> None:
    require(user, Action.VIEW_PRIVATE, library)
