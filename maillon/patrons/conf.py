"""Card number settings: the format and the check digit a network's cards follow.

Read at call time (not import time) so that a test or a settings override takes effect.
`MAILLON_CARD_PATTERN` and `MAILLON_CARD_CHECK` come from Django settings when defined
there, else from the environment.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2

from maillon.env import env_str

# 8 to 14 digits, or 1 to 4 capital letters then 4 to 12 digits (e.g. "PAR000123").
DEFAULT_CARD_PATTERN = r"[0-9]{8,14}|[A-Z]{1,4}[0-9]{4,12}"
CHECKS = ("none", "luhn", "mod11")


def _setting(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = env_str(name, default)
    return value or default


@lru_cache(maxsize=8)
def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ImproperlyConfigured(
            f"MAILLON_CARD_PATTERN n'est pas une expression régulière valide : {exc}"
        ) from exc


def card_pattern() -> re.Pattern[str]:
    return _compile(_setting("MAILLON_CARD_PATTERN", DEFAULT_CARD_PATTERN))


def card_check() -> str:
    scheme = _setting("MAILLON_CARD_CHECK", "none").strip().lower()
    if scheme not in CHECKS:
        raise ImproperlyConfigured(
            f"MAILLON_CARD_CHECK doit valoir {', '.join(CHECKS)} (reçu : {scheme!r})."
        )
    return scheme


def normalize_card(raw: str) -> str:
    """What a scanner or a person typed → the stored form (no spaces, capitals)."""
    return "".join((raw or "").split()).upper()


def card_matches_pattern(card: str) -> bool:
    return card_pattern().fullmatch(card) is not None


def check_digit_is_valid(card: str, scheme: str | None = None) -> bool:
    """The last character checks the digits before it; letters of a prefix are ignored."""
    scheme = scheme or card_check()
    if scheme == "none":
        return True
    if not card:
        return False
    # mod11 (ISO 7064 MOD 11-2) may end with X, which stands for 10.
    body = "".join(ch for ch in card[:-1] if ch.isdigit()) + card[-1]
    try:
        if scheme == "luhn":
            luhn.validate(body)
        else:
            mod_11_2.validate(body)
    except StdnumError:
        return False
    return True


def with_check_digit(digits: str, scheme: str | None = None) -> str:
    """Append the check character to `digits` (demo data, tests, card printing)."""
    scheme = scheme or card_check()
    if scheme == "luhn":
        return digits + luhn.calc_check_digit(digits)
    if scheme == "mod11":
        return digits + mod_11_2.calc_check_digit(digits)
    return digits
