from django.urls import path

from maillon.corecollection import views

app_name = "corecollection"
urlpatterns = [
    path("", views.core_list, name="list"),
    path("manques/", views.gap_list, name="gaps"),
]
