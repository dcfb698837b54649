"""One browser session, two logins: the staff's (Django auth) and the patron's (public catalogue).

A browser has one session cookie, so a librarian logged in under /pro/ and a patron logged in on
the public catalogue in the same browser (a librarian trying a reader's account, a desk computer
with the catalogue open in another tab) share one session. Each side ends only its own login:

* the patron side names its keys ``PATRON_PREFIX…``; its logout (``patron_session.logout``)
  removes its own login keys and rotates the session key, so the staff side is untouched;
* the staff logout (``end_staff_login``) keeps the patron side's keys and removes everything
  else: Django's auth keys, the desk's work (the refusal awaiting an override, the recent
  check-ins), the library chosen in the header, pending messages, and whatever staff pages store
  later. The next person at a shared desk computer starts clean. It is a list of what to keep
  on purpose: a key forgotten here logs a patron out, it never hands a staff member's work on.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_out
from django.http import HttpRequest

PATRON_PREFIX = "maillon_patron_"


def is_patron_key(key: str) -> bool:
    """Whether a session key belongs to the patron side (kept by the staff logout)."""
    return key.startswith(PATRON_PREFIX)


def end_staff_login(request: HttpRequest) -> None:
    """``django.contrib.auth.logout``, except that a patron's login in the session survives.

    The same ``user_logged_out`` signal (sent first, so receivers learn who left) and an
    anonymous ``request.user``. The session is flushed, which deletes it from the store, and
    the patron's keys are put back into a new one (a new key, as ``cycle_key`` gives): a copy
    of the old cookie opens nothing. With no patron, the cookie goes, as with Django's logout.
    """
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", True):
        user = None
    user_logged_out.send(sender=user.__class__, request=request, user=user)
    session = request.session
    kept = {key: value for key, value in session.items() if is_patron_key(key)}
    session.flush()
    session.update(kept)
    if hasattr(request, "user"):
        request.user = AnonymousUser()
