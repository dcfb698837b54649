from django.urls import path

from . import views

app_name = "opac"

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search_page, name="search"),
    path("notice/<int:pk>/", views.record_page, name="record"),
    path("nouveautes/", views.new_arrivals_page, name="new"),
    path("bibliotheques/", views.library_list, name="libraries"),
    path("bibliotheques/<str:code>/", views.library_page, name="library"),
]
