"""The colon the language wants: "Téléphone : …" in French, "Phone: …" in English."""

from django import template

from maillon.core.text import colon as colon_text

register = template.Library()


@register.simple_tag
def colon() -> str:
    return colon_text()
