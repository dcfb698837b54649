"""Maillon: a library system for networks of public libraries."""

__version__ = "0.1.0"
