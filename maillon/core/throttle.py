"""Count failed logins per account and per address; refuse for a while past a limit.

Kept in the database cache so every server process sees the same counts.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username), _key("addr", address)]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    counts = cache.get_many(_keys(username, address))
    # An address gets more tries than an account: a library may share one public IP.
    return counts.get(_key("user", username), 0) >= limit or (
        counts.get(_key("addr", address), 0) >= limit * 4
    )


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if not cache.add(key, 1, settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def reset(username: str) -> None:
    cache.delete(_key("user", username))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")
