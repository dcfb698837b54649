"""The library a staff member works at now (chosen in the header, kept in the session)."""

from typing import cast

from maillon.network.models import Library
from maillon.network.permissions import roles_of

SESSION_KEY = "maillon_library_id"
_UNSET = object()


def current_library(request) -> Library | None:
    cached = getattr(request, "_maillon_library", _UNSET)
    if cached is _UNSET:
        cached = _resolve(request)
        request._maillon_library = cached
    return cast("Library | None", cached)


def set_current_library(request, library: Library) -> None:
    request.session[SESSION_KEY] = library.pk
    request._maillon_library = library


def workplaces(user) -> list[Library]:
    """Libraries the user may choose to work at."""
    if user.is_superuser:
        return list(Library.objects.filter(is_active=True))
    libraries = list(Library.objects.filter(pk__in=roles_of(user).keys()))
    # A network-wide library (head, departmental) first, then by name.
    libraries.sort(key=lambda lib: (not lib.is_network_wide, lib.name))
    return libraries


def _resolve(request) -> Library | None:
    user = request.user
    if not user.is_authenticated:
        return None
    wanted = request.session.get(SESSION_KEY)
    choices = workplaces(user)
    for library in choices:
        if library.pk == wanted:
            return library
    return choices[0] if choices else None
