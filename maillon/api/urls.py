from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("search", views.search_view, name="search"),
    path("records/<int:pk>", views.record_view, name="record"),
    path("libraries", views.libraries_view, name="libraries"),
    path("openapi.json", views.openapi_view, name="openapi"),
    re_path(r"^(?P<path>.*)$", views.not_found_view),
]
