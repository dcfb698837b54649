"""What every action code and detail key of the audit log is called, in French and English.

Each app declares its own in an ``actions`` module (found at start-up by AuditConfig.ready):

    register({"checkout": _("checked out"), …}, details={"due_on": (_("due on"), DATE), …})

``record`` refuses a code that has no label, and tests/audit checks every code the sources
pass to it: the history pages never show a raw code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise

# How a detail's value is shown (see display.py); a callable formats the value itself.
TEXT, DATE, DATETIME, BOOL, LIBRARY, HIDDEN = (
    "text",
    "date",
    "datetime",
    "bool",
    "library",
    "hidden",
)
# {field: [before, after], …}: each field named by its own detail label.
CHANGES = "changes"
Format = str | Callable[[Any], str]

ACTIONS: dict[str, Promise] = {}
DETAILS: dict[str, tuple[str | Promise, Format]] = {}


def register(
    actions: Mapping[str, Promise],
    details: Mapping[str, tuple[str | Promise, Format]] | None = None,
) -> None:
    """Declare action codes with their labels, and detail keys with their label and format.
    A code declared twice is a mistake that would show one app's words for another's action."""
    for code, label in actions.items():
        if code in ACTIONS and ACTIONS[code] is not label:
            raise ValueError(f"audit action {code!r} is declared twice")
        ACTIONS[code] = label
    for key, shown in (details or {}).items():
        # Detail keys are shared by every app's entries: a second meaning would relabel the
        # first app's history. The same label and format may be declared again.
        if key in DETAILS and (str(DETAILS[key][0]), DETAILS[key][1]) != (str(shown[0]), shown[1]):
            raise ValueError(f"audit detail {key!r} is declared twice, with another meaning")
        DETAILS[key] = shown


def label(code: str) -> str:
    return str(ACTIONS[code]) if code in ACTIONS else code
