import re

from django.urls import path, re_path
from django.urls.resolvers import RoutePattern, URLPattern

from . import circulation_views, views

app_name = "api"


class _OpenApiRoute(RoutePattern):
    """Matches like path(); prints as its OpenAPI template ("patrons/{card}"), which is what
    tests/api/test_openapi_document.py compares with the document's paths."""

    def __str__(self) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(self._route))


def _route(route: str, view, name: str) -> URLPattern:
    return URLPattern(_OpenApiRoute(route, name=name, is_endpoint=True), view, name=name)


urlpatterns = [
    path("search", views.search_view, name="search"),
    path("records/<int:pk>", views.record_view, name="record"),
    path("libraries", views.libraries_view, name="libraries"),
    path("openapi.json", views.openapi_view, name="openapi"),
    path("checkouts", circulation_views.checkouts_view, name="checkouts"),
    path("checkins", circulation_views.checkins_view, name="checkins"),
    path("renewals", circulation_views.renewals_view, name="renewals"),
    path("holds", circulation_views.holds_view, name="holds"),
    path("holds/<int:pk>", circulation_views.hold_view, name="hold"),
    path("patrons", circulation_views.patrons_view, name="patrons"),
    _route("patrons/<str:card>", circulation_views.patron_view, name="patron"),
    _route("items/<str:barcode>", circulation_views.item_view, name="item"),
    re_path(r"^(?P<path>.*)$", views.not_found_view),
]
