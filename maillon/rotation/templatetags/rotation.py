from django import template
from django.utils.translation import get_language

from maillon.network.models import FRENCH_OF, Library

register = template.Library()


@register.filter
def from_name(library: Library) -> str:
    """Where something comes from: « de la Bibliothèque de Vasles », "from …" in English."""
    if (get_language() or "fr").startswith("fr"):
        return FRENCH_OF[library.name_grammar] + library.name
    return f"from {library.name}"
