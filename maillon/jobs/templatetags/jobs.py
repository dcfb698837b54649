from django import template

from maillon.jobs.registry import label_of

register = template.Library()


@register.filter
def job_kind_label(kind: str) -> str:
    return label_of(kind)
