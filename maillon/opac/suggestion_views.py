"""The patron's purchase suggestions (/compte/suggestions/): what they asked for, what the
library answered; a new one goes to the purchasing service, whose refusals are shown as is."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from maillon.opac import network
from maillon.opac.patron_session import patron_required, the_patron
from maillon.opac.views import _render
from maillon.purchasing import suggestions
from maillon.purchasing.services import PurchasingError


@never_cache
@patron_required
def suggestion_page(request: HttpRequest) -> HttpResponse:
    patron = the_patron(request)
    libraries = network.ordered(network.public_libraries(timezone.localdate()))
    typed = request.POST if request.method == "POST" else {}
    error = None
    if request.method == "POST":
        library = next(
            (lib for lib in libraries if str(lib.pk) == typed.get("library")),
            patron.home_library,
        )
        try:
            suggestions.suggest(
                patron,
                library,
                title=typed.get("title", ""),
                author=typed.get("author", ""),
                isbn=typed.get("isbn", ""),
                why=typed.get("why", ""),
                wants_hold=bool(typed.get("wants_hold")),
            )
        except PurchasingError as refusal:
            error = refusal
        else:
            messages.success(
                request, _("Thank you: your suggestion is sent to the libraries' buyers.")
            )
            return redirect(reverse("opac:account_suggestions"))
    return _render(
        request,
        "account/suggestions.html",
        {
            "patron": patron,
            "section": "suggestions",
            "expired": patron.is_expired_on(timezone.localdate()),
            "suggestions": suggestions.of_patron(patron),
            "libraries": libraries,
            "typed": typed,
            "error": error,
        },
    )
