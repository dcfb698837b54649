from django.urls import path

from maillon.offline import views

app_name = "offline"

urlpatterns = [
    path("", views.desk, name="desk"),
    # Served from here, not /static/: a worker controls only the pages under its own address.
    path("sw.js", views.service_worker, name="service_worker"),
    path("session/", views.session, name="session"),
    path("a-revoir/", views.review, name="review"),
    path("a-revoir/<int:pk>/appliquer/", views.resolve_view, name="resolve"),
    path("a-revoir/<int:pk>/ecarter/", views.dismiss_view, name="dismiss"),
    path("importer/", views.import_view, name="import"),
]
