"""The one exception circulation services raise for a refusal people must read."""

from __future__ import annotations

from typing import Any

from maillon.core.errors import DomainError, Kind


class CirculationError(DomainError):
    """A refused operation: a stable `code` for programs, a French `message` for people.

    `overridable` says a librarian (MANAGE at the desk's library) may force the operation with a
    reason; `details` carries what a page or the API may show next to the message (for example
    the right destination of a misdirected item, or every overridable refusal found). A refusal
    is of kind REFUSED unless said (an unknown card or barcode: NOT_FOUND).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        overridable: bool = False,
        details: dict[str, Any] | None = None,
        kind: Kind | None = None,
    ) -> None:
        super().__init__(code, message, details=details, kind=kind)
        self.overridable = overridable
