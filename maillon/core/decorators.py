from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from maillon.network.permissions import is_staff_member


def staff_required(view):
    """Logged in and holding at least one role in the network."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied(_("This page is for the network's staff."))
        return view(request, *args, **kwargs)

    return wrapper
