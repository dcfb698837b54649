from django.urls import path

from maillon.sru import views

app_name = "sru"
urlpatterns = [path("", views.endpoint, name="endpoint")]
