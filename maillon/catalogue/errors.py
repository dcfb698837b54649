"""The catalogue's refusals."""

from maillon.core.errors import DomainError


class CatalogueError(DomainError):
    """A refused change to the catalogue."""
