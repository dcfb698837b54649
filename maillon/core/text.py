"""Punctuation that differs between the languages Maillon speaks."""

from __future__ import annotations

from django.utils.translation import pgettext


def colon() -> str:
    # French puts a (non-breaking) space before the colon, English none.
    return pgettext("punctuation between a label and its value", ":")


def label_value(label: object, value: object) -> str:
    """`label: value`, punctuated for the active language."""
    return f"{label}{colon()} {value}"
