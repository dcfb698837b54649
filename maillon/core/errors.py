"""The one refusal every service raises: a stable code, a message for people, and a kind.

Every app's error derives from `DomainError`. The kind says what sort of refusal it is; the HTTP
status an API answers with is derived from the kind here, and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    INVALID = "invalid"  # the request itself is wrong: a field, a format, a date
    REFUSED = "refused"  # well formed, but the rules say no (limits, blocks, states)
    FORBIDDEN = "forbidden"  # the actor may not do this here
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"  # someone else changed it first, or it is taken
    BUSY = "busy"  # a lock could not be had in time: try again


HTTP_STATUS: dict[Kind, int] = {
    Kind.INVALID: 400,
    Kind.REFUSED: 409,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.CONFLICT: 409,
    Kind.BUSY: 503,
}


class DomainError(Exception):
    """A refused operation: `code` for programs, `message` (translated) for people.

    `field` names the form field the message belongs to, when there is one; `details` carries
    what a page or the API may show beside the message.
    """

    default_kind: Kind = Kind.REFUSED

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        kind: Kind | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details or {}
        self.kind = kind or self.default_kind

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.kind]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"
