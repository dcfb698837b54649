"""The refusal network services raise."""

from maillon.core.errors import DomainError


class NetworkError(DomainError):
    """A refused change to the network's own data (libraries, hours, closures, partners)."""
