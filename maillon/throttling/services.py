"""Throttling of logins and password-link requests, per account and per client address.

An attempt is counted *before* the password is checked, in a transaction that locks its
counters (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions queue), so
parallel requests never get more checks than the limit and no count is lost; a successful
login takes its attempt back. Logins and password-link requests have counters of their own: a
flood of link requests never locks anyone out of logging in. A key past its limit stays locked
for ``LOGIN_FAILURE_WINDOW`` seconds from the attempt that reached it, and the message says
how long is left.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import math
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from maillon.throttling.models import Counter

# A key and how many attempts it allows in a window.
Key = tuple[str, int]
# An address gets more tries than an account: a library's public computers share one address.
ADDRESS_FACTOR = 4
# Password links e-mailed to one account in a window: enough for a lost first e-mail or two.
LINKS_PER_ACCOUNT = 3


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


def login_keys(kind: str, name: str, request: HttpRequest) -> list[Key]:
    """The counters of a login: the account (`kind` keeps staff and patron names apart) and
    the client's address."""
    limit = settings.LOGIN_FAILURE_LIMIT
    return [
        (f"login:{kind}:{_digest(name)}", limit),
        (f"login:addr:{_digest(client_address(request))}", limit * ADDRESS_FACTOR),
    ]


def link_keys(kind: str, name: str, request: HttpRequest) -> list[Key]:
    """The counters of a password-link request: the account asked for, and the address."""
    return [
        (f"link:{kind}:{_digest(name)}", LINKS_PER_ACCOUNT),
        (
            f"link:addr:{_digest(client_address(request))}",
            settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR,
        ),
    ]


def token_keys(request: HttpRequest) -> list[Key]:
    """The counter of wrong API tokens: the client's address (a wrong key names no account)."""
    return [
        (
            f"token:addr:{_digest(client_address(request))}",
            settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR,
        )
    ]


def locked(keys: Sequence[Key]) -> dt.datetime | None:
    """The end of the lock on one of these keys, or None; reads, counts nothing. For checks
    where only failures count (an API token: its 256 random bits are not guessed by trying, and
    a kiosk's every request must not cost a write), so parallel failures may pass the limit by
    as many as run at once before the lock."""
    ends = [
        end
        for end in Counter.objects.filter(
            key__in=[key for key, _limit in keys], locked_until__gt=timezone.now()
        ).values_list("locked_until", flat=True)
        if end is not None
    ]
    return max(ends, default=None)


def attempt(keys: Sequence[Key]) -> dt.datetime | None:
    """Count one attempt under each key, unless one is locked: then nothing is counted and the
    end of the lock is returned. None means: go on (check the password, send the link)."""
    now = timezone.now()
    window = dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    new_keys = False
    with transaction.atomic():
        rows = []
        for key, limit in sorted(keys):  # one order everywhere: no deadlock
            row, created = Counter.objects.select_for_update().get_or_create(
                key=key, defaults={"window_ends": now + window}
            )
            new_keys |= created
            rows.append((row, limit))
        locks = [
            row.locked_until for row, _limit in rows if row.locked_until and row.locked_until > now
        ]
        for row, limit in [] if locks else rows:
            if row.window_ends <= now:
                row.count, row.window_ends, row.locked_until = 0, now + window, None
            row.count += 1
            if row.count >= limit:
                row.locked_until = now + window
            row.save(update_fields=["count", "window_ends", "locked_until"])
    if new_keys:
        # Now and then, forget the keys whose window and lock have passed; after the commit,
        # so that waiting for a row another request holds never holds one of ours.
        Counter.objects.filter(
            Q(locked_until__isnull=True) | Q(locked_until__lte=now), window_ends__lte=now
        ).delete()
    return max(locks) if locks else None


def succeeded(keys: Sequence[Key]) -> None:
    """The password was right: the account starts afresh, the address gets its attempt back."""
    (account, _limit), (address, address_limit) = keys
    Counter.objects.filter(key=account).delete()
    Counter.objects.filter(key=address, count__gt=0).update(
        count=F("count") - 1,
        locked_until=Case(When(count__lte=address_limit, then=None), default=F("locked_until")),
    )


def wait_message(until: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many attempts. Try again in %(minutes)d minute.",
        "Too many attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(proxy, strict=False)
        for proxy in settings.MAILLON_TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str:
    """The client's address: the connection's, unless it comes from a trusted proxy
    (``MAILLON_TRUSTED_PROXIES``); then the last address of ``X-Forwarded-For`` that is not one
    of those proxies (the ones before it could be written by anyone)."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        if not _trusted(hop):
            return hop
    return address
