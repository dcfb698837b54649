"""What the patron page shows of circulation (its "loans" block), read through the services."""

from django import template
from django.utils import timezone

from maillon.circulation import services
from maillon.circulation.activity import activity_of
from maillon.circulation.rules import policy
from maillon.network.permissions import Action, can

register = template.Library()


@register.simple_tag(takes_context=True)
def patron_circulation(context, patron) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "loans": services.loans_of(patron),
        "holds": services.holds_of(patron),
        "activity": activity_of(patron),
        "anonymise_after_days": policy().anonymise_after_days,
        "today": timezone.localdate(),
        "can_desk": can(user, Action.CIRCULATE),
    }
