"""Numbers read from a form or an address, which a forged request may fill with anything."""

from __future__ import annotations

from collections.abc import Mapping


def number(data: Mapping[str, str], name: str) -> int:
    """The field as a whole number, 0 when it is missing or not one (0 names no row, so the
    lookup that follows finds nothing and answers as for an unknown row, never a 500)."""
    value = (data.get(name) or "").strip()
    return int(value) if value.isdigit() else 0
