from maillon.network.current import current_library, workplaces
from maillon.network.models import Role
from maillon.network.permissions import Action, can, is_staff_member, roles_of


def staff_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_staff_member(user):
        return {}
    library = current_library(request)
    role = roles_of(user).get(library.pk) if library else None
    return {
        "current_library": library,
        "workplaces": workplaces(user),
        "current_role": role,
        "current_role_label": Role(role).label if role else "",
        "can_administer": can(user, Action.ADMINISTER),
        # Manages at least one library: the pages for managers only (SIP2 terminals…).
        "can_manage": can(user, Action.MANAGE),
        "can_manage_here": bool(library) and can(user, Action.MANAGE, library),
    }
