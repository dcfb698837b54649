"""SRU 1.2's diagnostics (loc.gov/standards/sru/diagnostics): the ones this server gives.

A diagnostic is a URI ``info:srw/diagnostic/1/N``, a message (here in the reader's language:
French by default) and details (the part of the request at fault).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PREFIX = "info:srw/diagnostic/1/"
MESSAGES = {
    1: _("General system error"),
    4: _("Unsupported operation"),
    5: _("Unsupported version"),
    6: _("Unsupported parameter value"),
    7: _("Mandatory parameter not supplied"),
    8: _("Unsupported parameter"),
    10: _("Query syntax error"),
    15: _("Unsupported context set"),
    16: _("Unsupported index"),
    19: _("Unsupported relation"),
    20: _("Unsupported relation modifier"),
    22: _("Unsupported combination of relation and index"),
    27: _("Empty term unsupported"),
    28: _("Masking character not supported"),
    29: _("Masked words too short"),
    30: _("Too many masking characters in term"),
    35: _("Term contains only stopwords"),
    36: _("Term in invalid format for index or relation"),
    38: _("Too many boolean operators in query"),
    39: _("Proximity not supported"),
    46: _("Unsupported boolean modifier"),
    48: _("Query feature unsupported"),
    61: _("First record position out of range"),
    66: _("Unknown schema for retrieval"),
    71: _("Unsupported record packing"),
    72: _("XPath retrieval unsupported"),
    80: _("Sort not supported"),
    110: _("Stylesheets not supported"),
}


class Diagnostic(Exception):
    """A request the server answers with a diagnostic: ``code`` its number, ``details`` the
    part of the request at fault."""

    def __init__(self, code: int, details: str = "") -> None:
        super().__init__(f"{code}: {details}")
        self.code = code
        self.details = details

    @property
    def uri(self) -> str:
        return f"{PREFIX}{self.code}"

    @property
    def message(self) -> str:
        return str(MESSAGES.get(self.code, MESSAGES[1]))
