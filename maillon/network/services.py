"""Every change to the network's own data goes through these functions."""

import datetime as dt

from django.db import transaction
from django.dispatch import Signal

from maillon.core.validation import clean_or_refuse
from maillon.network.errors import NetworkError
from maillon.network.models import Closure, Library, OpeningHours, Partner, Role, StaffRole
from maillon.network.permissions import Action, require


@transaction.atomic
def create_library(actor, **fields) -> Library:
    require(actor, Action.ADMINISTER)
    library = Library(**fields)
    clean_or_refuse(library, NetworkError)
    library.save()
    return library


# Fields a librarian may change at their own library; the rest is the coordinator's.
LOCAL_FIELDS = {
    "name",
    "commune",
    "postcode",
    "address",
    "phone",
    "email",
    "website",
    "latitude",
    "longitude",
}


# Sent by update_library when a library's code changes, in its transaction, once the row is
# saved (and locked until it ends): ``library`` and ``old_code``. What shows the code follows:
# the records' holdings (maillon.catalogue.records), the OAI-PMH sets (maillon.oai.sets).
library_code_changed = Signal()


@transaction.atomic
def update_library(actor, library: Library, **fields) -> Library:
    require(actor, Action.MANAGE, library)
    if not set(fields) <= LOCAL_FIELDS:
        require(actor, Action.ADMINISTER, library)
    library = Library.objects.select_for_update().get(pk=library.pk)
    old_code = library.code
    for name, value in fields.items():
        setattr(library, name, value)
    clean_or_refuse(library, NetworkError)
    library.save()
    if library.code != old_code:
        library_code_changed.send(sender=Library, library=library, old_code=old_code)
    return library


@transaction.atomic
def set_opening_hours(
    actor, library: Library, spans: list[tuple[int, dt.time | str, dt.time | str]]
) -> None:
    """Replace the weekly hours of `library` with `spans` (weekday, opens, closes)."""
    require(actor, Action.MANAGE, library)
    Library.objects.select_for_update().get(pk=library.pk)
    library.opening_hours.all().delete()
    rows = [OpeningHours(library=library, weekday=d, opens=o, closes=c) for d, o, c in spans]
    for row in rows:
        clean_or_refuse(row, NetworkError, exclude=["library"])
    OpeningHours.objects.bulk_create(rows)


@transaction.atomic
def add_closure(actor, library: Library, start, end, reason: str = "") -> Closure:
    require(actor, Action.MANAGE, library)
    closure = Closure(library=library, start=start, end=end, reason=reason)
    clean_or_refuse(closure, NetworkError)
    closure.save()
    return closure


@transaction.atomic
def remove_closure(actor, closure: Closure) -> None:
    require(actor, Action.MANAGE, closure.library)
    closure.delete()


@transaction.atomic
def save_partner(actor, partner: Partner) -> Partner:
    """Create or update a partner; the actor must manage both its old and new library."""
    if partner.pk:
        previous = Partner.objects.select_for_update().get(pk=partner.pk)
        require(actor, Action.MANAGE, previous.library_id)
    require(actor, Action.MANAGE, partner.library_id)
    clean_or_refuse(partner, NetworkError)
    partner.save()
    return partner


@transaction.atomic
def delete_partner(actor, partner: Partner) -> None:
    require(actor, Action.MANAGE, partner.library_id)
    partner.delete()


@transaction.atomic
def grant_role(actor, user, library: Library, role: Role | str) -> StaffRole:
    require(actor, Action.ADMINISTER)
    staff_role, _created = StaffRole.objects.update_or_create(
        user=user, library=library, defaults={"role": role}
    )
    return staff_role


@transaction.atomic
def revoke_role(actor, staff_role: StaffRole) -> None:
    require(actor, Action.ADMINISTER)
    staff_role.delete()


@transaction.atomic
def create_staff_member(
    actor,
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    library: Library,
    role: Role | str,
):
    """A new account with no password yet: the person sets it from the e-mailed link."""
    from django.contrib.auth import get_user_model

    require(actor, Action.ADMINISTER)
    user = get_user_model().objects.create_user(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    user.save()
    StaffRole.objects.create(user=user, library=library, role=role)
    return user
