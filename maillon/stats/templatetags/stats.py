from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: object) -> str:
    """A report figure as the survey writes it: NC when unknown, French digit groups."""
    if value is None:
        return "NC"
    if isinstance(value, float):
        return number_format(value, decimal_pos=1 if value % 1 else 0, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return str(value)
